/** `self-braking calibrate` on a scripted generated model, run as a user would (from source, through tsx). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CHECKS_THEN_ENDS, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { ReasoningScript } from "../../../src/scripted-model/scripts";
import { makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

/** States 36, double-checks it several times, then closes its thinking by itself: a brake would have saved the checks. */

/**
 * States a wrong total (46), restates it, then corrects it late (48) and checks the correction; its
 * end-of-thinking probability is 0.3 right after the wrong answer (a margin under the signal
 * policy's 1 nat) and after the correction's first check. A brake before the correction loses the
 * answer; after it, it only saves the re-checks.
 */
const CORRECTS_LATE: ReasoningScript = {
  name: "scripted-corrects-late",
  description: "States 46, restates it, corrects it to 48, then re-checks 48 and closes its thinking.",
  thinking: [
    "Let me carefully set up the quantities from the problem statement before computing anything at all. There are 12 boxes, each box holds 4 items, and the question asks for the number of items in all of the boxes together, so I need one multiplication.",
    "Each box holds 4, so 12 × 4 = 46 items.",
    "So the answer is 46.",
    "Hmm, let me reconsider the multiplication carefully.",
    "12 × 4 is 48, not 46. So the answer is 48.",
    "Let me double-check: 4 × 12 = 48. Yes, the answer is 48.",
    "Wait, again: 10 × 4 + 2 × 4 = 48. The answer is 48.\nAnd 48 / 4 = 12 boxes. The answer is 48.",
    "I am confident the answer is 48.",
  ].join("\n\n"),
  loop: null,
  answer: "The answer is **48**.",
  endOfThinking: [
    { afterStep: 3, probability: 0.3 },
    { afterStep: 6, probability: 0.3 },
  ],
};

let models: ModelDir;
let model: string;
let set: string;
let recordings: string;

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8", timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  models = makeModels();
  model = models.write("checks-then-ends.gguf", reasoningModelSpec(CHECKS_THEN_ENDS));
  set = join(models.dir, "three.jsonl");
  writeFileSync(
    set,
    [
      { id: "right-1", question: "What is 12 × 3?", answer: "36" },
      { id: "right-2", question: "How much is three dozen?", answer: "36", kind: "math" },
      { id: "wrong", question: "What is 5 × 7?", answer: "35" },
    ].map((p) => JSON.stringify(p)).join("\n") + "\n",
  );
  recordings = join(models.dir, "recordings");
});

after(() => models.cleanup());

