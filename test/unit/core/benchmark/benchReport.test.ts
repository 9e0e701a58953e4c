/** The benchmark's aggregation, table and chart on hand-written per-problem results. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BenchInput, EndedBy, ProblemRun, VariantRuns } from "../../../../src/core/benchmark/report";
import { benchReport, budgetFromBrake, spread, summarizeVariant } from "../../../../src/core/benchmark/report";
import { benchChartPoints, benchChartSvg, renderBenchMarkdown, TABLE_HEADER } from "../../../../src/core/benchmark/render";

function run(problemId: string, right: boolean, thinking: number, answer: number, generated: number, generationSeconds: number, wallSeconds: number, endedBy: EndedBy = "none", stopReason: ProblemRun["stopReason"] = "eos"): ProblemRun {
  return { problemId, right, thinkingTokens: thinking, answerTokens: answer, generatedTokens: generated, generationSeconds, wallSeconds, endedBy, stopReason };
}

const OFF: VariantRuns = {
  variant: "off",
  setting: "no brake",
  runs: [
    run("p1", true, 100, 10, 110, 1.0, 1.5),
    run("p2", true, 200, 20, 220, 2.0, 2.5),
    run("p3", false, 300, 30, 330, 3.0, 3.5, "context"),
    run("p4", false, 400, 40, 440, 4.0, 4.5, "none", "answer-cap"),
  ],
};

/** Loses p2 (right without the brake, wrong with it); the others agree. */
const BRAKE: VariantRuns = {
  variant: "brake",
  setting: "adaptive, threshold 0.20",
  runs: [
    run("p1", true, 50, 10, 70, 0.5, 0.75, "overthinking"),
    run("p2", false, 60, 12, 72, 0.5, 0.75, "overthinking"),
    run("p3", false, 90, 15, 105, 1.0, 1.25, "none"),
    run("p4", false, 80, 16, 96, 1.0, 1.25, "signal"),
  ],
};

/** Gains p3 and p4. */
const BUDGET: VariantRuns = {
  variant: "budget",
  setting: "cut at 70 thinking tokens, with the cue",
  runs: ["p1", "p2", "p3", "p4"].map((id, i) => run(id, true, 70, 8 + i, 78 + i, 0.5, 0.5, "budget")),
};

function input(variants: VariantRuns[], stopped = false): BenchInput {
  return {
    model: "test-model",
    runsOn: "CPU · context 2048 · 2 threads",
    problems: 4,
    sets: ["file-set"],
    generation: { temperature: 0, seed: 1, maxAnswerTokens: 2048 },
    budget: { tokens: 70, source: "brake-mean" },
    variants,
    stopped,
  };
}

const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

