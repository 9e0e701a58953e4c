/**
 * The engine against a real llama-server (built from node-llama-cpp's bundled llama.cpp) running
 * the same scripted GGUF as a local engine: the brake runs here on the streamed thinking and fires
 * at the same step, the answer follows the cue, and the server's timings show the thought was
 * not evaluated again. Stop, Answer now, Continue thinking, a server that dies or hangs mid-answer,
 * a URL that is not a server, a wrong API key, and the OpenAI /v1/completions path.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { EngineError } from "../../../src/engine/common/errors";
import type { GenerationEvent, GenerationResult, LoadConfig, ServerConfig } from "../../../src/engine/common/types";
import { Engine } from "../../../src/engine/process/engine";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { RunningLlamaServer } from "../helpers/llamaServer";
import { ensureLlamaServer, freePort, serverModelSpec, startLlamaServer } from "../helpers/llamaServer";
import { askRequest, cpuConfig, CUE, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

let models: ModelDir;
let overthinking: string;
let server: RunningLlamaServer;
let requestNo = 0;

function serverConfig(url: string, extra: Partial<ServerConfig> = {}): LoadConfig {
  return { ...cpuConfig(""), server: { url, model: "", api: "auto", promptFormat: "auto", timeoutSeconds: 20, ...extra } };
}

async function ask(engine: Engine, request: Parameters<typeof askRequest>[0] = {}, onEvent: (e: GenerationEvent, id: string) => void = () => undefined): Promise<{ result: GenerationResult; events: GenerationEvent[]; id: string }> {
  const id = `r${++requestNo}`;
  const events: GenerationEvent[] = [];
  const result = await engine.ask(id, askRequest(request), (event) => {
    events.push(event);
    onEvent(event, id);
  });
  return { result, events, id };
}

before(async () => {
  ensureLlamaServer();
  models = makeModels();
  overthinking = models.write("overthinking-server.gguf", serverModelSpec(reasoningModelSpec(OVERTHINKING), 8192));
  server = await startLlamaServer({ model: overthinking, contextSize: 4096 });
});

after(async () => {
  await server?.stop();
  models?.cleanup();
});

describe("the engine with a llama-server", () => {
  it("connects: the server, its model and its chat template, and says what runs where", async () => {
    const engine = new Engine();
    const report = await engine.load(serverConfig(server.url));
    assert.equal(report.backend, "server");
    assert.equal(report.server?.api, "llama-server");
    assert.equal(report.server?.host, `127.0.0.1:${server.port}`);
    assert.match(report.modelName, /overthinking-server\.gguf$/);
    assert.equal(report.contextSize, 4096);
    assert.equal(report.thinkingSupported, true);
    assert.match(report.server?.promptFormat ?? "", /server's chat template/);
    await engine.unload();
  });

  it("brakes at the same step as the local engine on the same model, the answer follows the cue, and the thought is not evaluated again", async (t) => {
    const local = new Engine();
    await local.load(cpuConfig(overthinking, 4096));
    const here = await ask(local);
    await local.unload({ releaseBackend: true });

    const remote = new Engine();
    await remote.load(serverConfig(server.url));
    const { result, events } = await ask(remote);
    assert.equal(result.brake?.reason, "overthinking");
    assert.equal(result.thinking, here.result.thinking, "the same thinking kept");
    assert.equal(result.brake?.charOffset, here.result.brake?.charOffset);
    assert.equal(result.brake?.explanation, here.result.brake?.explanation, "the same evidence in the same words");
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.ok(result.brake?.injectedText.includes(CUE) && result.brake.injectedText.endsWith("</think>\n\n"), JSON.stringify(result.brake?.injectedText));
    assert.equal(result.tokens.thinking, here.result.tokens.thinking, "the same thinking tokens (llama-server sends token ids)");
    assert.equal(result.tokens.cue, here.result.tokens.cue, "the cue counted by the server's tokenizer");
    // llama-server re-evaluates the last token of a cached prompt: at most one token beyond the cue
    assert.ok(result.tokens.reEvaluated <= 1, `re-evaluated ${result.tokens.reEvaluated}`);
    t.diagnostic(`llama-server: thinking ${result.tokens.thinking} tokens kept, ${result.tokens.discarded} dropped, cue ${result.tokens.cue}, evaluated beyond the cue ${result.tokens.reEvaluated}; brake to first answer token ${result.timings.brakeToAnswerMs?.toFixed(1)} ms (local ${here.result.timings.brakeToAnswerMs?.toFixed(1)} ms)`);
    const types = events.map((e) => e.type);
    assert.equal(types[0], "started");
    assert.ok(types.indexOf("brake") > types.lastIndexOf("thinking") && types.indexOf("answer") > types.indexOf("brake"));
    assert.ok(types.includes("meter"));
    await remote.unload();
  });

  it("Stop closes the stream; the server is free for the next question", async () => {
    const engine = new Engine();
    await engine.load(serverConfig(server.url));
    let thinkingEvents = 0;
    const { result } = await ask(engine, { brake: { mode: "off" } }, (event, id) => {
      if (event.type === "thinking" && ++thinkingEvents === 3) engine.cancel(id);
    });
    assert.equal(result.stopReason, "cancelled");
    assert.ok(result.tokens.thinking >= 3 && result.tokens.thinking < 200, `${result.tokens.thinking} thinking tokens before Stop`);
    const next = await ask(engine);
    assert.equal(next.result.answer, OVERTHINKING.answer, "the next question is answered");
    await engine.unload();
  });

  it("Answer now brakes by hand: the cue is written and the model answers", async () => {
    const engine = new Engine();
    await engine.load(serverConfig(server.url));
    let thinkingEvents = 0;
    const { result } = await ask(engine, { brake: { mode: "off" } }, (event, id) => {
      if (event.type === "thinking" && ++thinkingEvents === 20) engine.answerNow(id);
    });
    assert.equal(result.brake?.reason, "manual");
    assert.ok(result.brake.injectedText.includes(CUE));
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.tokens.savedEstimate, null, "no saving credited for the user's call");
    assert.ok(result.tokens.reEvaluated <= 1, `re-evaluated ${result.tokens.reEvaluated}`);
    await engine.unload();
  });

  it("Continue thinking resumes the thought without the cue, then the budget ends it and the model answers", async () => {
    const engine = new Engine();
    await engine.load(serverConfig(server.url));
    const first = await ask(engine);
    assert.equal(first.result.brake?.reason, "overthinking");
    const events: GenerationEvent[] = [];
    const continued = await engine.continueThinking("c1", first.id, 40, (event) => events.push(event));
    assert.ok(continued);
    assert.equal(events[0]?.type, "resumed");
    assert.equal(continued.continued, 1);
    assert.equal(continued.brake?.reason, "budget");
    assert.ok(continued.thinking.startsWith(first.result.thinking), "the kept thinking goes on");
    assert.ok(continued.tokens.thinking > first.result.tokens.thinking && continued.tokens.thinking <= first.result.tokens.thinking + 40 + 1, `${first.result.tokens.thinking} → ${continued.tokens.thinking}`);
    assert.equal(continued.answer, OVERTHINKING.answer);
    assert.ok(!continued.thinking.includes(CUE), "the first cue was dropped");
    await engine.unload();
  });

  it("the OpenAI-compatible /v1/completions path brakes the same way (no token ids: text continues the stream)", async (t) => {
    const engine = new Engine();
    const report = await engine.load(serverConfig(server.url, { api: "openai" }));
    assert.equal(report.server?.api, "openai");
    const { result } = await ask(engine);
    assert.equal(result.brake?.reason, "overthinking");
    assert.equal(result.answer, OVERTHINKING.answer);
    const local = new Engine();
    await local.load(cpuConfig(overthinking, 4096));
    const here = await ask(local);
    await local.unload({ releaseBackend: true });
    assert.equal(result.brake.charOffset, here.result.brake?.charOffset, "the same brake point");
    // the scripted model's unusual token spellings do not survive re-tokenizing its text, so here the
    // server evaluates the thought again; real BPE models re-tokenize their own output the same way
    t.diagnostic(`/v1/completions after the brake: ${result.tokens.reEvaluated} tokens evaluated beyond the cue (${result.tokens.cue})`);
    await engine.unload();
  });
});

describe("the engine with a server that fails", () => {
  it("a server killed mid-answer: a clear error, and the thinking streamed so far was delivered", async () => {
    const dying = await startLlamaServer({ model: overthinking, contextSize: 4096, name: "dying" });
    const engine = new Engine();
    await engine.load(serverConfig(dying.url));
    let streamed = "";
    let killed: Promise<void> | null = null;
    await assert.rejects(
      ask(engine, { brake: { mode: "off" } }, (event) => {
        if (event.type === "thinking") streamed += event.text;
        if (event.type === "thinking" && killed === null && streamed.length > 40) killed = dying.kill("SIGKILL");
      }),
      (error: unknown) => error instanceof EngineError && error.code === "server-unreachable" && /closed the connection|Could not reach/.test(error.message),
    );
    assert.ok(streamed.length > 40);
    await killed;
    await dying.stop();
    await engine.unload();
  });

  it("a server that stops sending: the timeout says so", async () => {
    const hung = await startLlamaServer({ model: overthinking, contextSize: 4096, name: "hung" });
    const engine = new Engine();
    await engine.load(serverConfig(hung.url, { timeoutSeconds: 1.5 }));
    let stopped: Promise<void> | null = null;
    const started = Date.now();
    await assert.rejects(
      ask(engine, { brake: { mode: "off" } }, (event) => {
        if (event.type === "thinking" && stopped === null) stopped = hung.kill("SIGSTOP");
      }),
      (error: unknown) => error instanceof EngineError && error.code === "server-unreachable" && /sent nothing for 2 s/.test(error.message),
    );
    assert.ok(Date.now() - started < 10_000);
    await stopped;
    await hung.kill("SIGKILL");
    await hung.stop();
    await engine.unload();
  });

  it("a URL that is not an OpenAI-compatible server, and a port nothing listens on", async () => {
    const html = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>router login</body></html>"));
    await new Promise<void>((resolve) => html.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
    const engine = new Engine();
    await assert.rejects(engine.load(serverConfig(url)), (e: unknown) => e instanceof EngineError && e.code === "not-a-server" && /did not answer with JSON/.test(e.message));
    await new Promise((resolve) => html.close(resolve));
    const port = await freePort();
    await assert.rejects(engine.load(serverConfig(`http://127.0.0.1:${port}`)), (e: unknown) => e instanceof EngineError && e.code === "server-unreachable" && /refused/.test(e.message));
    await assert.rejects(engine.load(serverConfig("ftp://example.com")), (e: unknown) => e instanceof EngineError && /http:\/\/ or https:\/\//.test(e.message));
    await assert.rejects(engine.load(serverConfig("http://user:pw@127.0.0.1:1")), (e: unknown) => e instanceof EngineError && /API key/.test(e.message) && !e.message.includes("pw"));
    await assert.rejects(engine.load(serverConfig("")), (e: unknown) => e instanceof EngineError && e.code === "not-a-server" && /Use a Server/.test(e.message));
  });

  it("a wrong API key is refused with a message that says where to set it, and never shows the key", async () => {
    const guarded = await startLlamaServer({ model: overthinking, contextSize: 4096, apiKey: "right-key-123", name: "guarded" });
    const engine = new Engine();
    await assert.rejects(
      engine.load(serverConfig(guarded.url, { apiKey: "wrong-key-456" })),
      (e: unknown) => e instanceof EngineError && e.code === "server-error" && /HTTP 401/.test(e.message) && /Set Server API Key/.test(e.message) && !e.message.includes("wrong-key-456"),
    );
    await engine.load(serverConfig(guarded.url, { apiKey: "right-key-123" }));
    const { result } = await ask(engine);
    assert.equal(result.brake?.reason, "overthinking");
    await engine.unload();
    await guarded.stop();
  });
});
