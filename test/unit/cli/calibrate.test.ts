/** `self-braking calibrate` with a stand-in recorder: caching, resuming after a cancel, the report. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { defaultRecordingsDir, runCalibrate } from "../../../src/cli/commands/calibrate";
import type { CalibrateDeps } from "../../../src/cli/commands/calibrate";
import type { AnsweredLive } from "../../../src/engine/calibration/liveAnswer";
import type { AskRequest } from "../../../src/engine/common/types";
import { main } from "../../../src/cli/main";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Overthinks after stating 12 + 30 = 42, whatever it is asked. */
const THINKING = ["Tom has 12 + 30 = 42 apples.", "So the answer is 42.", "Wait, let me check: 30 + 12 = 42. Yes.", "Hmm, maybe I should verify again. The answer is 42.", "Another way: 40 + 2 = 42.", "I am confident.", ""].join("\n\n");

/** Answers every question as THINKING; with a brake on, it keeps the first two steps (a braked answer). */
function fakeRecorder(opts: { cancelAt?: number } = {}): { deps: CalibrateDeps["answerer"]; asked: string[]; braked: string[] } {
  const asked: string[] = [];
  const braked: string[] = [];
  return {
    asked,
    braked,
    deps: {
      async answer(request: AskRequest): Promise<AnsweredLive | null> {
        if (request.brake.mode !== "off") {
          braked.push(request.question);
          return { live: { model: "fake", thinking: THINKING.split("\n\n").slice(0, 2).join("\n\n"), answer: "The answer is **42**.", thinkingTokens: 12, seconds: 0.005 }, braked: true };
        }
        asked.push(request.question);
        if (opts.cancelAt !== undefined && asked.length >= opts.cancelAt) return null;
        return { live: { model: "fake", thinking: THINKING, answer: "The answer is **42**.", thinkingTokens: 40, seconds: 0.01 }, braked: false };
      },
      cancel: () => undefined,
      dispose: async () => undefined,
    },
  };
}

async function run(args: string[], deps: CalibrateDeps): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCalibrate(args, { stdout, stderr, isTTY: false }, deps);
  return { code, out: stdout.text, err: stderr.text };
}

describe("self-braking calibrate", () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-calibrate-"));
  const model = join(dir, "model.gguf");
  writeFileSync(model, "not really a model");
  const set = join(dir, "set.jsonl");
  writeFileSync(set, ["42", "42", "41"].map((answer, i) => JSON.stringify({ id: `p${i}`, question: `Apples, part ${i}?`, answer })).join("\n"));
  const recordings = join(dir, "rec");

  it("records, resumes after a cancel, then records nothing new", async () => {
    const first = fakeRecorder({ cancelAt: 2 });
    const stopped = await run(["--model", model, "--set", set, "--recordings", recordings], { answerer: first.deps });
    assert.equal(stopped.code, 130);
    assert.match(stopped.err, /Stopped with 1 of 3 problems recorded/);
    const second = fakeRecorder();
    const done = await run(["--model", model, "--set", set, "--recordings", recordings, "--thresholds", "0.1,0.3"], { answerer: second.deps });
    assert.equal(done.code, 0, done.err);
    assert.deepEqual(second.asked, ["Apples, part 1?", "Apples, part 2?"], "only what was missing");
    assert.match(done.out, /^# Brake calibration/);
    assert.match(done.out, /\| no brake \| 66\.7 % \(2\/3\)/);
    const third = fakeRecorder();
    const again = await run(["--model", model, "--set", set, "--recordings", recordings, "--json"], { answerer: third.deps });
    assert.equal(again.code, 0);
    assert.deepEqual(third.asked, []);
    assert.match(again.err, /3 already recorded/);
    const json = JSON.parse(again.out) as { report: { problems: number; noBrake: { correct: number } }; confirmation: Record<string, unknown> | null };
    assert.equal(json.report.problems, 3);
    assert.equal(third.braked.length, 3, "the recommendation is confirmed live on every problem (fewer than the default 6)");
    assert.deepEqual(
      { ...json.confirmation, verdict: undefined, liveMeanSeconds: undefined },
      { setting: json.confirmation?.setting, problems: 3, liveCorrect: 2, predictedCorrect: 2, noBrakeCorrect: 2, agreeing: 3, liveBraked: 3, predictedBraked: 3, liveMeanThinkingTokens: 12, noBrakeMeanThinkingTokens: 40, noBrakeMeanSeconds: 0.01, verdict: undefined, liveMeanSeconds: undefined },
    );
    assert.match(String(json.confirmation?.verdict), /^Confirmed: live with threshold 0\.\d\d, 2 of 3 right \(2 without the brake\)/);
    assert.match(done.out, /## Live confirmation \(threshold 0\.\d\d, 3 problems\)/);
    const noConfirm = fakeRecorder();
    const replayOnly = await run(["--model", model, "--set", set, "--recordings", recordings, "--json", "--confirm", "0"], { answerer: noConfirm.deps });
    assert.equal((JSON.parse(replayOnly.out) as { confirmation: unknown }).confirmation, null);
    assert.deepEqual(noConfirm.braked, []);
    assert.equal(json.report.noBrake.correct, 2);
    const [folder] = readdirSync(recordings);
    const [file] = readdirSync(join(recordings, folder as string));
    assert.match(String(folder), /^model-[0-9a-f]{12}$/);
    assert.match(String(file), /^file-set-[0-9a-f]{10}\.jsonl$/);
    assert.equal(readFileSync(join(recordings, folder as string, file as string), "utf8").trim().split("\n").length, 3);
  });

  it("reads the built-in sets, --n of each", async () => {
    const fake = fakeRecorder();
    const r = await run(["--model", model, "--set", "both", "--n", "2", "--recordings", join(dir, "rec2"), "--json"], { answerer: fake.deps });
    assert.equal(r.code, 0, r.err);
    assert.equal(fake.asked.length, 4);
    assert.ok(fake.asked.some((q) => q.includes("What does this return?")) && fake.asked.some((q) => !q.includes("What does this return?")), "one of each set");
  });

  it("explains usage mistakes", async () => {
    const stderr = new Capture();
    assert.equal(await main(["calibrate"], { stdout: new Capture(), stderr, isTTY: false }), 2);
    assert.match(stderr.text, /--model PATH is required/);
    const missing = new Capture();
    assert.equal(await main(["calibrate", "--model", model, "--set", join(dir, "none.jsonl")], { stdout: new Capture(), stderr: missing, isTTY: false }), 2);
    assert.match(missing.text, /does not exist/);
  });

  it("keeps recordings beside the models folder by default", () => {
    assert.equal(defaultRecordingsDir({}, "/home/u"), "/home/u/.cache/self-braking/calibration");
    assert.equal(defaultRecordingsDir({ XDG_CACHE_HOME: "/c" }, "/home/u"), "/c/self-braking/calibration");
    assert.equal(defaultRecordingsDir({ SELF_BRAKING_CALIBRATION_DIR: "/x" }, "/home/u"), "/x");
  });
});
