/**
 * The engine in its own process, through the client the extension and the CLI use: streaming,
 * one question at a time, crashes, the watchdog, Stop while loading and while reading a long
 * prompt, idle stop, memory over many prompts and after unload.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { EngineClient } from "../../../src/engine/client/engineClient";
import type { EngineClientOptions } from "../../../src/engine/client/engineClient";
import { EngineError } from "../../../src/engine/common/errors";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { AskEvent } from "../../../src/engine/common/types";
import { askRequest, cpuConfig, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

const FROM_SOURCE: EngineClientOptions = { enginePath: "src/engine/process/main.ts", execArgv: ["--import", "tsx"], startTimeoutMs: 120_000 };

let models: ModelDir;
let client: EngineClient;

before(() => {
  models = makeModels();
  client = new EngineClient(cpuConfig(models.overthinking), FROM_SOURCE);
});

after(async () => {
  await client.dispose();
  models.cleanup();
});

let heavy: string | null = null;
/** A slower replay model (about 120 MB of weights): a token costs real compute, and its memory is measurable. */
function heavyModel(): string {
  heavy ??= models.write("heavy.gguf", { ...reasoningModelSpec(OVERTHINKING), contextLength: 32768, shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 1024 } });
  return heavy;
}

function collect(events: AskEvent[]): (event: AskEvent) => void {
  return (event) => events.push(event);
}

