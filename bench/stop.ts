/**
 * Stop latency and the watchdog's margin: `npm run bench:stop [-- --tokens 20000] [-- --busy N]
 * [-- --at 0.5,2,5,10,20]`.
 *
 * The slow scripted model ("heavy": 4 wide layers of zero weights, real compute per token) reads
 * a prompt of about `--tokens` tokens through the engine client and child process, as the
 * extension runs it. For each point in `--at` (seconds after the engine reports the question
 * started, "50%" when half the prompt is read, "gen" after the first thinking token), Stop is
 * pressed and the time until the answer settles is measured; each question differs from the
 * first token on, so each reads its prompt from the start. Then one question reads the
 * whole prompt and thinks 200 tokens, and the longest silence between two messages from the
 * engine is recorded: what the watchdog's stall timeout must stay well above. `--busy N` runs N
 * CPU-burning processes alongside (the "busy 2-core machine"). Writes bench-results/stop.json.
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EngineClient } from "../src/engine/client/engineClient";
import type { AskEvent, AskRequest, LoadConfig } from "../src/engine/common/types";
import { buildScriptedModel } from "../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../src/scripted-model/scripts";

const { values } = parseArgs({
  options: {
    tokens: { type: "string", default: "20000" },
    busy: { type: "string", default: "0" },
    at: { type: "string", default: "0.5,2,5,25%,50%,75%,90%,gen" },
  },
});
const promptTokens = Number(values.tokens);
const busy = Number(values.busy);
const stopPoints = (values.at ?? "").split(",").filter((s) => s.length > 0);

const dir = mkdtempSync(join(tmpdir(), "self-braking-stop-"));
const modelPath = join(dir, "heavy.gguf");
writeFileSync(
  modelPath,
  buildScriptedModel({ ...reasoningModelSpec(OVERTHINKING), contextLength: 65536, shape: { minEmbeddingLength: 1024, blockCount: 4, feedForwardLength: 2048 } }).gguf,
);
const load: LoadConfig = { modelPath, gpu: "cpu", gpuLayers: 0, contextSize: promptTokens + 4096, threads: "auto" };

/** A question the scripted model's byte-level tokenizer reads as about one token per character. */
function longQuestion(tokens: number): string {
  const words = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split(" ");
  let text = "";
  for (let i = 0; text.length < tokens; i++) text += `${words[(i * 7) % words.length] ?? ""} `;
  return text;
}

const request: AskRequest = {
  question: longQuestion(promptTokens),
  history: [],
  brake: { mode: "budget", threshold: 0.2, maxThinkingTokens: 200, cue: "Wait, I've verified my answer. No need to continue thinking.", probe: "off" },
  generation: { temperature: 0, maxAnswerTokens: 16, thinking: true },
};

function burners(n: number): ChildProcess[] {
  const code = "for(;;){}";
  return Array.from({ length: n }, () => fork("-e", [code], { execArgv: [], stdio: "ignore" }));
}

interface StopRow {
  readonly at: string;
  /** Prompt tokens read when Stop was pressed. */
  readonly readTokens: number;
  readonly settleMs: number;
  readonly stopReason: string;
}

async function stopAt(client: EngineClient, point: string): Promise<StopRow> {
  // Each question differs from the first token on, so each reads its prompt from the start.
  const handle = client.ask({ ...request, question: `Stop at ${point}: ${request.question}` });
  let readTokens = 0;
  let stoppedAt = 0;
  const stop = (): void => {
    if (stoppedAt !== 0) return;
    stoppedAt = performance.now();
    handle.cancel();
  };
  handle.onEvent((e: AskEvent) => {
    if (e.type === "prompt") readTokens = e.evaluated;
    if (point === "gen" && e.type === "thinking") stop();
    else if (point.endsWith("%") && e.type === "prompt" && e.evaluated >= (Number(point.slice(0, -1)) / 100) * e.total) stop();
    else if (/^[\d.]+$/.test(point) && e.type === "started") setTimeout(stop, Number(point) * 1000);
  });
  const result = await handle.result;
  const settleMs = stoppedAt === 0 ? Number.NaN : performance.now() - stoppedAt;
  console.error(`stop at ${point}: ${readTokens} tokens read, settled in ${settleMs.toFixed(0)} ms (${result.stopReason})`);
  return { at: point, readTokens, settleMs, stopReason: result.stopReason };
}

async function longestSilence(client: EngineClient): Promise<{ maxGapMs: number; promptMs: number; messages: number }> {
  // A question that differs from the first token on: nothing of it is in the cache yet.
  const handle = client.ask({ ...request, question: `Fresh: ${request.question}` });
  let last = performance.now();
  let maxGapMs = 0;
  let messages = 0;
  let started = 0;
  let firstThought = 0;
  handle.onEvent((e) => {
    const now = performance.now();
    if (e.type === "started") started = now;
    if (e.type === "thinking" && firstThought === 0) firstThought = now;
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    messages++;
  });
  await handle.result;
  return { maxGapMs, promptMs: firstThought - started, messages };
}

async function main(): Promise<void> {
  const load0 = burners(busy);
  const enginePath = existsSync("dist/engine.js") ? "dist/engine.js" : undefined;
  const client = new EngineClient(load, { ...(enginePath ? { enginePath } : {}), watchdog: { stallMs: 0 } });
  try {
    await client.load();
    const stops: StopRow[] = [];
    for (const point of stopPoints) stops.push(await stopAt(client, point));
    const silence = await longestSilence(client);
    console.error(`longest silence while working: ${silence.maxGapMs.toFixed(0)} ms over ${silence.messages} messages; prompt read in ${(silence.promptMs / 1000).toFixed(1)} s`);
    const result = {
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? "unknown", logicalCpus: availableParallelism(), busyProcesses: busy },
      promptTokens: client.report ? promptTokens : 0,
      stops,
      maxStopSettleMs: Math.max(...stops.map((s) => s.settleMs)),
      silence,
    };
    mkdirSync("bench-results", { recursive: true });
    writeFileSync("bench-results/stop.json", `${JSON.stringify(result, null, 2)}\n`);
    console.log(`| stop at | prompt tokens read | settled after Stop |\n|---|---|---|`);
    for (const s of stops) console.log(`| ${s.at === "gen" ? "first thinking token" : s.at.endsWith("%") ? `${s.at} of the prompt read` : `${s.at} s into the prompt`} | ${s.readTokens} | ${s.settleMs.toFixed(0)} ms |`);
    console.log(`\nlongest silence of a working engine: ${silence.maxGapMs.toFixed(0)} ms (prompt of ${promptTokens} tokens read in ${(silence.promptMs / 1000).toFixed(1)} s, ${(promptTokens / (silence.promptMs / 1000)).toFixed(0)} tokens/s)`);
  } finally {
    await client.dispose();
    for (const p of load0) p.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
