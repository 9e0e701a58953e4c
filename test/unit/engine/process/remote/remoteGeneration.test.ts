/**
 * The server engine's generation against a fake server on 127.0.0.1 that streams exactly what a
 * test writes: the cases a real llama-server produces only with real tokenizers (a token with no
 * chunk of its own inside a character), and a server that gives no context size and stops the
 * thinking at its token limit.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { AskRequest, GenerationEvent } from "../../../../../src/engine/common/types";
import type { NodeLlamaCpp } from "../../../../../src/engine/process/chat/wrapper";
import { createCoreDetector } from "../../../../../src/engine/process/generation/detector";
import { RemoteGeneration, renderRemotePrompt } from "../../../../../src/engine/process/remote/remoteGeneration";
import { connectToServer } from "../../../../../src/engine/process/remote/serverConnection";

const CUE = "Wait, I've verified my answer. No need to continue thinking.";
const TEMPLATE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n<think>\n";

interface Seen {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

let lib: NodeLlamaCpp;
let server: Server;
let url = "";
const seen: Seen[] = [];
/** What the next completion requests stream, in order: SSE data objects. */
const scripts: Array<Array<Record<string, unknown>>> = [];
let llamaServer = true;

const ids = (text: string): number[] => [...text].map((c) => c.codePointAt(0) as number);

function handle(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
  const path = req.url ?? "";
  seen.push({ path, body });
  const json = (status: number, value: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
  if (path === "/v1/models") return json(200, { object: "list", data: [{ id: "fake-model" }] });
  if (path === "/props") return llamaServer ? json(200, { chat_template: TEMPLATE, default_generation_settings: { n_ctx: 4096 }, eos_token: "<|im_end|>", build_info: "fake" }) : json(404, { error: "not found" });
  if (path === "/tokenize") return json(200, { tokens: ids(String(body.content ?? "")) });
  if (path === "/completion" || path === "/v1/completions") {
    const events = scripts.shift() ?? [];
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
    if (path === "/v1/completions") res.write("data: [DONE]\n\n");
    res.end();
    return;
  }
  json(404, { error: "unknown route" });
}

function request(): AskRequest {
  return {
    question: "What is 6 × 7?",
    history: [],
    brake: { mode: "off", threshold: 0.2, maxThinkingTokens: 1000, cue: CUE, probe: "off" },
    generation: { temperature: 0, maxAnswerTokens: 64, thinking: true },
  };
}

async function generation(api: "auto" | "openai"): Promise<RemoteGeneration> {
  const connection = await connectToServer(lib, { url, model: "", api, promptFormat: "auto", timeoutSeconds: 5 });
  return new RemoteGeneration({ lib, connection, createDetector: createCoreDetector }, request(), renderRemotePrompt(lib, connection, request()));
}

before(async () => {
  lib = await import("node-llama-cpp");
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => handle(req, res, raw ? (JSON.parse(raw) as Record<string, unknown>) : {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("the server engine's generation (fake server)", () => {
  it("a token that came without its own chunk: at a brake the kept thinking is re-tokenized, so the ids sent back spell it", async () => {
    llamaServer = true;
    seen.length = 0;
    // "café" arrives as "caf" then a chunk that carries "é" with two token ids' worth of tokens_predicted and one id
    const thinking = [
      { content: "<think>\nThe product is 42", tokens: [1, 2, 3], tokens_predicted: 3 },
      { content: " at the caf", tokens: [4, 5], tokens_predicted: 5 },
      { content: "é.", tokens: [6], tokens_predicted: 7 },
      { content: "\n\nLet me check again.", tokens: [8, 9], tokens_predicted: 9 },
      { content: " More checking.", tokens: [10], tokens_predicted: 10 },
    ];
    scripts.push(thinking, [{ content: "The answer is 42.", tokens: [11, 12] }, { content: "", stop: true, stop_type: "eos", timings: { prompt_n: 100, cache_n: 100 } }]);
    const gen = await generation("auto");
    const events: GenerationEvent[] = [];
    let thinkingEvents = 0;
    const result = await gen.run((event) => {
      events.push(event);
      if (event.type === "thinking" && ++thinkingEvents === 4) gen.answerNow();
    }, new AbortController().signal);
    assert.equal(result.brake?.reason, "manual");
    assert.equal(result.answer, "The answer is 42.");
    assert.equal(result.tokens.thinking, 9, "tokens_predicted counts the token that had no chunk");
    const completions = seen.filter((s) => s.path === "/completion");
    assert.equal(completions.length, 2);
    const keptText = "<think>\nThe product is 42 at the café.\n\nLet me check again.";
    const promptIds = completions[0]?.body.prompt as number[];
    const second = completions[1]?.body.prompt as number[];
    const injection = result.brake?.injectedText ?? "";
    assert.ok(injection.startsWith(`\n\n${CUE}`) && injection.includes("</think>"), JSON.stringify(injection));
    assert.deepEqual(second.slice(promptIds.length), [...ids(keptText), ...ids(injection)], "the kept thinking as the server tokenizes it, then the cue");
    assert.ok(seen.some((s) => s.path === "/tokenize" && s.body.content === keptText), "re-tokenized because the streamed ids were incomplete");
    assert.equal(result.tokens.reEvaluated, 100 - ids(injection).length, "what the server evaluated beyond the injection (its timings)");
  });

  it("a server without a context size that stops at its token limit inside the thinking: closed and answered, as a full context is locally", async () => {
    llamaServer = false;
    seen.length = 0;
    const piece = (text: string, finish: string | null = null): Record<string, unknown> => ({ choices: [{ text, index: 0, finish_reason: finish }] });
    scripts.push(
      [piece("<think>\nSix times seven is 42."), piece("\n\nChecking: 7 × 6 = 42."), piece(" Still checking", "length")],
      [piece("The answer is 42."), piece("", "stop"), { choices: [], usage: { prompt_tokens: 90, completion_tokens: 5 } }],
    );
    const gen = await generation("auto");
    const result = await gen.run(() => undefined, new AbortController().signal);
    assert.equal(result.brake?.reason, "context");
    assert.match(result.brake.explanation, /token limit/);
    assert.equal(result.answer, "The answer is 42.");
    assert.equal(result.stopReason, "eos");
    const completions = seen.filter((s) => s.path === "/v1/completions");
    assert.equal(completions.length, 2);
    const second = String(completions[1]?.body.prompt);
    assert.ok(second.endsWith(`<think>\nSix times seven is 42.\n\nChecking: 7 × 6 = 42. Still checking${result.brake.injectedText}`), JSON.stringify(second.slice(-160)));
    assert.ok(result.brake.injectedText.startsWith(`\n\n${CUE}`));
    assert.equal(completions[1]?.body.model, "fake-model");
  });
});
