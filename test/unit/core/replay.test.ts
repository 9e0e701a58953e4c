import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { must } from "../../harness/must";
import { oracleCut } from "../../../src/core/replay/oracle";
import { parseTraceFile } from "../../../src/core/replay/record";
import type { TraceRecord } from "../../../src/core/replay/record";
import { perTraceLine, prepareTrace, replayPrepared } from "../../../src/core/replay/run";
import { summarize } from "../../../src/core/replay/summary";
import { frontierSvg } from "../../../src/core/replay/svg";
import { formatSummaryTable } from "../../../src/core/replay/table";
import { splitTrace } from "../../../src/core/replay/thinking";
import { createApproximateTokenCounter } from "../../../src/core/tokens/counter";
import { APPLES_BRAKE_AT, APPLES_THINKING, APPLES_TRACE, BOOKS_TRACE, CHOICE_TRACE, FLIP_TRACE } from "../fixtures/traces";

const counter = createApproximateTokenCounter();
const records = parseTraceFile([APPLES_TRACE, BOOKS_TRACE, FLIP_TRACE, CHOICE_TRACE].map((t) => JSON.stringify(t)).join("\n")).records;

function outcomes(config = {}) {
  return records.map((r: TraceRecord) => replayPrepared(prepareTrace(r, counter), config));
}

describe("trace file parsing", () => {
  it("reports bad lines with their number and keeps the good ones", () => {
    const text = [JSON.stringify(APPLES_TRACE), "{not json", "", JSON.stringify({ id: "x", dataset: "gsm8k" }), JSON.stringify({ ...BOOKS_TRACE, trace: "  " }), JSON.stringify(APPLES_TRACE), "[1]"].join("\n");
    const parsed = parseTraceFile(text);
    assert.deepEqual(parsed.records.map((r) => r.id), ["apples"]);
    assert.deepEqual(
      parsed.skipped.map((s) => s.line),
      [2, 4, 5, 6, 7],
    );
    assert.match(parsed.skipped[0]?.error ?? "", /malformed JSON/);
    assert.match(parsed.skipped[1]?.error ?? "", /missing fields answer, trace, correct/);
    assert.match(parsed.skipped[2]?.error ?? "", /empty trace/);
    assert.match(parsed.skipped[3]?.error ?? "", /duplicate id/);
  });
  it("reports empty ids, datasets and gold answers and ill-typed model or problem fields", () => {
    const lines = [
      { ...APPLES_TRACE, id: " " },
      { ...APPLES_TRACE, id: "d", dataset: "" },
      { ...APPLES_TRACE, id: "a", answer: "  " },
      { ...APPLES_TRACE, id: "m", model: 5 },
      { ...APPLES_TRACE, id: "p", problem: { text: "?" } },
      { ...APPLES_TRACE, id: "ok", model: null },
    ];
    const parsed = parseTraceFile(lines.map((l) => JSON.stringify(l)).join("\n"));
    assert.deepEqual(parsed.records.map((r) => [r.id, r.model]), [["ok", "unknown"]]);
    assert.deepEqual(
      parsed.skipped.map((s) => `${s.line}: ${s.error}`),
      ["1: empty id", "2: empty dataset", "3: empty answer (the gold answer is needed to score the trace)", "4: model must be a string", "5: problem must be a string"],
    );
  });
  it("finds the thinking the way the judge does", () => {
    assert.deepEqual(splitTrace("junk<think>abc</think>ans"), { thinking: "abc", answer: "ans", closed: true });
    assert.deepEqual(splitTrace("no tags at all"), { thinking: "no tags at all", answer: "", closed: false });
  });
});

describe("approximate token counter", () => {
  it("ends at the text's end and counts words, digits and punctuation", () => {
    const ends = counter.tokenEnds("Wait, 12 + 30 = 42.\n\nYes");
    assert.equal(ends[ends.length - 1], 24);
    assert.deepEqual(ends, [4, 5, 7, 8, 10, 12, 13, 15, 17, 18, 21, 24]);
    assert.ok(ends.every((e, i) => i === 0 || e > (ends[i - 1] ?? 0)));
  });
});

