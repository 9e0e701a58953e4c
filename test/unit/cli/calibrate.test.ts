/** `self-braking calibrate` with a stand-in recorder: caching, resuming after a cancel, the report. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { defaultRecordingsDir, runCalibrate } from "../../../src/cli/commands/calibrate";
import type { CalibrateDeps } from "../../../src/cli/commands/calibrate";
import type { CalibrationProblem } from "../../../src/core/calibration/problems";
import type { LiveAnswer } from "../../../src/core/calibration/recording";
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

function fakeRecorder(opts: { cancelAt?: number } = {}): { deps: CalibrateDeps["recorder"]; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    deps: {
      async record(problem: CalibrationProblem): Promise<LiveAnswer | null> {
        asked.push(problem.id);
        if (opts.cancelAt !== undefined && asked.length >= opts.cancelAt) return null;
        return { model: "fake", thinking: THINKING, answer: "The answer is **42**.", thinkingTokens: 40, seconds: 0.01 };
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
    const stopped = await run(["--model", model, "--set", set, "--recordings", recordings], { recorder: first.deps });
    assert.equal(stopped.code, 130);
    assert.match(stopped.err, /Stopped with 1 of 3 problems recorded/);
    const second = fakeRecorder();
    const done = await run(["--model", model, "--set", set, "--recordings", recordings, "--thresholds", "0.1,0.3"], { recorder: second.deps });
    assert.equal(done.code, 0, done.err);
    assert.deepEqual(second.asked, ["p1", "p2"], "only what was missing");
    assert.match(done.out, /^# Brake calibration/);
    assert.match(done.out, /\| no brake \| 66\.7 % \(2\/3\)/);
    const third = fakeRecorder();
    const again = await run(["--model", model, "--set", set, "--recordings", recordings, "--json"], { recorder: third.deps });
    assert.equal(again.code, 0);
    assert.deepEqual(third.asked, []);
    assert.match(again.err, /3 already recorded/);
    const json = JSON.parse(again.out) as { report: { problems: number; noBrake: { correct: number } } };
    assert.equal(json.report.problems, 3);
    assert.equal(json.report.noBrake.correct, 2);
    const [folder] = readdirSync(recordings);
    const [file] = readdirSync(join(recordings, folder as string));
    assert.match(String(folder), /^model-[0-9a-f]{12}$/);
    assert.match(String(file), /^file-set-[0-9a-f]{10}\.jsonl$/);
    assert.equal(readFileSync(join(recordings, folder as string, file as string), "utf8").trim().split("\n").length, 3);
  });

  it("reads the built-in sets, --n of each", async () => {
    const fake = fakeRecorder();
    const r = await run(["--model", model, "--set", "both", "--n", "2", "--recordings", join(dir, "rec2"), "--json"], { recorder: fake.deps });
    assert.equal(r.code, 0, r.err);
    assert.equal(fake.asked.length, 4);
    assert.ok(fake.asked.some((id) => id.startsWith("gsm8k-")) && fake.asked.some((id) => id.startsWith("cruxeval-")));
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
