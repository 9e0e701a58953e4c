/** The llama-server harness (test/integration/helpers/llamaServer.ts) against the real server on a scripted model. */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { must } from "../../harness/must";
import { isPortOpen, startLlamaServer, writeServerModel } from "../helpers/llamaServer";
import type { RunningLlamaServer } from "../helpers/llamaServer";

let dir: string;
let model: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "self-braking-llama-server-"));
  model = writeServerModel(dir, "overthinking-server.gguf", { contextLength: 8192 });
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json() };
}

/** The JSON payloads of a server-sent-events response (`data: …` lines; `[DONE]` left out). */
async function sseEvents(response: Response): Promise<Array<Record<string, unknown>>> {
  const events: Array<Record<string, unknown>> = [];
  for (const line of (await response.text()).split("\n")) {
    const data = /^data: ?(.*)$/.exec(line.trimEnd())?.[1];
    if (data !== undefined && data !== "[DONE]") events.push(JSON.parse(data) as Record<string, unknown>);
  }
  return events;
}

const PROMPT = "<|im_start|>user\nWhat is 12 × 3?<|im_end|>\n<|im_start|>assistant\n";

async function streamedCompletion(server: RunningLlamaServer): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${server.url}/completion`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ prompt: PROMPT, stream: true, cache_prompt: true, n_predict: 6, temperature: 0 }),
    signal: AbortSignal.timeout(30_000),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  return sseEvents(response);
}

describe("llama-server harness", () => {
  let server: RunningLlamaServer;

  before(async () => {
    server = await startLlamaServer({ model, contextSize: 4096 });
  });

  after(async () => {
    await server.stop();
  });

  it("starts on a free port of 127.0.0.1 and answers /health", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.pid > 0);
    const health = await getJson(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: "ok" });
    assert.ok(existsSync(server.logFile), server.logFile);
    assert.match(server.log(), /listening on http:\/\/127\.0\.0\.1:/);
  });

  it("lists the model at /v1/models with the context it was given", async () => {
    const { status, body } = await getJson(`${server.url}/v1/models`);
    assert.equal(status, 200);
    const data = must((body as { data?: Array<{ id: string; meta?: { n_ctx?: number; n_ctx_train?: number } }> }).data, "/v1/models data");
    assert.equal(data.length, 1);
    const entry = must(data[0], "the model entry");
    assert.equal(entry.id, model);
    assert.equal(entry.meta?.n_ctx, 4096);
    assert.equal(entry.meta?.n_ctx_train, 8192);
  });

  it("reports the reasoning model's chat template at /props", async () => {
    const { status, body } = await getJson(`${server.url}/props`);
    assert.equal(status, 200);
    const props = body as { chat_template?: string; eos_token?: string; total_slots?: number };
    assert.match(must(props.chat_template, "chat_template"), /<think>/);
    assert.equal(props.eos_token, "<|im_end|>");
    assert.equal(props.total_slots, 1);
  });

  it("streams /completion with timings in the final chunk, and reuses the cached prompt", async () => {
    const first = await streamedCompletion(server);
    assert.equal(first[0]?.content, "<think>");
    const last = must(first.at(-1), "the final chunk");
    assert.equal(last.stop, true);
    const timings = must(last.timings as { prompt_n?: number; cache_n?: number } | undefined, "timings");
    const promptTokens = must(timings.prompt_n, "timings.prompt_n");
    assert.ok(promptTokens > 10, `prompt_n ${promptTokens}`);
    assert.equal(timings.cache_n, 0);

    // The same prompt again: all but its last token come from the slot's cache.
    const again = await streamedCompletion(server);
    assert.deepEqual(
      again.map((chunk) => chunk.content),
      first.map((chunk) => chunk.content),
    );
    const cached = must(must(again.at(-1), "the final chunk").timings as { prompt_n?: number; cache_n?: number } | undefined, "timings");
    assert.deepEqual({ prompt_n: cached.prompt_n, cache_n: cached.cache_n }, { prompt_n: 1, cache_n: promptTokens - 1 });
  });

  it("stops: the process is gone, the port closed, the log file complete", async () => {
    await server.stop();
    assert.deepEqual(await server.exited, { code: 0, signal: null }); // SIGTERM: llama-server shuts down cleanly
    assert.equal(await isPortOpen(server.port), false);
    assert.throws(() => process.kill(server.pid, 0), { code: "ESRCH" });
    assert.match(readFileSync(server.logFile, "utf8"), /\[llama-server helper\] exited/);
    await server.stop(); // a second stop() is harmless
  });
});

describe("llama-server harness with an API key", () => {
  let server: RunningLlamaServer;

  before(async () => {
    server = await startLlamaServer({ model, apiKey: "test-key-123", name: "api-key" });
  });

  after(async () => {
    await server.stop();
  });

  it("refuses a request without the key with 401, accepts it with the key, and leaves /health open", async () => {
    const without = await getJson(`${server.url}/v1/models`);
    assert.equal(without.status, 401);
    assert.equal((without.body as { error?: { type?: string } }).error?.type, "authentication_error");
    const wrong = await getJson(`${server.url}/v1/models`, { Authorization: "Bearer wrong" });
    assert.equal(wrong.status, 401);
    const withKey = await getJson(`${server.url}/v1/models`, { Authorization: "Bearer test-key-123" });
    assert.equal(withKey.status, 200);
    assert.equal((await getJson(`${server.url}/health`)).status, 200);
  });
});

describe("llama-server harness: failures and signals", () => {
  it("fails to start, naming the cap, when the model's training context is smaller than -c", async () => {
    const small = writeServerModel(dir, "small-context.gguf", { contextLength: 1024 });
    await assert.rejects(startLlamaServer({ model: small, contextSize: 2048 }), /capped the context at 1024 tokens \(asked for 2048\)/);
  });

  it("fails to start with the log's tail when the model cannot be loaded", async () => {
    await assert.rejects(startLlamaServer({ model: join(dir, "missing.gguf") }), /exited while starting[\s\S]*missing\.gguf/);
  });

  it("kill(SIGSTOP) leaves a hung server that stop() still ends", async () => {
    const server = await startLlamaServer({ model, name: "hung" });
    try {
      await server.kill("SIGSTOP");
      await assert.rejects(fetch(`${server.url}/health`, { signal: AbortSignal.timeout(300) }), { name: "TimeoutError" });
    } finally {
      await server.stop();
    }
    assert.equal(await isPortOpen(server.port), false);
  });

  it("kill() ends the server with the given signal", async () => {
    const server = await startLlamaServer({ model, name: "killed" });
    try {
      await server.kill("SIGKILL");
      assert.deepEqual(await server.exited, { code: null, signal: "SIGKILL" });
      assert.equal(await isPortOpen(server.port), false);
    } finally {
      await server.stop();
    }
  });
});
