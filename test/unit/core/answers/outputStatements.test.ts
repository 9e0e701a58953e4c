import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AnswerStatement } from "../../../../src/core/answers/extract";
import { givenOutputValues } from "../../../../src/core/answers/outputQuestion";
import { outputStatements } from "../../../../src/core/answers/outputStatements";
import { extractStatements } from "../../../../src/core/answers/statements";

const brief = (s: AnswerStatement): string => `${s.kind}${s.targeted === true ? "+" : ""}:${s.value}`;
const read = (step: string, given?: ReadonlySet<string>): string[] => outputStatements(step, given).map(brief);

describe("output statements: explicit", () => {
  it("reads named answers", () => {
    assert.deepEqual(read("So the answer is 'olleh'."), ["phrase:'olleh'"]);
    assert.deepEqual(read("The final output should be [3, 1, 2]."), ["phrase:[3, 1, 2]"]);
    assert.deepEqual(read("Therefore the expected output of f('a.b') is {'a': 1}"), ["phrase:{'a': 1}"]);
    assert.deepEqual(read("The return value is (0, 'x')."), ["phrase:(0, 'x')"]);
    assert.deepEqual(read("the missing part is True"), ["phrase:True"]);
    assert.deepEqual(read("So the right-hand side should be -4."), ["phrase:-4"]);
  });
  it("marks a named answer said tentatively: hedged, supposed, or doubted later in its step", () => {
    const tentative = (step: string): boolean[] => outputStatements(step).map((st) => st.tentative === true);
    assert.deepEqual(tentative("So the output is [1, 2]."), [false]);
    assert.deepEqual(tentative("So the output is [1, 2]?"), [false], "a question mark alone is a style, not doubt");
    assert.deepEqual(tentative("So the output is [1, 2]? Let me confirm again."), [false]);
    assert.deepEqual(tentative("So the output is [1, 2]? Wait, no, that's not right."), [true]);
    assert.deepEqual(tentative("The answer is 4. But I made a mistake in the loop."), [true]);
    assert.deepEqual(tentative("The output is [1]. No elements are left."), [false], "'no' as a word is not doubt");
    assert.deepEqual(tentative("I think the output is 'ab'."), [true]);
    assert.deepEqual(tentative("The answer is probably 3."), [true]);
    assert.deepEqual(tentative("If the loop ran twice, the answer is 3."), [true]);
    assert.deepEqual(tentative("assert f(1) == 2, I guess."), [true]);
    assert.deepEqual(tentative("Maybe I misread it, but the output is 3."), [false]);
    assert.deepEqual(tentative("The function returns 3?"), [false], "an implied statement is never marked");
  });

  it("reads completed asserts, in code or in words", () => {
    assert.deepEqual(read("assert f([3, 1]) == [1, 3]"), ["phrase:[1, 3]"]);
    assert.deepEqual(read("So the assert should be f('ab') == 'ba'."), ["phrase:'ba'"]);
    assert.deepEqual(read("The assertion should check against None."), ["phrase:None"]);
    assert.deepEqual(read("`assert f(2) == 4`"), ["phrase:4"]);
  });
  it("keeps the value exactly as written, quotes, spacing and all", () => {
    const step = 'So the output is  ["a" ,  \'b\'] .';
    assert.deepEqual(read(step), [`phrase:["a" ,  'b']`]);
    const [s] = outputStatements(step);
    assert.equal(step.slice(0, s?.end).endsWith(`'b']`), true);
  });
  it("reads through markup: bold, a code span, a fence, a type word", () => {
    assert.deepEqual(read("The answer is **'xy'**."), ["phrase:'xy'"]);
    assert.deepEqual(read("The output is `[]`."), ["phrase:[]"]);
    assert.deepEqual(read("The output is:\n```python\n(1,)\n```"), ["phrase:(1,)"]);
    assert.deepEqual(read("the answer is the string 'q'"), ["phrase:'q'"]);
    assert.deepEqual(read("the answer is set()"), ["phrase:set()"]);
    assert.deepEqual(read("the answer is list('ab')"), []);
  });
  it("does not take the question's input for a named or targeted answer", () => {
    assert.deepEqual(read("I need the output when the input is 'abc'."), ["result:'abc'"]);
    assert.deepEqual(read("Complete the assert statement with the correct output when the input is [1, 2]."), ["result:[1, 2]"]);
    assert.deepEqual(read("We call f with 'abc' and then see."), []);
  });
});

