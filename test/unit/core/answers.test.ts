import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answersEquivalent } from "../../../src/core/answers/equivalence";
import { extractFinalAnswer } from "../../../src/core/answers/extract";
import { hasTwoOptionLists, inferAnswerFormat, parseChoice } from "../../../src/core/answers/format";
import { findBoxed } from "../../../src/core/answers/latex";
import { normalizeMath } from "../../../src/core/answers/normalize";
import { canonicalNumber, parseNumber } from "../../../src/core/answers/numbers";
import { extractStatements, givenNumbers } from "../../../src/core/answers/statements";
import { namesTarget, questionTarget } from "../../../src/core/answers/target";

describe("numbers", () => {
  it("reads the ways numbers are written", () => {
    assert.equal(parseNumber("1,234"), 1234);
    assert.equal(parseNumber("$18"), 18);
    assert.equal(parseNumber("\\$18.50"), 18.5);
    assert.equal(parseNumber("75%"), 75);
    assert.equal(parseNumber("3/4"), 0.75);
    assert.equal(parseNumber("\\frac{3}{4}"), 0.75);
    assert.equal(parseNumber("\\dfrac34"), 0.75);
    assert.equal(parseNumber("-\\frac{1}{2}"), -0.5);
    assert.equal(parseNumber("2\\frac{1}{2}"), 2.5);
    assert.equal(parseNumber("1\\,000"), 1000);
    assert.equal(parseNumber("18.00"), 18);
    assert.equal(parseNumber("90^\\circ"), 90);
    assert.equal(parseNumber("12 apples"), null);
    assert.equal(parseNumber("1,2"), null);
  });
  it("reads mixed numbers with a proper fraction only", () => {
    assert.equal(parseNumber("3 1/2"), 3.5);
    assert.equal(parseNumber("-2 3/4"), -2.75);
    assert.equal(parseNumber("3 7/2"), null);
    assert.equal(parseNumber("2\\frac{3}{2}"), null);
  });
  it("reads full-width digits", () => {
    assert.equal(parseNumber("４２"), 42);
    assert.equal(parseNumber("１，２３４"), 1234);
  });
  it("spells numbers canonically", () => {
    assert.equal(canonicalNumber(18), "18");
    assert.equal(canonicalNumber(0.1 + 0.2), "0.3");
  });
});

describe("boxed", () => {
  it("handles nested braces and several boxes", () => {
    const found = findBoxed("first \\boxed{\\frac{1}{2}} then \\boxed{x^{2}+1} and \\boxed{unclosed");
    assert.deepEqual(
      found.map((b) => b.content),
      ["\\frac{1}{2}", "x^{2}+1"],
    );
  });
});

describe("final answer extraction", () => {
  it("takes the last box", () => {
    assert.equal(extractFinalAnswer("maybe \\boxed{3}, no: \\boxed{180,\\!000 \\text{ meters}}", "number"), "180000");
  });
  it("reads 'the answer is' and 'Answer:'", () => {
    assert.equal(extractFinalAnswer("So the final answer is $1,400.", "number"), "1400");
    assert.equal(extractFinalAnswer("**Answer:** Billy sold 7 DVDs on Tuesday.", "number"), "7");
    assert.equal(extractFinalAnswer("Answer: 1 + 1 equals 2.", "number"), "2");
  });
  it("falls back to bold numbers, then to the last result", () => {
    assert.equal(extractFinalAnswer("Thus, the farm yields **100 barrels** of wine.", "number"), "100");
    assert.equal(extractFinalAnswer("1 + 1 = 2.\n\nThis is basic arithmetic, see 10 in binary.", "number"), "2");
  });
  it("reads option letters", () => {
    assert.equal(extractFinalAnswer("\n\nI", "choice"), "I");
    assert.equal(extractFinalAnswer("The correct answer is (C).", "choice"), "C");
    assert.equal(extractFinalAnswer("After all that, **D**", "choice"), "D");
    assert.equal(extractFinalAnswer("\\boxed{\\text{B}}", "choice"), "B");
  });
  it("reads a mixed number as one number, not its whole part", () => {
    assert.equal(extractFinalAnswer("The answer is 3 1/2.", "number"), "3 1/2");
    assert.ok(answersEquivalent("3 1/2", "3.5", "number"));
    assert.ok(answersEquivalent("3 1/2", "\\frac{7}{2}", "number"));
    assert.equal(extractFinalAnswer("It takes 2 3/4 hours, then 5 more.", "number"), "5");
    assert.ok(answersEquivalent(extractFinalAnswer("Items 1 and 2 1/3 of the way", "number") ?? "", "7/3", "number"));
  });
  it("reads full-width digits and letters as their ASCII forms", () => {
    assert.equal(extractFinalAnswer("所以答案是 \\boxed{４２}", "number"), "42");
    assert.equal(extractFinalAnswer("The answer is ４２.", "number"), "42");
    assert.equal(extractFinalAnswer("答案：（Ｃ）", "choice"), "C");
  });
  it("reads a lower-case option named as the answer", () => {
    assert.equal(extractFinalAnswer("So option (d) is correct.", "choice"), "D");
    assert.equal(extractFinalAnswer("Looking again, choice (b) seems right.", "choice"), "B");
    assert.equal(extractFinalAnswer("We pick (i) and (ii) here.", "choice"), null);
  });
  it("keeps math answers as written", () => {
    assert.equal(extractFinalAnswer("The final answer is \\(\\boxed{\\dfrac{9a + 11}{20}}\\).", "math"), "\\dfrac{9a + 11}{20}");
    assert.equal(extractFinalAnswer("no answer here", "math"), null);
  });
});