describe("replay", () => {
  it("brakes the fixture traces where expected", () => {
    const [apples, books, flip, choice] = outcomes();
    assert.equal(apples?.replay.brakeAt, APPLES_BRAKE_AT);
    assert.equal(apples?.replay.answer, "42");
    assert.equal(apples?.brakedCorrect, true);
    assert.equal(books?.replay.answer, "15");
    assert.equal(flip?.replay.answer, "8");
    assert.equal(flip?.brakedCorrect, true);
    assert.equal(choice?.replay.answer, "B");
  });
  it("writes per-trace lines in exactly the judge's format", () => {
    const line = JSON.parse(perTraceLine(outcomes()[0]!)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(line), ["id", "braked", "brakeAt", "answer", "reason"]);
    assert.deepEqual(line, { id: "apples", braked: true, brakeAt: APPLES_BRAKE_AT, answer: "42", reason: "overthinking" });
    const off = JSON.parse(perTraceLine(outcomes({ mode: "off" })[0]!)) as Record<string, unknown>;
    assert.deepEqual(off, { id: "apples", braked: false, brakeAt: null, answer: null, reason: null });
  });
  it("writes brakeAt in code points, where Python's slice of the thinking ends at the same place", () => {
    const trace = APPLES_TRACE.trace.replace("Let me compute the total.", "Let me compute the total 🍎 of 𝑥 apples.");
    const record = must(parseTraceFile(JSON.stringify({ ...APPLES_TRACE, trace })).records[0], "the parsed trace");
    const prepared = prepareTrace(record, counter);
    const outcome = replayPrepared(prepared, {});
    const line = JSON.parse(perTraceLine(outcome)) as { brakeAt: number };
    assert.equal(outcome.replay.brakeAt, line.brakeAt + 2);
    assert.ok(Array.from(prepared.thinking).slice(0, line.brakeAt).join("").endsWith("So the answer is 42.\n\n"));
  });
  it("reports a brake at the very end of the thinking as no brake: nothing was cut", () => {
    const record = must(parseTraceFile(JSON.stringify({ ...APPLES_TRACE, trace: `<think>${APPLES_THINKING.slice(0, APPLES_BRAKE_AT)}` })).records[0], "the parsed trace");
    const outcome = replayPrepared(prepareTrace(record, counter), {});
    assert.equal(outcome.replay.braked, true);
    assert.equal(outcome.replay.brakeAt, APPLES_BRAKE_AT);
    assert.deepEqual(JSON.parse(perTraceLine(outcome)), { id: "apples", braked: false, brakeAt: null, answer: null, reason: null });
  });
  it("places the oracle right after the first step stating the gold answer", () => {
    assert.equal(oracleCut(APPLES_THINKING, "42", "number", APPLES_TRACE.problem), APPLES_THINKING.indexOf("So the answer"));
    assert.equal(oracleCut(APPLES_THINKING, "7", "number", null), null);
  });
  it("summarises accuracy, flips, savings and the comparisons", () => {
    const groups = summarize(outcomes());
    const all = groups[0]!;
    assert.equal(all.group, "ALL");
    assert.equal(all.traces, 4);
    assert.equal(all.baselineAccuracy, 0.75);
    assert.equal(all.brakedAccuracy, 1);
    assert.equal(all.deltaPoints, 25);
    assert.equal(all.beneficialFlips, 1);
    assert.equal(all.harmfulFlips, 0);
    assert.equal(all.brakeRate, 1);
    assert.ok(all.tokensSaved > 0.2 && all.tokensSaved < 0.8);
    assert.ok(all.oracle.tokensSaved >= all.tokensSaved);
    assert.ok(all.oracleCaptured > 0 && all.oracleCaptured <= 1);
    assert.deepEqual(groups.map((g) => g.group), ["ALL", "other-model", "test-model", "other-model · gsm8k", "other-model · mmlu_pro_options", "test-model · gsm8k"]);
    assert.match(formatSummaryTable(groups), /^group\s+n\s+base/);
    const svg = frontierSvg([{ threshold: 0.2, overall: all }], "t");
    assert.match(svg, /^<svg /);
    assert.match(svg, /<\/svg>$/);
  });
});