describe("engine process", () => {
  it("streams a braked answer from the child process", async () => {
    const events: AskEvent[] = [];
    const handle = client.ask(askRequest());
    handle.onEvent(collect(events));
    const result = await handle.result;
    assert.equal(result.brake?.reason, "overthinking");
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.equal(result.tokens.reEvaluated, 0);
    const types = events.map((e) => e.type);
    for (const type of ["engine-starting", "loaded", "started", "thinking", "brake", "answer"]) assert.ok(types.includes(type as AskEvent["type"]), `${type} in ${types.join(",")}`);
    assert.ok(types.indexOf("loaded") < types.indexOf("started") && types.indexOf("brake") < types.indexOf("answer"));
    const thinking = events.flatMap((e) => (e.type === "thinking" ? [e.text] : [])).join("");
    assert.ok(thinking.startsWith(result.thinking));
    const tokens = events.reduce((n, e) => n + (e.type === "thinking" ? e.tokens : 0), 0);
    assert.ok(tokens >= result.tokens.thinking, "streamed token counts cover the thinking");
    assert.equal(client.report?.backend, "cpu");
    assert.equal(client.state, "ready");
  });

  it("answers now and continues thinking through the process", async () => {
    const handle = client.ask(askRequest({ brake: { mode: "off" } }));
    let sent = false;
    handle.onEvent((e) => {
      if (e.type === "thinking" && !sent) {
        sent = true;
        handle.answerNow();
      }
    });
    const braked = await handle.result;
    assert.equal(braked.brake?.reason, "manual");
    assert.equal(braked.answer, OVERTHINKING.answer);
    const events: AskEvent[] = [];
    const resumed = await handle.continueThinking(25);
    assert.notEqual(resumed.id, handle.id, "a finished answer continues on a new handle");
    resumed.onEvent(collect(events));
    const more = await resumed.result;
    assert.equal(events[0]?.type, "resumed");
    assert.equal(more.continued, 1);
    assert.ok(more.thinking.startsWith(braked.thinking) && more.thinking.length > braked.thinking.length);
    assert.equal(more.answer, OVERTHINKING.answer);
  });

  it("answers one question at a time: a second one while the first runs is refused (the caller queues)", async () => {
    const first = client.ask(askRequest({ brake: { mode: "budget", maxThinkingTokens: 200 } }));
    assert.equal(client.busy, true);
    const second = client.ask(askRequest());
    await assert.rejects(second.result, (error: unknown) => error instanceof EngineError && error.code === "busy" && /answering another question/.test(error.message));
    assert.equal((await first.result).brake?.reason, "budget");
    assert.equal(client.busy, false);
    assert.equal((await client.ask(askRequest()).result).brake?.reason, "overthinking");
  });

  it("continues a braked answer in place while it is still streaming (the engine decides, once)", async () => {
    // The slower model makes the answer stream for long enough that the request arrives while it does.
    client.setLoadConfig(cpuConfig(heavyModel(), 512));
    const handle = client.ask(askRequest({ brake: { mode: "off" }, generation: { maxAnswerTokens: 256 } }));
    let continued: Promise<unknown> | null = null;
    handle.onEvent((e) => {
      if (e.type === "thinking" && continued === null) handle.answerNow();
      if (e.type === "brake" && continued === null) continued = handle.continueThinking(20);
    });
    const result = await handle.result;
    assert.equal(await continued, handle, "the same handle goes on");
    assert.equal(result.continued, 1);
    assert.equal(result.answer, OVERTHINKING.answer);
    client.setLoadConfig(cpuConfig(models.overthinking));
  });

  it("turns a kill -9 mid-answer into a clear error, and the next question starts a fresh engine", async () => {
    const firstPid = client.pid;
    assert.ok(firstPid);
    const handle = client.ask(askRequest({ brake: { mode: "off" } }));
    let killed = false;
    handle.onEvent((e) => {
      if (e.type === "thinking" && !killed) {
        killed = true;
        process.kill(firstPid, "SIGKILL");
      }
    });
    await assert.rejects(handle.result, (error: unknown) => {
      assert.ok(error instanceof EngineError);
      assert.equal(error.code, "engine-crashed");
      assert.match(error.message, /stopped unexpectedly \(killed by SIGKILL\)/);
      assert.match(error.message, /conversation is kept/);
      return true;
    });
    assert.equal(client.state, "stopped");
    // The caller keeps the conversation and sends it with the next question.
    const next = client.ask(askRequest({ question: "And again?", history: [{ question: "What is 12 × 3?", answer: "The answer is **36**." }] }));
    const result = await next.result;
    assert.equal(result.answer, OVERTHINKING.answer);
    assert.ok(client.pid && client.pid !== firstPid, "a new engine process");
  });

  it("loads the previous model again after another one failed to load", async () => {
    const whole = readFileSync(models.overthinking);
    const truncated = models.writeRaw("truncated-swap.gguf", Buffer.concat([whole.subarray(0, 30), Buffer.alloc(10)]));
    assert.equal((await client.ask(askRequest()).result).braked, true);
    client.setLoadConfig(cpuConfig(truncated));
    await assert.rejects(client.ask(askRequest()).result, (error: unknown) => error instanceof EngineError && error.code === "not-gguf");
    assert.equal(client.state, "stopped");
    assert.equal(client.report, null);
    client.setLoadConfig(cpuConfig(models.overthinking));
    const again = await client.ask(askRequest()).result;
    assert.equal(again.braked, true);
    assert.equal(client.state, "ready");
  });

  it("does not grow over 50 prompts", async (t) => {
    for (let i = 0; i < 5; i++) await client.ask(askRequest()).result;
    const before = (await client.status()).rssBytes;
    for (let i = 0; i < 50; i++) {
      const r = await client.ask(askRequest({ question: `Question ${i}: what is 12 × 3?` })).result;
      assert.equal(r.answer, OVERTHINKING.answer);
    }
    const afterRss = (await client.status()).rssBytes;
    const growth = afterRss - before;
    t.diagnostic(`engine RSS over 50 prompts: ${(before / 1048576).toFixed(1)} → ${(afterRss / 1048576).toFixed(1)} MiB`);
    assert.ok(growth < 16 * 1024 * 1024, `RSS grew by ${(growth / 1048576).toFixed(1)} MiB over 50 prompts (${(before / 1048576).toFixed(1)} → ${(afterRss / 1048576).toFixed(1)} MiB)`);
  });

  it("returns the model's memory on unload", async (t) => {
    // A heavier replay model (about 120 MB of weights) so the memory is measurable.
    client.setLoadConfig(cpuConfig(heavyModel(), 512));
    const r = await client.ask(askRequest({ brake: { mode: "budget", maxThinkingTokens: 20 }, generation: { maxAnswerTokens: 8 } })).result;
    assert.equal(r.brake?.reason, "budget");
    const loaded = await client.status();
    const weights = client.report?.fileBytes ?? 0;
    assert.ok(weights > 100 * 1024 * 1024);
    await client.unload();
    const unloaded = await client.status();
    assert.equal(unloaded.loaded, false);
    const freed = loaded.rssBytes - unloaded.rssBytes;
    t.diagnostic(`engine RSS with ${(weights / 1048576).toFixed(1)} MiB of weights loaded: ${(loaded.rssBytes / 1048576).toFixed(1)} MiB; after unload: ${(unloaded.rssBytes / 1048576).toFixed(1)} MiB`);
    assert.ok(freed > 0.8 * weights, `unload freed ${(freed / 1048576).toFixed(1)} MiB of ${(weights / 1048576).toFixed(1)} MiB weights (RSS ${(loaded.rssBytes / 1048576).toFixed(1)} → ${(unloaded.rssBytes / 1048576).toFixed(1)} MiB)`);
    client.setLoadConfig(cpuConfig(models.overthinking));
  });
});

