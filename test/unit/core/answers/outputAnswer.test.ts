import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractFinalAnswer } from "../../../../src/core/answers/extract";
import { inferAnswerFormat } from "../../../../src/core/answers/format";
import { asksForProgramOutput, givenOutputValues } from "../../../../src/core/answers/outputQuestion";
import { parsePythonLiteral } from "../../../../src/core/answers/pythonLiteral";
import { outputKey } from "../../../../src/core/answers/pythonValue";

const final = (text: string): string | null => extractFinalAnswer(text, "output");
const key = (text: string): string => {
  const v = parsePythonLiteral(text);
  assert.notEqual(v, null, text);
  return v === null ? "" : outputKey(v);
};

describe("final program-output answers", () => {
  it("reads a response that is only the literal, however it is wrapped", () => {
    assert.equal(final("\n\n'QWERTY'"), "'QWERTY'");
    assert.equal(final("[(1, 'a'), (2, 'b')]\n"), "[(1, 'a'), (2, 'b')]");
    assert.equal(final("`{3, 4}`"), "{3, 4}");
    assert.equal(final("```python\n{'x': None}\n```"), "{'x': None}");
    assert.equal(final("**False**"), "False");
    assert.equal(final("$\\boxed{'ok'}$"), "'ok'");
    // a whole response is read as Python reads it: "7." is the float 7.0
    assert.equal(final("7."), "7.");
    assert.equal(final("It returns 7."), null);
    assert.equal(final("So the answer is 7."), "7");
  });
  it("reads a completed assert", () => {
    assert.equal(final('assert f("ab") == "BA"'), '"BA"');
    assert.equal(final("The assert is:\n\nassert f([2, 1]) == [1, 2]\n"), "[1, 2]");
    assert.equal(final("```python\nassert f(0) == ()\n```"), "()");
  });
  it("prefers the assert, box or fence over prose after the thinking", () => {
    const text = "The loop runs twice, so 'a' becomes 'aa'.\n\nThe correct assert statement is:\n\nassert f('a') == 'aaa'";
    assert.equal(final(text), "'aaa'");
    assert.equal(final("Tracing the calls gives the final list.\n\n\\boxed{[0, 0]}"), "[0, 0]");
    assert.equal(final("Explanation first.\n\n```python\n(1, 2)\n```\n\nThat is all."), "(1, 2)");
  });
  it("falls back on an explicit statement, then a last line or code span holding a literal", () => {
    assert.equal(final("After the loop ends, the output is 'zz'. Nothing else changes."), "'zz'");
    assert.equal(final("Step by step, text shrinks.\nResult:\n'abc'\n"), "'abc'");
    assert.equal(final("The function gives back `[5]` here"), "[5]");
  });
  it("returns null when no literal is given", () => {
    assert.equal(final("The function returns the reversed text."), null);
    assert.equal(final("UA6HAJQ"), null);
    assert.equal(final(""), null);
  });
});

describe("questions about a program's output", () => {
  it("recognises the common phrasings", () => {
    assert.ok(asksForProgramOutput("Complete the assert statement with the output when running the code below."));
    assert.ok(asksForProgramOutput("What does this function return for [1, 2]?\n\ndef g(x):\n    return x[::-1]"));
    assert.ok(asksForProgramOutput("What will the following snippet print?"));
    assert.ok(asksForProgramOutput("def g(s):\n    return s * 2\n\nassert g('ab') == "));
    assert.ok(asksForProgramOutput("def g(s):\n    return s\nassert g(1) == ??"));
    assert.ok(!asksForProgramOutput("Write a function that reverses a string."));
    assert.ok(!asksForProgramOutput("assert g(1) == 2 fails, why?"));
    assert.ok(!asksForProgramOutput("How many apples does Tom have left?"));
  });
  it("gives the output format to output datasets and output questions, before code", () => {
    assert.equal(inferAnswerFormat("cruxeval_output"), "output");
    assert.equal(inferAnswerFormat("my_output_set"), "output");
    assert.equal(inferAnswerFormat(undefined, "Based on the given Python code, complete the assert statement with the output when executing the code.\n\ndef f(a):\n    return a\n\nassert f(3) == "), "output");
    assert.equal(inferAnswerFormat("gsm8k", "What does this function return?"), "number");
    assert.equal(inferAnswerFormat(undefined, "Which is printed?\n(A) 1\n(B) 2\n(C) 3\n(D) 4"), "choice");
  });
  it("collects the arguments of calls to the question's functions, not the code's own literals", () => {
    const given = givenOutputValues("def f(text, n=2):\n    return text.replace('a', 'b')[:n]\n\nassert f('banana', n=3) == ");
    assert.ok(given.has(key("'banana'")));
    assert.ok(given.has(key("3")));
    assert.ok(!given.has(key("'a'")));
    assert.ok(!given.has(key("2")));
    assert.equal(given.size, 2);
  });
  it("adds the tuple of all arguments and reads nested arguments", () => {
    const given = givenOutputValues("def f(a, b):\n    return a\n\nassert f([1, (2, 3)], {'k': ')'}) == ");
    assert.ok(given.has(key("[1, (2, 3)]")));
    assert.ok(given.has(key("{'k': ')'}")));
    assert.ok(given.has(key("([1, (2, 3)], {'k': ')'})")));
  });
  it("without a def, reads calls on assert and print lines", () => {
    const given = givenOutputValues("What does this print?\n\nprint(g('xy'))");
    assert.ok(given.has(key("'xy'")));
  });
});
