import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersEquivalent } from "../../../../src/core/answers/equivalence";
import { outputAnswerKey, outputAnswersEquivalent, readOutputAnswer } from "../../../../src/core/answers/outputAnswer";
import { parsePythonLiteral } from "../../../../src/core/answers/pythonLiteral";
import type { PythonValue } from "../../../../src/core/answers/pythonValue";
import { outputKey, pythonEquals, sameOutputValue } from "../../../../src/core/answers/pythonValue";

function value(text: string): PythonValue {
  const v = parsePythonLiteral(text);
  assert.notEqual(v, null, text);
  return v as PythonValue;
}

/** Python's `a == b`. */
const eq = (a: string, b: string): boolean => pythonEquals(value(a), value(b));
/** The judge's `type(a) == type(b) and a == b`. */
const same = (a: string, b: string): boolean => sameOutputValue(value(a), value(b));

describe("python equality", () => {
  it("compares numbers by value across bool, int, float and complex, as Python does", () => {
    assert.ok(eq("1", "1.0"));
    assert.ok(eq("True", "1"));
    assert.ok(eq("False", "0.0"));
    assert.ok(eq("2", "2+0j"));
    assert.ok(eq("0.0", "-0.0"));
    assert.ok(eq("1e999", "1e999"));
    assert.ok(!eq("1", "1.5"));
    assert.ok(!eq("1e999", "-1e999"));
    assert.ok(!eq("1", "'1'"));
    assert.ok(!eq("'a'", "b'a'"));
  });
  it("compares big ints and floats exactly", () => {
    assert.ok(eq("9007199254740992", "9007199254740992.0"));
    assert.ok(!eq("9007199254740993", "9007199254740992.0"));
    assert.ok(eq("100000000000000000000", "1e20"));
  });
  it("compares inside containers with Python's == ([1] == [1.0], (True,) == (1,))", () => {
    assert.ok(eq("[1]", "[1.0]"));
    assert.ok(eq("(True, 'a')", "(1, 'a')"));
    assert.ok(eq("{'k': 1}", "{'k': 1.0}"));
    assert.ok(eq("{1: 'x'}", "{1.0: 'x'}"));
    assert.ok(!eq("[1, 2]", "(1, 2)"));
    assert.ok(!eq("[1, 2]", "[2, 1]"));
    assert.ok(!eq("[[1]]", "[(1,)]"));
  });
  it("ignores dict and set order", () => {
    assert.ok(eq("{'a': 1, 'b': 2}", "{'b': 2, 'a': 1}"));
    assert.ok(eq("{3, 1, 2}", "{1, 2, 3}"));
    assert.ok(eq("{1, 2}", "{2.0, True}"));
    assert.ok(eq("set()", "set( )"));
    assert.ok(!eq("set()", "{}"));
    assert.ok(!eq("{'a': 1}", "{'a': 2}"));
    assert.ok(!eq("{'a': 1}", "{'a': 1, 'b': 1}"));
  });
  it("compares strings by value whatever the quotes and escapes", () => {
    assert.ok(eq(`"it's"`, String.raw`'it\'s'`));
    assert.ok(eq(String.raw`'\x41'`, "'A'"));
    assert.ok(eq(String.raw`r'\n'`, String.raw`'\\n'`));
    assert.ok(!eq(String.raw`'\n'`, String.raw`r'\n'`));
    assert.ok(eq("'ab' 'c'", "'abc'"));
  });
});

describe("the judge's rule: same type at the top, then ==", () => {
  it("tells apart int, float, bool and complex at the top level", () => {
    assert.ok(!same("1", "1.0"));
    assert.ok(!same("True", "1"));
    assert.ok(!same("0", "False"));
    assert.ok(!same("1", "1+0j"));
    assert.ok(same("1", "0x1"));
    assert.ok(same("2.0", "2."));
  });
  it("applies Python's == below the top level", () => {
    assert.ok(same("[1]", "[1.0]"));
    assert.ok(same("(1, [True])", "(1.0, [1])"));
    assert.ok(!same("[1]", "(1,)"));
  });
  it("gives equal keys exactly to equal outputs", () => {
    assert.equal(outputKey(value("{'b': [1, 2], 'a': (3,)}")), outputKey(value("{'a': (3.0,), 'b': [True, 2]}")));
    assert.notEqual(outputKey(value("1")), outputKey(value("1.0")));
  });
});

describe("output answers as the judge reads them", () => {
  it("drops blanks, backticks and an assert before the value", () => {
    assert.deepEqual(readOutputAnswer("  `[1, 2]`  "), value("[1, 2]"));
    // like the judge's regex, the assert is cut at its first ==
    assert.equal(readOutputAnswer("assert f('a == b') == 'x'"), null);
    assert.deepEqual(readOutputAnswer("assert f('x') == 'X'"), value("'X'"));
    assert.equal(readOutputAnswer("hello"), null);
  });
  it("compares through answersEquivalent with format output", () => {
    assert.ok(answersEquivalent("'abc'", '"abc"', "output"));
    assert.ok(answersEquivalent("assert f(2) == [1,2]", "[1, 2]", "output"));
    assert.ok(answersEquivalent("{'b': 2, 'a': 1}", "{'a': 1, 'b': 2}", "output"));
    assert.ok(!answersEquivalent("1", "1.0", "output"));
    assert.ok(!answersEquivalent("True", "1", "output"));
    assert.ok(!answersEquivalent("[1, 2]", "(1, 2)", "output"));
    assert.ok(!answersEquivalent("abc", "abc", "output"));
    assert.ok(outputAnswersEquivalent("(1,)", "(1, )"));
  });
  it("keys a written answer for fast comparison, null when it is no literal", () => {
    assert.equal(outputAnswerKey("[1,2]"), outputAnswerKey("[ 1, 2 ]"));
    assert.equal(outputAnswerKey("f(x)"), null);
  });
});