describe("bench aggregation", () => {
  it("computes mean, median and p90 as by hand, and the totals add up", () => {
    const off = summarizeVariant(OFF, null);
    // sorted 100 200 300 400: median (200 + 300) / 2; p90 at 0.9 × 3 = 2.7 → 300 + 0.7 × 100
    assert.deepEqual({ ...off.thinkingTokens, p90: undefined }, { mean: 250, median: 250, p90: undefined, total: 1000 });
    close(off.thinkingTokens.p90, 370, "thinking p90");
    assert.deepEqual({ ...off.answerTokens, p90: undefined }, { mean: 25, median: 25, p90: undefined, total: 100 });
    close(off.answerTokens.p90, 37, "answer p90");
    assert.deepEqual(off.wallSeconds, { mean: 3, total: 12 });
    assert.equal(off.generatedTokens, 1100);
    assert.equal(off.generationSeconds, 10);
    assert.equal(off.tokensPerSecond, 110);
    assert.equal(off.correct, 2);
    assert.equal(off.accuracy, 0.5);
    assert.equal(off.vsOff, null);
    assert.deepEqual(off.endedBy, { context: 1, none: 3 });
    assert.deepEqual(off.stopReasons, { eos: 3, "answer-cap": 1 });

    const brake = summarizeVariant(BRAKE, OFF);
    // sorted 50 60 80 90: median 70, p90 80 + 0.7 × 10
    assert.equal(brake.thinkingTokens.mean, 70);
    assert.equal(brake.thinkingTokens.median, 70);
    close(brake.thinkingTokens.p90, 87, "brake p90");
    assert.equal(brake.thinkingTokens.total, brake.runs.reduce((s, r) => s + r.thinkingTokens, 0));
    assert.equal(brake.wallSeconds.total, 4);
    assert.equal(brake.wallSeconds.mean * brake.problems, brake.wallSeconds.total);
    assert.equal(brake.tokensPerSecond, (70 + 72 + 105 + 96) / 3);
    assert.deepEqual(brake.endedBy, { overthinking: 2, signal: 1, none: 1 });
    const reasons = Object.values(brake.endedBy).reduce((s, n) => s + (n ?? 0), 0);
    assert.equal(reasons, brake.problems, "every answer is counted under one reason");
    assert.equal(budgetFromBrake(BRAKE.runs), 70);
    assert.equal(budgetFromBrake([run("x", true, 0, 1, 1, 0, 0)]), 1, "at least one token");
    assert.deepEqual(spread([]), { mean: 0, median: 0, p90: 0, total: 0 });
  });

  it("gives the paired difference from off its sign and interval", () => {
    const brake = summarizeVariant(BRAKE, OFF);
    assert.ok(brake.vsOff);
    assert.equal(brake.vsOff.points, -25);
    assert.deepEqual([brake.vsOff.lost, brake.vsOff.gained, brake.vsOff.pairs], [1, 0, 4]);
    assert.ok(brake.vsOff.low < 0 && brake.vsOff.high <= 0, JSON.stringify(brake.vsOff));
    const budget = summarizeVariant(BUDGET, OFF);
    assert.ok(budget.vsOff);
    assert.equal(budget.vsOff.points, 50);
    assert.deepEqual([budget.vsOff.lost, budget.vsOff.gained], [0, 2]);
    assert.ok(budget.vsOff.low >= 0 && budget.vsOff.high > 0, JSON.stringify(budget.vsOff));
    // the accuracy difference is exactly the difference of the two accuracies on the same problems
    assert.equal(budget.vsOff.points, 100 * (budget.accuracy - summarizeVariant(OFF, null).accuracy));
    // a loss on 8 of 40 problems: the whole interval is below zero
    const many = (right: (i: number) => boolean, variant: VariantRuns["variant"]): VariantRuns => ({ variant, setting: variant, runs: Array.from({ length: 40 }, (_, i) => run(`q${i}`, right(i), 10, 1, 11, 1, 1)) });
    const lossy = summarizeVariant(many((i) => i >= 8, "brake"), many(() => true, "off"));
    assert.ok(lossy.vsOff && lossy.vsOff.points === -20 && lossy.vsOff.high < 0, JSON.stringify(lossy.vsOff));
  });

  it("pairs only the problems both variants answered when stopped early", () => {
    const partial: VariantRuns = { ...BRAKE, runs: BRAKE.runs.slice(0, 2) };
    const report = benchReport(input([OFF, partial], true));
    assert.equal(report.complete, false);
    const brake = report.variants[1];
    assert.ok(brake?.vsOff);
    assert.equal(brake.problems, 2);
    assert.equal(brake.vsOff.pairs, 2);
    assert.equal(brake.vsOff.points, -50);
    assert.match(renderBenchMarkdown(report), /\*\*Stopped early\*\* \(off 4\/4, brake 2\/4\)/);
    assert.equal(benchReport(input([OFF, BRAKE])).complete, true);
  });

  it("prints markdown cells equal to the JSON numbers, and the chart at the table's points", () => {
    const report = benchReport(input([OFF, BRAKE, BUDGET]));
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    const markdown = renderBenchMarkdown(report);
    const rows = markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| variant"));
    assert.equal(rows.length, 3);
    const header = markdown.split("\n").find((l) => l.startsWith("| variant"));
    assert.equal(header, `| ${TABLE_HEADER.join(" | ")} |`);
    const col = (name: string): number => TABLE_HEADER.indexOf(name);
    const within = (cellText: string | undefined, value: number, decimals: number, what: string): void => {
      assert.ok(cellText !== undefined, what);
      assert.ok(Math.abs(Number(cellText) - value) <= 0.5 * 10 ** -decimals + 1e-12, `${what}: cell ${cellText}, JSON ${value}`);
    };
    rows.forEach((row, i) => {
      const cells = row.slice(2, -2).split(" | ");
      const v = json.variants[i];
      assert.ok(v);
      assert.equal(cells.length, TABLE_HEADER.length);
      assert.equal(cells[col("variant")], v.variant);
      assert.equal(cells[col("setting")], v.setting);
      const acc = /^([\d.]+) % \((\d+)\/(\d+)\)$/.exec(cells[col("accuracy")] ?? "");
      assert.ok(acc, cells[col("accuracy")]);
      within(acc[1], 100 * v.accuracy, 1, "accuracy");
      assert.deepEqual([Number(acc[2]), Number(acc[3])], [v.correct, v.problems]);
      if (v.vsOff === null) assert.equal(cells[col("vs off, points [95 % CI]")], "—");
      else {
        const d = /^([+-][\d.]+) \[([+-][\d.]+), ([+-][\d.]+)\]$/.exec(cells[col("vs off, points [95 % CI]")] ?? "");
        assert.ok(d, cells[col("vs off, points [95 % CI]")]);
        within(d[1], v.vsOff.points, 1, "points");
        within(d[2], v.vsOff.low, 1, "low");
        within(d[3], v.vsOff.high, 1, "high");
      }
      within(cells[col("thinking mean")], v.thinkingTokens.mean, 1, "thinking mean");
      within(cells[col("thinking median")], v.thinkingTokens.median, 1, "thinking median");
      within(cells[col("thinking p90")], v.thinkingTokens.p90, 1, "thinking p90");
      within(cells[col("answer mean")], v.answerTokens.mean, 1, "answer mean");
      within(cells[col("answer median")], v.answerTokens.median, 1, "answer median");
      within(cells[col("answer p90")], v.answerTokens.p90, 1, "answer p90");
      within(cells[col("wall s mean")], v.wallSeconds.mean, 2, "wall mean");
      within(cells[col("wall s total")], v.wallSeconds.total, 1, "wall total");
      within(cells[col("tokens/s")], v.tokensPerSecond, 1, "tokens/s");
      const reasons = Object.fromEntries((cells[col("thinking ended by")] ?? "").split(", ").map((p) => [p.split(" ")[0], Number(p.split(" ")[1])]));
      assert.deepEqual(reasons, v.endedBy);
    });
    assert.match(markdown, /Fixed budget: 70 thinking tokens \(the brake variant's mean thinking tokens, rounded\)/);

    const points = benchChartPoints(report);
    assert.deepEqual(
      points.map((p) => [p.series, p.x, p.accuracy]),
      report.variants.map((v) => [v.variant, v.thinkingTokens.mean, v.accuracy]),
    );
    rows.forEach((row, i) => within(row.slice(2, -2).split(" | ")[col("thinking mean")], points[i]?.x ?? NaN, 1, "chart x"));
    const svg = benchChartSvg(report);
    assert.match(svg, /^<svg /);
    for (const v of report.variants) assert.ok(svg.includes(`${v.variant} (${v.setting}): ${(100 * v.accuracy).toFixed(1)} % at ${Number(v.thinkingTokens.mean.toPrecision(3))} mean thinking tokens`), v.variant);
  });
});
