/** The built-in calibration sets: their shape, their licences, and that they are the documented seeded draw. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseProblems } from "../../../../src/core/calibration/problems";
import { gsm8kAnswer } from "../../../../src/core/calibration/problems";
import { sampleCruxeval, sampleGsm8k } from "../../../../src/core/calibration/sample";
import { asksForProgramOutput } from "../../../../src/core/answers/outputQuestion";
import { inferAnswerFormat } from "../../../../src/core/answers/format";

const assets = join(process.cwd(), "assets", "calibration");
const source = join(process.cwd(), "..", "shared", "eval");
const read = (name: string): string => readFileSync(join(assets, name), "utf8");

describe("built-in calibration sets", () => {
  it("hold 40 problems each, of their kind, with the MIT notices beside them", () => {
    for (const [file, kind] of [["gsm8k-40.jsonl", "math"], ["cruxeval-40.jsonl", "output"]] as const) {
      const { problems, skipped } = parseProblems(read(file));
      assert.equal(problems.length, 40, file);
      assert.equal(skipped.length, 0);
      assert.ok(problems.every((p) => p.kind === kind));
      if (kind === "output") assert.ok(problems.every((p) => asksForProgramOutput(p.question) && inferAnswerFormat(undefined, p.question) === "output"));
      else assert.ok(problems.every((p) => /^-?\d+(?:\.\d+)?$/.test(p.answer)), "GSM8K answers are plain numbers");
    }
    assert.match(read("gsm8k-LICENSE"), /MIT License/);
    assert.match(read("cruxeval-LICENSE"), /MIT License/);
  });

  it("reads GSM8K's final answer after ####", () => {
    assert.equal(gsm8kAnswer("He has 3 + 4 = 7.\n#### 1,250"), "1250");
    assert.equal(gsm8kAnswer("no marker"), null);
  });

  it("are the seeded draw from the source datasets", { skip: !existsSync(join(source, "gsm8k-test.jsonl")) && "the source datasets are not here" }, () => {
    const line = (p: object): string => JSON.stringify(p);
    assert.equal(sampleGsm8k(readFileSync(join(source, "gsm8k-test.jsonl"), "utf8"), 40).map(line).join("\n") + "\n", read("gsm8k-40.jsonl"));
    assert.equal(sampleCruxeval(readFileSync(join(source, "cruxeval.jsonl"), "utf8"), 40).map(line).join("\n") + "\n", read("cruxeval-40.jsonl"));
  });
});
