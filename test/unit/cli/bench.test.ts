/** `self-braking bench` with a stand-in answerer: the requests each variant makes, the budget, the outputs, Ctrl-C. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { runBench } from "../../../src/cli/commands/bench";
import type { BenchAnswer, BenchAnswerer } from "../../../src/cli/commands/bench";
import type { BenchReport } from "../../../src/core/benchmark/report";
import { DEFAULT_BRAKE_CUE } from "../../../src/core/settings/registry";
import type { AskRequest } from "../../../src/engine/common/types";
import { main } from "../../../src/cli/main";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * Thinks 100 tokens unbraked; the brake stops it at 40 on the first problem and 50 on the others
 * (mean 46.7, so the budget is 47), the signal at 30, probes at 35; a budget (the engine's or
 * node-llama-cpp's) cuts at its number.
 * Always answers 42. Each answer takes 0.5 s of generation and 0.6 s of wall time.
 */
function fakeAnswerer(opts: { interruptAt?: number; failAt?: number } = {}): { answerer: BenchAnswerer; requests: AskRequest[]; disposed: () => boolean } {
  const requests: AskRequest[] = [];
  let cancelled = false;
  let disposed = false;
  return {
    requests,
    disposed: () => disposed,
    answerer: {
      prepare: async () => ({ model: "fake-model", runsOn: "CPU · context 4096 · 2 threads" }),
      async answer(request): Promise<BenchAnswer | null> {
        requests.push(request);
        if (opts.interruptAt !== undefined && requests.length === opts.interruptAt) process.emit("SIGINT");
        if (cancelled) return null;
        if (requests.length === opts.failAt) throw new Error("The engine stopped unexpectedly (killed by SIGKILL).");
        const b = request.brake;
        const first = request.question.endsWith("0?");
        let thinking = 100;
        let reason: "overthinking" | "signal" | "probe" | "budget" | null = null;
        if (request.nativeThoughtBudget !== undefined) [thinking, reason] = [Math.min(100, request.nativeThoughtBudget), "budget"];
        else if (b.mode === "budget") [thinking, reason] = [Math.min(100, b.maxThinkingTokens), "budget"];
        else if (b.mode === "adaptive" && b.signal === "endOfThinking") [thinking, reason] = [30, "signal"];
        else if (b.mode === "adaptive" && b.probe === "onTransition") [thinking, reason] = [35, "probe"];
        else if (b.mode === "adaptive") [thinking, reason] = [first ? 40 : 50, "overthinking"];
        return {
          result: {
            answer: "The answer is **42**.",
            stopReason: "eos",
            brake: reason === null ? null : { reason },
            tokens: { thinking, answer: 6, discarded: reason === null ? 0 : 2 },
            timings: { ttftMs: 100, totalMs: 600 },
          },
          wallSeconds: 0.6,
        };
      },
      cancel: () => {
        cancelled = true;
      },
      dispose: async () => {
        disposed = true;
      },
    },
  };
}

async function run(args: string[], answerer: BenchAnswerer): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runBench(args, { stdout, stderr, isTTY: false }, { answerer });
  return { code, out: stdout.text, err: stderr.text };
}