describe("equivalence", () => {
  it("compares numbers by value", () => {
    assert.ok(answersEquivalent("1,000", "1000", "number"));
    assert.ok(answersEquivalent("$18.00", "18", "number"));
    assert.ok(answersEquivalent("0.75", "\\frac{3}{4}", "number"));
    assert.ok(answersEquivalent("3/4", "\\dfrac{3}{4}", "math"));
    assert.ok(!answersEquivalent("18", "180", "number"));
  });
  it("normalises LaTeX", () => {
    assert.equal(normalizeMath("\\left( 1, 2 \\right)"), "(1,2)");
    assert.equal(normalizeMath("x = \\dfrac{1}{2}"), "1/2");
    assert.ok(answersEquivalent("5\\text{ cm}", "5", "math"));
    assert.ok(answersEquivalent("90^\\circ", "90", "math"));
    assert.ok(answersEquivalent("\\sqrt{2}/2", "\\frac{\\sqrt{2}}{2}", "math"));
    assert.ok(answersEquivalent("2\\pi", "\\pi\\cdot 2", "math"));
  });
  it("compares tuples element-wise and expressions by value", () => {
    assert.ok(answersEquivalent("(1, \\frac{1}{2})", "(1,0.5)", "math"));
    assert.ok(!answersEquivalent("(1,2)", "[1,2]", "math"));
    assert.ok(answersEquivalent("\\frac{11+9a}{20}", "\\dfrac{9a + 11}{20}", "math"));
    assert.ok(!answersEquivalent("\\frac{11+9a}{20}", "\\frac{11+9b}{20}", "math"));
    assert.ok(!answersEquivalent("x+1", "x+2", "math"));
  });
  it("compares option letters", () => {
    assert.ok(answersEquivalent("(c)", "C", "choice"));
    assert.ok(answersEquivalent("Option B", "B", "choice"));
    assert.ok(!answersEquivalent("B", "C", "choice"));
    assert.equal(parseChoice("I think so"), null);
  });
});

describe("format inference", () => {
  it("uses the dataset name, then the question", () => {
    assert.equal(inferAnswerFormat("gsm8k"), "number");
    assert.equal(inferAnswerFormat("mmlu_pro_options"), "choice");
    assert.equal(inferAnswerFormat("math500"), "math");
    assert.equal(inferAnswerFormat(undefined, "Pick one:\n(A) red\n(B) blue\n(C) green"), "choice");
    assert.equal(inferAnswerFormat(undefined, "What is 2+2?"), "auto");
  });
  it("tells a question carrying two option lists from one with a single list", () => {
    assert.ok(hasTwoOptionLists("Best return? A) 5% bond B) 4% muni The options are:\nA: 6% CD\nB: 3% bond\nC: 4% muni"));
    assert.ok(!hasTwoOptionLists("Pick one:\n(A) red\n(B) blue\n(C) green"));
    assert.ok(!hasTwoOptionLists("Part A: compute the mass. Then pick:\n(A) 1 kg\n(B) 2 kg"));
    assert.ok(!hasTwoOptionLists(undefined));
  });
});

describe("statements in a thinking step", () => {
  const given = givenNumbers("Janet has 16 eggs and sells them at $2 each.");
  const values = (step: string): string[] => extractStatements(step, { format: "number", given }).map((s) => `${s.value}:${s.kind}`);
  it("finds explicit statements", () => {
    assert.deepEqual(values("So the answer is \\boxed{18}."), ["18:boxed"]);
    assert.deepEqual(values("I think the answer is $18 dollars"), ["18:phrase"]);
  });
  it("keeps a fraction's spelling and reads other numbers canonically", () => {
    assert.deepEqual(values("So the answer is \\frac{4}{17}."), ["\\frac{4}{17}:phrase"]);
    assert.deepEqual(values("The answer is 4/17 of the total."), ["4/17:phrase"]);
    assert.deepEqual(values("The answer is 12/4."), ["3:phrase"]);
    assert.deepEqual(values("The answer is $2.50."), ["2.5:phrase"]);
  });
  it("only takes a phrase whose value follows at once", () => {
    assert.deepEqual(values("Perhaps the answer is small, but 2016 seems reasonable."), []);
  });
  it("finds computation results and conclusions", () => {
    assert.deepEqual(values("She has 16 - 7 = 9 eggs left."), ["9:result"]);
    assert.deepEqual(values("Therefore, Janet makes $18 every day."), ["18:conclusion"]);
    assert.deepEqual(values("So average speed would be 60 miles / 6 hours = 10 mph."), ["10:result"]);
  });
  it("ignores equations with variables, modular results and given numbers", () => {
    assert.deepEqual(values("x^2 - 4 = 0"), []);
    assert.deepEqual(values("So x = 5."), []);
    assert.deepEqual(values("3 * 11 = 33 mod d"), []);
    assert.deepEqual(values("So she sells them for $2."), []);
    assert.deepEqual(values("8 + 8 = 16"), []);
  });
  it("reads option claims", () => {
    const letters = extractStatements("Option C is correct here. So the answer is (D).", "choice").map((s) => s.value);
    assert.deepEqual(letters, ["C", "D"]);
    assert.deepEqual(extractStatements("Hmm, so option (d) is correct.", "choice").map((s) => s.value), ["D"]);
  });
  it("reads mixed numbers and full-width forms, keeping offsets into the step as written", () => {
    assert.deepEqual(values("The answer is 3 1/2 hours."), ["3 1/2:phrase"]);
    const step = "She has １６ － ７ ＝ ９ eggs left.";
    const found = extractStatements(step, { format: "number", given });
    assert.deepEqual(found.map((s) => `${s.value}:${s.kind}`), ["9:result"]);
    assert.equal(step.slice(0, found[0]?.end), "She has １６ － ７ ＝ ９");
  });
});