describe("Stop and the watchdog", () => {
  const LIMITS = { stallMs: 2000, cancelGraceMs: 1000, controlMs: 1000 };
  let watched: EngineClient;
  before(() => {
    watched = new EngineClient(cpuConfig(models.overthinking), { ...FROM_SOURCE, watchdog: LIMITS });
  });
  after(async () => {
    await watched.dispose();
  });

  /** Stops the engine process with SIGSTOP at its first thinking event; returns the stopped pid. */
  function freezeAtFirstThought(handle: ReturnType<EngineClient["ask"]>): Promise<number> {
    return new Promise((resolve) => {
      let frozen = false;
      handle.onEvent((e) => {
        const pid = watched.pid;
        if (e.type === "thinking" && !frozen && pid !== undefined) {
          frozen = true;
          process.kill(pid, "SIGSTOP");
          resolve(pid);
        }
      });
    });
  }

  function isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  function isUnresponsive(pattern: RegExp): (error: unknown) => boolean {
    return (error) => {
      assert.ok(error instanceof EngineError, String(error));
      assert.equal(error.code, "engine-unresponsive");
      assert.match(error.message, /The engine stopped responding/);
      assert.match(error.message, pattern);
      assert.match(error.message, /ask again to start a fresh engine/);
      return true;
    };
  }

  it("kills an engine that goes silent while answering; the next question starts a fresh one", async () => {
    const handle = watched.ask(askRequest({ brake: { mode: "off" } }));
    const pid = await freezeAtFirstThought(handle);
    await assert.rejects(handle.result, isUnresponsive(/nothing came from it for 2 s while it was answering/));
    assert.equal(watched.state, "stopped");
    // Failed at once; the kill itself lands as soon as the kernel lets the process go.
    const gone = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < gone) await sleep(50);
    assert.equal(isAlive(pid), false, "the frozen engine was killed");
    const next = await watched.ask(askRequest()).result;
    assert.equal(next.answer, OVERTHINKING.answer);
    assert.ok(watched.pid !== undefined && watched.pid !== pid, "a fresh engine answered");
  });

  it("kills an engine that does not stop within the grace period after Stop", async () => {
    const handle = watched.ask(askRequest({ brake: { mode: "off" } }));
    await freezeAtFirstThought(handle);
    handle.cancel();
    await assert.rejects(handle.result, isUnresponsive(/went silent for 1 s after Stop/));
    assert.equal((await watched.ask(askRequest()).result).answer, OVERTHINKING.answer);
  });

  it("gives up on a status request a frozen engine does not answer", async () => {
    await watched.ask(askRequest()).result;
    const pid = watched.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, "SIGSTOP");
    await assert.rejects(watched.status(), isUnresponsive(/did not answer a status request within 1 s/));
    assert.equal(watched.state, "stopped");
    assert.deepEqual(await watched.status(), { loaded: false, report: null, rssBytes: 0, generating: false, canContinue: false });
  });

  it("stops a question the moment it is asked, whether the engine still starts or already has the model", async () => {
    await watched.stop();
    const cold = watched.ask(askRequest());
    cold.cancel();
    await assert.rejects(cold.result, (error: unknown) => error instanceof EngineError && error.code === "cancelled");
    await watched.ask(askRequest()).result;
    const warm = watched.ask(askRequest());
    warm.cancel();
    const events: AskEvent[] = [];
    warm.onEvent(collect(events));
    await assert.rejects(warm.result, (error: unknown) => error instanceof EngineError && error.code === "cancelled");
    assert.equal(events.some((e) => e.type === "started"), false, "nothing was asked of the engine");
    assert.equal((await watched.ask(askRequest()).result).answer, OVERTHINKING.answer);
  });

  it("stops while the model loads: the question ends as cancelled and the engine stays usable", async () => {
    watched.setLoadConfig(cpuConfig(heavyModel(), 512));
    const handle = watched.ask(askRequest());
    const events: AskEvent[] = [];
    handle.onEvent((e) => {
      events.push(e);
      if (e.type === "loading") handle.cancel();
    });
    await assert.rejects(handle.result, (error: unknown) => error instanceof EngineError && error.code === "cancelled");
    assert.equal(events.some((e) => e.type === "started"), false, "no answer was started");
    watched.setLoadConfig(cpuConfig(models.overthinking));
    assert.equal((await watched.ask(askRequest()).result).answer, OVERTHINKING.answer);
  });

  it("stops while a long prompt is read, before the end of it", async () => {
    watched.setLoadConfig(cpuConfig(heavyModel(), 8192));
    const question = "Please consider this text carefully before you answer. ".repeat(60);
    const handle = watched.ask(askRequest({ question }));
    const reads: Array<{ evaluated: number; total: number }> = [];
    handle.onEvent((e) => {
      if (e.type !== "prompt") return;
      reads.push(e);
      handle.cancel();
    });
    const result = await handle.result;
    assert.equal(result.stopReason, "cancelled");
    assert.equal(result.tokens.thinking, 0);
    const last = reads.at(-1);
    assert.ok(last !== undefined, "the prompt was read in slices");
    assert.ok(last.evaluated < last.total, `stopped after ${last.evaluated} of ${last.total} prompt tokens`);
    watched.setLoadConfig(cpuConfig(models.overthinking));
  });
});

describe("idle unload", () => {
  it("stops the engine after the idle time and starts it again on the next question", async () => {
    const idle = new EngineClient(cpuConfig(models.selfEnding), { ...FROM_SOURCE, idleUnloadMinutes: 0.02 });
    try {
      await idle.ask(askRequest()).result;
      const pid = idle.pid;
      assert.ok(pid);
      const deadline = Date.now() + 15_000;
      while (idle.state !== "stopped" && Date.now() < deadline) await sleep(100);
      assert.equal(idle.state, "stopped");
      assert.equal(idle.pid, undefined);
      assert.throws(() => process.kill(pid, 0), "the engine process has exited");
      const again = await idle.ask(askRequest()).result;
      assert.equal(again.answer, "The answer is **36**.");
    } finally {
      await idle.dispose();
    }
  });
});