describe("self-braking calibrate (scripted model)", () => {
  it("records each problem with braking off, scores it, and reports the setting to use", () => {
    const r = cli("calibrate", "--model", model, "--set", set, "--recordings", recordings, "--gpu", "cpu", "--context", "2048", "--thresholds", "0.1,0.2,0.4");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /0 already recorded/);
    assert.match(r.stderr, /\[3\/3\] wrong: \d+ thinking tokens, wrong/);
    assert.match(r.stdout, /\| no brake \| 66\.7 % \(2\/3\)/);
    assert.match(r.stdout, /\| threshold 0\.20 \| 66\.7 % \(2\/3\) \| ±0\.0/);
    assert.match(r.stdout, /Recommended: threshold 0\.\d0/);
    assert.match(r.stdout, /"selfBraking\.brake\.mode": "adaptive"/);
    // the recommendation answered again live with the brake on: the scripted model is braked after its checks start
    assert.match(r.stderr, /\[confirm 3\/3\] \S+: \d+ thinking tokens, (right|wrong)/);
    assert.match(r.stdout, /## Live confirmation \(threshold 0\.\d0, 3 problems\)/);
    assert.match(r.stdout, /\| live \| 2\/3 \| 3 \|/);
    assert.match(r.stdout, /Confirmed: live with threshold 0\.\d0, 2 of 3 right \(2 without the brake\); replay's prediction agreed on 3 of 3\./);
    const [folder] = readdirSync(recordings);
    const [file] = readdirSync(join(recordings, String(folder)));
    const lines = readFileSync(join(recordings, String(folder), String(file)), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; trace: string; correct: boolean });
    assert.deepEqual(lines.map((l) => [l.id, l.correct]), [["right-1", true], ["right-2", true], ["wrong", false]]);
    assert.ok(lines.every((l) => l.trace.includes("I am confident the answer is 36.") && !l.trace.includes("No need to continue thinking")), "recorded unbraked");
  });

  it("records nothing new the second time (no engine without a confirmation), and reports as JSON", () => {
    const r = cli("calibrate", "--model", model, "--set", set, "--recordings", recordings, "--gpu", "cpu", "--context", "2048", "--json", "--confirm", "0");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /3 already recorded/);
    assert.doesNotMatch(r.stderr, /Starting the engine|\[1\/\d\]/);
    const out = JSON.parse(r.stdout) as { report: { problems: number; noBrake: { accuracy: number }; recommended: { settings: Record<string, unknown> } | null; frontier: unknown[] } };
    assert.equal(out.report.problems, 3);
    assert.equal(out.report.noBrake.accuracy, 2 / 3);
    assert.ok(out.report.recommended);
    assert.equal(out.report.recommended.settings["selfBraking.brake.mode"], "adaptive");
    assert.ok(out.report.frontier.length >= 2);
  });

  it("on a model that corrects itself late, recommends the lowest threshold that waits for the correction, and not the signal that brakes on the wrong answer", () => {
    const late = models.write("corrects-late.gguf", reasoningModelSpec(CORRECTS_LATE));
    const problems = join(models.dir, "late.jsonl");
    writeFileSync(problems, ["A", "B", "C"].map((shelf) => `How many items are on shelf ${shelf}?`).map((question, i) => JSON.stringify({ id: `late-${i}`, question, answer: "48" })).join("\n") + "\n");
    const r = cli("calibrate", "--model", late, "--set", problems, "--recordings", join(models.dir, "late-recordings"), "--gpu", "cpu", "--context", "2048", "--json", "--confirm", "3");
    assert.equal(r.code, 0, r.stderr);
    type Row = { label: string; threshold: number; correct: number; saving: number; withinTolerance: boolean };
    const out = JSON.parse(r.stdout) as {
      report: { noBrake: { correct: number }; settings: Row[]; signalSettings: Row[]; recommended: { threshold: number; settings: Record<string, unknown> } | null; signals: { recordingsWithSignals: number } };
      confirmation: { liveCorrect: number; agreeing: number; problems: number } | null;
    };
    const rep = out.report;
    assert.equal(rep.noBrake.correct, 3, "right without a brake");
    assert.equal(rep.signals.recordingsWithSignals, 3, "the two readings were recorded on every problem");
    // by design: low thresholds brake on the restated 46 and lose every answer; higher ones wait for 48
    const losing = rep.settings.filter((s) => s.correct === 0);
    const keeping = rep.settings.filter((s) => s.correct === 3);
    assert.equal(losing.length + keeping.length, rep.settings.length, `each threshold loses all or none: ${rep.settings.map((s) => `${s.label}: ${s.correct}/3`).join(", ")}`);
    assert.ok(losing.length > 0 && keeping.length > 0, rep.settings.map((s) => `${s.label}: ${s.correct}/3`).join(", "));
    assert.ok(Math.max(...losing.map((s) => s.threshold)) < Math.min(...keeping.map((s) => s.threshold)), "the losing thresholds are the low ones");
    assert.ok(losing.every((s) => !s.withinTolerance));
    // the signal brakes right after the wrong answer: every signal row loses
    assert.ok(rep.signalSettings.length > 0 && rep.signalSettings.every((s) => s.correct === 0 && !s.withinTolerance));
    const saving = keeping.filter((s) => s.saving > 0);
    assert.ok(saving.length > 0, `a threshold that waits for 48 still saves: ${rep.settings.map((s) => `${s.label}: ${s.correct}/3, ${(100 * s.saving).toFixed(1)} %`).join(", ")}`);
    const expected = saving.reduce((best, s) => (s.saving > best.saving ? s : best));
    assert.ok(rep.recommended);
    assert.equal(rep.recommended.threshold, expected.threshold);
    assert.equal(rep.recommended.settings["selfBraking.brake.signal"], "off");
    assert.ok(expected.saving > 0.03, `it still saves some of the re-checks: ${expected.saving}`);
    // confirmed live: the recommended threshold keeps the corrected answer on every problem
    assert.deepEqual([out.confirmation?.liveCorrect, out.confirmation?.agreeing, out.confirmation?.problems], [3, 3, 3]);
  });
});