describe("self-braking bench", () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-"));
  const model = join(dir, "model.gguf");
  writeFileSync(model, "not really a model");
  const set = join(dir, "set.jsonl");
  writeFileSync(set, ["42", "42", "41"].map((answer, i) => JSON.stringify({ id: `p${i}`, question: `Apples, part ${i}?`, answer })).join("\n"));

  it("asks every problem under every variant, in order, with the same seed, and reports JSON that adds up", async () => {
    const fake = fakeAnswerer();
    const out = join(dir, "out");
    const svg = join(dir, "chart.svg");
    const r = await run(["--model", model, "--dataset", set, "--json", "--seed", "7", "--out", out, "--svg", svg], fake.answerer);
    assert.equal(r.code, 0, r.err);
    assert.ok(fake.disposed());
    // variant after variant, each over the three problems
    assert.equal(fake.requests.length, 18);
    const modes = fake.requests.map((q) => `${q.brake.mode}/${q.brake.signal ?? "off"}/${q.brake.probe}/${q.brake.maxThinkingTokens}/${q.brake.cue === "" ? "no cue" : q.brake.cue === DEFAULT_BRAKE_CUE ? "cue" : q.brake.cue}/${q.nativeThoughtBudget ?? "-"}`);
    const expected = [
      "off/off/off/8192/cue/-",
      "adaptive/off/off/8192/cue/-",
      "adaptive/endOfThinking/off/8192/cue/-",
      "adaptive/off/onTransition/8192/cue/-",
      "budget/off/off/47/cue/-",
      // node-llama-cpp's thought budget; the engine's brake is off
      "off/off/off/8192/cue/47",
    ].flatMap((m) => [m, m, m]);
    assert.deepEqual(modes, expected);
    assert.ok(fake.requests.every((q) => q.generation.seed === 7 && q.generation.temperature === 0 && q.generation.thinking && q.brake.threshold === 0.2));
    assert.deepEqual(fake.requests.slice(0, 3).map((q) => q.question), ["Apples, part 0?", "Apples, part 1?", "Apples, part 2?"]);

    const report = JSON.parse(r.out) as BenchReport;
    assert.equal(report.model, "fake-model");
    assert.equal(report.complete, true);
    assert.deepEqual(report.budget, { tokens: 47, source: "brake-mean" });
    assert.deepEqual(report.variants.map((v) => v.variant), ["off", "brake", "signal", "probes", "budget", "native"]);
    for (const v of report.variants) {
      assert.equal(v.correct, 2, v.variant);
      assert.equal(v.problems, 3);
      assert.deepEqual(v.runs.map((x) => [x.problemId, x.right]), [["p0", true], ["p1", true], ["p2", false]]);
      assert.equal(v.thinkingTokens.total, v.runs.reduce((s, x) => s + x.thinkingTokens, 0));
      assert.equal(v.generatedTokens, v.thinkingTokens.total + v.answerTokens.total + v.runs.reduce((s, x) => s + (x.endedBy === "none" ? 0 : 2), 0));
      assert.equal(v.generationSeconds, 1.5);
      assert.equal(v.tokensPerSecond, v.generatedTokens / 1.5);
      assert.equal(Math.round(v.wallSeconds.total * 10), 18);
      if (v.variant !== "off") assert.deepEqual([v.vsOff?.points, v.vsOff?.low, v.vsOff?.high, v.vsOff?.pairs], [0, 0, 0, 3]);
    }
    const by = Object.fromEntries(report.variants.map((v) => [v.variant, v]));
    assert.deepEqual(by.off?.endedBy, { none: 3 });
    assert.equal(by.off?.thinkingTokens.mean, 100);
    assert.deepEqual(by.brake?.runs.map((x) => x.thinkingTokens), [40, 50, 50]);
    assert.deepEqual(by.brake?.endedBy, { overthinking: 3 });
    assert.deepEqual(by.signal?.endedBy, { signal: 3 });
    assert.deepEqual(by.probes?.endedBy, { probe: 3 });
    for (const v of [by.budget, by.native]) {
      assert.ok(v);
      assert.ok(v.runs.every((x) => x.thinkingTokens <= 47 && x.endedBy === "budget"));
    }
    assert.equal(by.native?.setting, "node-llama-cpp budgets.thoughtTokens = 47");
    assert.match(r.err, /\[brake 3\/3\] p2: 50 thinking tokens, wrong, braked \(overthinking\), about \d+ s left/);
    assert.match(r.err, /Fixed budget: 47 thinking tokens/);

    // --out and --svg: the same report, the markdown and the chart
    assert.deepEqual(JSON.parse(readFileSync(join(out, "bench.json"), "utf8")), report);
    assert.match(readFileSync(join(out, "bench.md"), "utf8"), /^# Benchmark: fake-model\n/);
    const chart = readFileSync(svg, "utf8");
    assert.equal(chart, readFileSync(join(out, "bench.svg"), "utf8"));
    assert.match(chart, /native \(node-llama-cpp budgets\.thoughtTokens = 47\): 66\.7 % at 47 mean thinking tokens/);
  });

  it("prints markdown by default, runs only the variants asked for, and takes a given budget", async () => {
    const fake = fakeAnswerer();
    const r = await run(["--model", model, "--dataset", set, "--variants", "native,off", "--budget", "20", "--threshold", "0.3"], fake.answerer);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(fake.requests.map((q) => [q.brake.mode, q.nativeThoughtBudget]), [["off", undefined], ["off", undefined], ["off", undefined], ["off", 20], ["off", 20], ["off", 20]]);
    assert.match(r.out, /^# Benchmark: fake-model\n/);
    assert.match(r.out, /\| off \| no brake \| 66\.7 % \(2\/3\) \| — \| 100\.0 \| 100\.0 \| 100\.0 \|/);
    assert.match(r.out, /\| native \| node-llama-cpp budgets\.thoughtTokens = 20 \| 66\.7 % \(2\/3\) \| \+0\.0 \[\+0\.0, \+0\.0\] \| 20\.0 \|/);
    assert.match(r.out, /Fixed budget: 20 thinking tokens \(given with --budget\)/);
  });

  it("takes the brake's threshold and signal policy from a calibration", async () => {
    const calibration = join(dir, "calibration.json");
    writeFileSync(calibration, JSON.stringify({ model: "m", report: { recommended: { label: "threshold 0.40 + signal", threshold: 0.4, settings: { "selfBraking.brake.mode": "adaptive", "selfBraking.brake.threshold": 0.4, "selfBraking.brake.signal": "endOfThinking" } } } }));
    const fake = fakeAnswerer();
    const r = await run(["--model", model, "--dataset", set, "--variants", "brake", "--calibration", calibration, "--json"], fake.answerer);
    assert.equal(r.code, 0, r.err);
    assert.ok(fake.requests.every((q) => q.brake.mode === "adaptive" && q.brake.threshold === 0.4 && q.brake.signal === "endOfThinking"));
    assert.equal((JSON.parse(r.out) as BenchReport).variants[0]?.setting, "adaptive, threshold 0.40, end-of-thinking signal");
    const none = join(dir, "none.json");
    writeFileSync(none, JSON.stringify({ report: { recommended: null } }));
    await assert.rejects(run(["--model", model, "--dataset", set, "--calibration", none], fakeAnswerer().answerer), /recommends no setting/);
  });

  it("reports what was measured when stopped with Ctrl-C", async () => {
    const fake = fakeAnswerer({ interruptAt: 5 });
    const r = await run(["--model", model, "--dataset", set, "--json"], fake.answerer);
    assert.equal(r.code, 130);
    assert.equal(fake.requests.length, 5, "nothing is asked after the stop");
    assert.ok(fake.disposed());
    assert.match(r.err, /Stopping: the running answer is cancelled/);
    assert.match(r.err, /Stopped after 4 of 18 answers/);
    const report = JSON.parse(r.out) as BenchReport;
    assert.equal(report.complete, false);
    assert.equal(report.stopped, true);
    assert.deepEqual(report.variants.map((v) => [v.variant, v.problems]), [["off", 3], ["brake", 1]]);
    assert.equal(report.variants[1]?.vsOff?.pairs, 1);
    assert.equal(report.budget, null, "the budget variants never ran");
  });

  it("reports the answers measured before an engine error, then the error", async () => {
    const fake = fakeAnswerer({ failAt: 4 });
    const r = await run(["--model", model, "--dataset", set, "--json"], fake.answerer);
    assert.equal(r.code, 1);
    assert.ok(fake.disposed());
    assert.match(r.err, /Stopped after 3 of 18 answers\.\nself-braking bench: The engine stopped unexpectedly/);
    const report = JSON.parse(r.out) as BenchReport;
    assert.deepEqual([report.complete, report.stopped], [false, true]);
    assert.deepEqual(report.variants.map((v) => [v.variant, v.problems]), [["off", 3]]);
    const first = fakeAnswerer({ failAt: 1 });
    await assert.rejects(run(["--model", model, "--dataset", set], first.answerer), /stopped unexpectedly/, "nothing measured: the error alone");
    assert.ok(first.disposed());
  });

  it("explains usage mistakes", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /--model PATH is required/],
      [["--model", model, "--dataset", join(dir, "none.jsonl")], /--dataset: .*does not exist/],
      [["--model", model, "--variants", "off,fast"], /unknown variant fast/],
      [["--model", model, "--variants", "off,budget"], /add brake to --variants, or give --budget N/],
      [["--model", model, "--threshold", "0.2", "--calibration", "x.json"], /not both/],
      [["--model", model, "--threshold", "2"], /--threshold must be/],
      [["--model", model, "--calibration", join(dir, "missing.json")], /cannot be read/],
      [["--model", join(dir, "missing.gguf")], /does not exist/],
    ];
    for (const [args, message] of cases) {
      const stderr = new Capture();
      assert.equal(await main(["bench", ...args], { stdout: new Capture(), stderr, isTTY: false }), 2, args.join(" "));
      assert.match(stderr.text, message);
    }
    const help = new Capture();
    assert.equal(await main(["bench", "--help"], { stdout: help, stderr: new Capture(), isTTY: false }), 0);
    assert.match(help.text, /Ctrl-C cancels the running answer and reports what was measured so far/);
  });
});