describe("output statements: implicit", () => {
  it("reads a function's result as a targeted conclusion", () => {
    assert.deepEqual(read("The function returns 'zz'."), ["conclusion+:'zz'"]);
    assert.deepEqual(read("so f('ab') == 'AB'"), ["conclusion+:'AB'"]);
    assert.deepEqual(read("Then f(3) will return [0, 1, 2]."), ["conclusion+:[0, 1, 2]"]);
    assert.deepEqual(read("The result should be {1, 2}."), ["conclusion+:{1, 2}"]);
  });
  it("reads a concluding sentence or clause as a conclusion", () => {
    assert.deepEqual(read("So text becomes 'abc'."), ["conclusion:'abc'"]);
    assert.deepEqual(read("The loop ends, so the list is [4, 5]."), ["conclusion:[4, 5]"]);
    assert.deepEqual(read("Therefore: `'done'`"), ["conclusion:'done'"]);
  });
  it("reads other produced values as results", () => {
    assert.deepEqual(read("The list becomes [2, 3] after the pop."), ["result:[2, 3]"]);
    assert.deepEqual(read("Fourth: [1, 2, 3]"), ["result:[1, 2, 3]"]);
    assert.deepEqual(read("count = 3"), ["result:3"]);
    assert.deepEqual(read("'abc' → 'cba'"), ["result:'cba'"]);
    assert.deepEqual(read("[7, 8]"), ["result:[7, 8]"]);
    assert.deepEqual(read("```\n{'k': 0}\n```"), ["result:{'k': 0}"]);
  });
  it("marks a method's own result and hypotheticals as untargeted results", () => {
    assert.deepEqual(read("Here s.find('x') returns -1."), ["result:-1"]);
    assert.deepEqual(read("If the list were empty, the function would return 0."), ["result:0"]);
  });
  it("ignores values the question gives", () => {
    const given = givenOutputValues("def f(text, n):\n    return text[:n]\nassert f('hello', 2) == ");
    assert.deepEqual(read("So the function returns 'hello'.", given), []);
    assert.deepEqual(read("So the function returns 'he'.", given), ["conclusion+:'he'"]);
    assert.deepEqual(read("So the output is 'hello'.", given), ["phrase:'hello'"]);
  });
});

describe("output statements: what is not a stated value", () => {
  it("rejects expressions, names and operands", () => {
    assert.deepEqual(read("So it returns 'a' + 'b'."), []);
    assert.deepEqual(read("So it returns 'ab'.upper()"), []);
    assert.deepEqual(read("So it returns [1, 2][0]."), []);
    assert.deepEqual(read("So it returns text."), []);
    assert.deepEqual(read("So the answer is 3 or 4."), []);
    assert.deepEqual(read("So the output is 'ab' followed by '#'."), []);
    assert.deepEqual(read("So it returns 5 elements."), []);
    assert.deepEqual(read("The output is 'a', 'b' and 'c'."), []);
  });
  it("reads a number before a connecting word and a period", () => {
    assert.deepEqual(read("So the function returns 3 because the loop stops."), ["conclusion+:3"]);
    assert.deepEqual(read("So the answer is 7."), ["phrase:7"]);
  });
  it("ignores cues inside quoted strings", () => {
    assert.deepEqual(read("Then g('Is') or h('x')."), []);
    assert.deepEqual(read("We want the value after the '==', nothing else."), []);
  });
  it("splits sentences outside quotes only", () => {
    assert.deepEqual(read("The function gets 'a. so b' and returns 'x'."), ["conclusion+:'x'"]);
  });
});

describe("extractStatements routes the output format", () => {
  it("reads output statements, with the question's values given", () => {
    const givenOutputs = givenOutputValues("assert f([1]) == ");
    const found = extractStatements("So f returns [1]. The answer is [1, 1].", { format: "output", givenOutputs });
    assert.deepEqual(found.map(brief), ["phrase:[1, 1]"]);
  });
  it("keeps full-width characters inside strings", () => {
    assert.deepEqual(extractStatements("The answer is 'ＡＢ'.", "output").map((s) => s.value), ["'ＡＢ'"]);
  });
});