describe("statements: computations and conclusions as models write them", () => {
  const values = (step: string, given?: string): string[] =>
    extractStatements(step, { format: "number", given: given === undefined ? undefined : givenNumbers(given) }).map((s) => `${s.value}:${s.kind}`);
  it("reads a computation after a comma or with labels in parentheses", () => {
    assert.deepEqual(values("So, $36 - $15 = $21."), ["21:result"]);
    assert.deepEqual(values("In total 50 (original) + 20 (bought) + 8 (gift) = 78 marbles."), ["78:result"]);
    assert.deepEqual(values("That is 14 x 3 = 42 cookies."), ["42:result"]);
  });
  it("reads mixed numbers in a conclusion", () => {
    assert.deepEqual(values("So, the distance is 137 and 1/2 miles."), ["137.5:conclusion"]);
    assert.deepEqual(values("So the walk was 2 and a half hours long."), ["2.5:conclusion"]);
  });
  it("takes the value after 'which is' and not an operand", () => {
    assert.deepEqual(values("Thus, the answer is 2016 mod 1000, which is 16."), ["16:phrase", "16:conclusion"]);
    assert.deepEqual(values("The answer is 2016 mod 1000."), []);
    assert.deepEqual(values("The answer is 12 divided by 4."), []);
  });
  it("does not take the first operand of a money computation after 'which is'", () => {
    // the result equals a given number (20), so nothing is read; before the fix this read 40
    const step = "Therefore, his net profit would be revenue minus cost, which is $40.00 - $20.00 = $20.00.";
    assert.deepEqual(values(step, "He makes 20 candles and sells each for $2.00."), []);
    assert.deepEqual(values(step), ["20:result"]);
    assert.deepEqual(values("So the change is \\$50 - \\$12.50 = \\$37.50."), ["37.5:result"]);
  });
  it("reads option letters claimed right", () => {
    const letters = (step: string): string[] => extractStatements(step, "choice").map((s) => `${s.value}:${s.kind}`);
    assert.deepEqual(letters("So J would be the best."), ["J:claim"]);
    assert.deepEqual(letters("The correct option is (D)."), ["D:phrase", "D:claim"]);
    assert.deepEqual(letters("I would be the best judge of that."), []);
  });
});

describe("question target", () => {
  it("names the asked quantity by the head of its noun phrase", () => {
    assert.deepEqual(questionTarget("Find the sum of all positive integers $n$ such that $n+2$ divides $3(n+3)$."), ["sum"]);
    assert.deepEqual(questionTarget("Let $N$ be the count. Find the remainder when $N$ is divided by 1000."), ["remai"]);
    assert.deepEqual(questionTarget("Find the number of ordered pairs $(x,y)$ such that $x = y$."), ["order", "pairs"]);
    assert.deepEqual(questionTarget("She had $36. How much did Andrea save?"), ["andre", "save"]);
    assert.deepEqual(questionTarget("What's her annual salary?"), ["annua", "salar"]);
    assert.deepEqual(questionTarget("How much is 1+1?"), []);
    assert.deepEqual(questionTarget(undefined), []);
  });
  it("marks implied statements whose step names the target", () => {
    const target = questionTarget("Find the remainder when N is divided by 1000.");
    const s = extractStatements("So the remainder is 16.", { format: "number", target });
    assert.equal(s[0]?.targeted, true);
    const t = extractStatements("So the total is 2016.", { format: "number", target });
    assert.equal(t[0]?.targeted, false);
    assert.equal(extractStatements("The answer is 16.", { format: "number", target })[0]?.targeted, undefined);
    assert.equal(namesTarget("the remainders", target), true);
    assert.equal(namesTarget("unremainder", target), false);
    assert.equal(namesTarget("anything", []), undefined);
  });
});
