import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  confirms,
  containsCode,
  coversDefinitions,
  readDraft,
  relateDrafts,
  revises,
  sameDraft,
  type CodeDraft,
} from "../../../../../src/core/answers/code";
import { must } from "../../../../harness/must";

const draft = (code: string, form: "unfenced" | "line" = "unfenced"): CodeDraft => must(readDraft({ text: code, start: 0, form }), "a draft");

const PARSE = "def parse_range(s):\n    lo, hi = s.split('-')\n    return int(lo), int(hi)";
const PARSE_RESTATED = '# parse "a-b"\ndef parse_range(s):\n    """Two ints from a range."""\n    lo, hi = s.split("-")\n\n    return int(lo), int(hi)';
const PARSE_FIXED = "def parse_range(s):\n    lo, hi = s.split('-', 1)\n    return int(lo), int(hi)";
const HELPER = "def is_range(s):\n    return '-' in s";

describe("relations between drafts", () => {
  it("a cosmetic restatement is the same draft and confirms", () => {
    const a = draft(PARSE);
    const b = draft(PARSE_RESTATED);
    assert.equal(sameDraft(a, b), true);
    assert.equal(relateDrafts(a, b), "same");
    assert.equal(confirms(a, b), true);
    assert.equal(revises(a, b), false);
  });

  it("a changed body with the same name revises", () => {
    const a = draft(PARSE);
    const b = draft(PARSE_FIXED);
    assert.equal(sameDraft(a, b), false);
    assert.equal(relateDrafts(a, b), "revises");
    assert.equal(revises(a, b), true);
    assert.equal(confirms(a, b), false);
  });

  it("one function of several written out again unchanged restates", () => {
    const both = draft(`${HELPER}\n\n${PARSE}`);
    assert.equal(relateDrafts(both, draft(PARSE_RESTATED)), "restates");
    assert.equal(confirms(both, draft(PARSE_RESTATED)), true);
    assert.equal(coversDefinitions(both, draft(PARSE)), true);
  });

  it("adding a helper to the anchored function revises it", () => {
    assert.equal(relateDrafts(draft(PARSE), draft(`${HELPER}\n\n${PARSE}`)), "revises");
  });

  it("another function, an example call or a test is unrelated", () => {
    const a = draft(PARSE);
    assert.equal(relateDrafts(a, draft(HELPER)), "unrelated");
    assert.equal(relateDrafts(a, draft("parse_range('3-7')", "line")), "unrelated");
    assert.equal(relateDrafts(a, draft("assert parse_range('1-2') == (1, 2)", "line")), "unrelated");
  });

  it("snippets: the same code confirms, one inside the other restates, the same subject changed revises", () => {
    const a = draft("hashed = bcrypt.hashpw(pw, salt)", "line");
    assert.equal(relateDrafts(a, draft("hashed = bcrypt.hashpw( pw, salt );", "line")), "same");
    assert.equal(relateDrafts(a, draft("bcrypt.hashpw(pw, salt)", "line")), "restates");
    assert.equal(containsCode(a, draft("bcrypt.hashpw(pw, salt)", "line")), true);
    assert.equal(containsCode(a, draft("hashpw(pw, salt)", "line")), true);
    assert.equal(containsCode(a, draft("bcrypt.hashpw(pw)", "line")), false);
    assert.equal(relateDrafts(a, draft("hashed = bcrypt.hashpw(pw, bcrypt.gensalt())", "line")), "revises");
    assert.equal(relateDrafts(a, draft("print(hashed)", "line")), "unrelated");
  });

  it("across languages: a C-like function changed revises, restated confirms", () => {
    const a = draft("int area(int w, int h) {\n  return w * h;\n}");
    assert.equal(relateDrafts(a, draft("int area(int w, int h)\n{\n    // product\n    return w*h;\n}")), "same");
    assert.equal(relateDrafts(a, draft("int area(int w, int h) {\n  return w * h / 2;\n}")), "revises");
  });
});
