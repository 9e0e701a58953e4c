import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { main } from "../../../src/cli/main";
import { APPLES_BRAKE_AT, APPLES_TRACE, BOOKS_TRACE, CHOICE_TRACE, FLIP_TRACE } from "../fixtures/traces";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, isTTY: false });
  return { code, out: stdout.text, err: stderr.text };
}

const dir = mkdtempSync(join(tmpdir(), "sb-cli-"));
const input = join(dir, "traces.jsonl");
writeFileSync(
  input,
  [JSON.stringify(APPLES_TRACE), "{broken", JSON.stringify(BOOKS_TRACE), JSON.stringify({ id: "no-trace", dataset: "gsm8k", answer: "1", correct: true }), JSON.stringify(FLIP_TRACE), JSON.stringify(CHOICE_TRACE), ""].join("\n"),
);

describe("self-braking replay", () => {
  it("writes per-trace lines, a summary and reports bad lines with their number", async () => {
    const per = join(dir, "per.jsonl");
    const json = join(dir, "summary.json");
    const r = await cli(["replay", input, "--tokenizer", "approx", "--per-trace", per, "--json", json]);
    assert.equal(r.code, 0);
    assert.match(r.err, /traces\.jsonl:2: skipped: malformed JSON/);
    assert.match(r.err, /traces\.jsonl:4: skipped: missing field trace/);
    assert.match(r.out, /^4 traces · tokens: approximate/);
    assert.match(r.out, /\nALL\s+4\s+0\.750\s+1\.000\s+\+25\.0/);
    const lines = readFileSync(per, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    for (const l of lines) assert.deepEqual(Object.keys(l), ["id", "braked", "brakeAt", "answer", "reason"]);
    assert.deepEqual(lines[0], { id: "apples", braked: true, brakeAt: APPLES_BRAKE_AT, answer: "42", reason: "overthinking" });
    const summary = JSON.parse(readFileSync(json, "utf8")) as { groups: { group: string; brakedAccuracy: number }[] };
    assert.equal(summary.groups[0]?.group, "ALL");
    assert.equal(summary.groups[0]?.brakedAccuracy, 1);
  });
  it("gives the same brake points for any chunk size", async () => {
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    await cli(["replay", input, "--tokenizer", "approx", "--per-trace", a]);
    await cli(["replay", input, "--tokenizer", "approx", "--per-trace", b, "--chunk-tokens", "7"]);
    assert.equal(readFileSync(a, "utf8"), readFileSync(b, "utf8"));
  });
  it("sweeps thresholds into a table and an SVG", async () => {
    const svg = join(dir, "sweep.svg");
    const r = await cli(["replay", input, "--tokenizer", "approx", "--sweep", "0.1,0.3", "--svg", svg]);
    assert.equal(r.code, 0);
    assert.match(r.out, /sweep \(overall\)\nτ1\s+accuracy/);
    assert.match(r.out, /\n0\.10\s+1\.000/);
    assert.match(readFileSync(svg, "utf8"), /<svg[\s\S]*adaptive brake[\s\S]*<\/svg>/);
  });
  it("keeps the summary and per-trace lines at --threshold when sweeping", async () => {
    const plain = join(dir, "plain.jsonl");
    const swept = join(dir, "swept.jsonl");
    await cli(["replay", input, "--tokenizer", "approx", "--per-trace", plain]);
    const r = await cli(["replay", input, "--tokenizer", "approx", "--per-trace", swept, "--sweep", "0.05,0.4", "--svg", join(dir, "s.svg")]);
    assert.match(r.out, /threshold τ1 = 0\.2 /);
    assert.equal(readFileSync(swept, "utf8"), readFileSync(plain, "utf8"));
  });
  it("rejects bad arguments with exit code 2", async () => {
    assert.equal((await cli(["replay"])).code, 2);
    assert.equal((await cli(["replay", input, "--threshold", "7"])).code, 2);
    assert.equal((await cli(["replay", join(dir, "missing.jsonl")])).code, 2);
  });

  it("refuses blank or hex numbers, unknown options and unwritable outputs before any work, naming the option", async () => {
    const blank = await cli(["replay", input, "--threshold="]);
    assert.equal(blank.code, 2);
    assert.match(blank.err, /--threshold must be a number between 0 and 1 \(got ""\)/);
    assert.equal((await cli(["replay", input, "--threshold", "0x0"])).code, 2);
    const unknown = await cli(["replay", input, "--bogus"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--bogus[\s\S]*self-braking replay --help/);
    const negative = await cli(["replay", input, "--threshold", "-1"]);
    assert.equal(negative.code, 2);
    const json = join(dir, "nowhere", "summary.json");
    const unwritable = await cli(["replay", input, "--per-trace", join(dir, "early.jsonl"), "--json", json]);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.err, /--json .*nowhere.* does not exist/);
    assert.equal(unwritable.out, "", "nothing replayed");
    assert.throws(() => readFileSync(join(dir, "early.jsonl")), /ENOENT/);
    assert.match((await cli(["replay", input, "--per-trace", dir])).err, /--per-trace .* is a folder/);
    const budget = await cli(["replay", input, "--mode", "budget"]);
    assert.equal(budget.code, 2);
    assert.match(budget.err, /--mode budget needs --max-thinking-tokens/);
    // the brake's flags take the settings' choices and limits (selfBraking.brake.*)
    assert.match((await cli(["replay", input, "--mode", "fast"])).err, /--mode must be one of "off", "adaptive", "budget" \(got "fast"\)/);
    assert.match((await cli(["replay", input, "--max-thinking-tokens", "8"])).err, /--max-thinking-tokens must be a whole number between 16 and 1048576/);
    assert.match((await cli(["analyze", input, "--tokenizer", "gpt"])).err, /--tokenizer must be qwen, approx or auto/);
    assert.match((await cli(["analyze", input, "--thresholds", "abc"])).err, /--thresholds must be a number/);
    assert.equal((await cli(["sbt-data", input, "--mode", "exact", "--brake-sentence", " "])).code, 2);
  });

  it("skips a choice trace whose gold answer is not a plain letter instead of failing the run", async () => {
    const odd = join(dir, "odd-choice.jsonl");
    writeFileSync(odd, [JSON.stringify(CHOICE_TRACE), JSON.stringify({ ...CHOICE_TRACE, id: "paren", answer: "(B" }), JSON.stringify({ ...CHOICE_TRACE, id: "latex", answer: "\\frac{1}{2}" })].join("\n"));
    for (const command of [["replay", odd], ["analyze", odd], ["sbt-data", odd, "--mode", "exact", "--out", join(dir, "odd.jsonl")]]) {
      const r = await cli([...command, "--tokenizer", "approx"]);
      assert.equal(r.code, 0, `${command[0]}: ${r.err}`);
    }
  });
});

describe("self-braking analyze", () => {
  it("prints the metrics table and overthinking shares", async () => {
    const r = await cli(["analyze", input, "--tokenizer", "approx"]);
    assert.equal(r.code, 0);
    assert.match(r.out, /OS≥0\.2\s+OS≥0\.3\s+OS≥0\.4/);
    assert.match(r.out, /\nALL\s+4\s+4\s/);
  });
});

describe("self-braking sbt-data", () => {
  it("writes consistent chat examples and says what it skipped", async () => {
    const out = join(dir, "sbt.jsonl");
    const r = await cli(["sbt-data", input, "--mode", "exact", "--out", out, "--tokenizer", "approx"]);
    assert.equal(r.code, 0);
    assert.match(r.err, /skipped 1: final answer wrong: flip\n/);
    type Message = { role: string; content: string; train_detail?: { begin_offset: number; end_offset: number; train: boolean }[] };
    const examples = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; messages: Message[]; segments: { text: string }[] });
    assert.deepEqual(examples.map((e) => e.id), ["apples", "books", "choice"]);
    for (const e of examples) {
      assert.deepEqual(e.messages.map((m) => m.role), ["user", "assistant"]);
      assert.equal(e.segments.map((s) => s.text).join(""), e.messages[1]?.content);
      assert.equal(e.messages[1]?.content.split("</think>").length, 2);
      assert.equal(e.messages[1]?.train_detail?.at(-1)?.end_offset, Array.from(e.messages[1]?.content ?? "").length - 1);
    }
    assert.equal((await cli(["sbt-data", input, "--mode", "sloppy"])).code, 2);
    const opening = await cli(["sbt-data", input, "--mode", "exact", "--brake-sentence", "Stop <think> now"]);
    assert.equal(opening.code, 2);
    assert.match(opening.err, /may not contain <think>/);
  });
});
