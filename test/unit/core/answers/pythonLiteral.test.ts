import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_DEPTH, parsePythonLiteral, readLiteralAt } from "../../../../src/core/answers/pythonLiteral";
import type { PythonValue } from "../../../../src/core/answers/pythonValue";

function parsed(text: string): PythonValue {
  const v = parsePythonLiteral(text);
  assert.notEqual(v, null, `expected ${JSON.stringify(text)} to parse`);
  return v as PythonValue;
}

function rejects(...texts: string[]): void {
  for (const t of texts) assert.equal(parsePythonLiteral(t), null, `expected ${JSON.stringify(t)} to be rejected`);
}

describe("python literals: numbers", () => {
  it("reads ints in every base, with underscores and signs, as exact integers", () => {
    assert.deepEqual(parsed("42"), { type: "int", value: 42n });
    assert.deepEqual(parsed("-7"), { type: "int", value: -7n });
    assert.deepEqual(parsed("+7"), { type: "int", value: 7n });
    assert.deepEqual(parsed("- 7"), { type: "int", value: -7n });
    assert.deepEqual(parsed("1_000_000"), { type: "int", value: 1000000n });
    assert.deepEqual(parsed("0x_ff"), { type: "int", value: 255n });
    assert.deepEqual(parsed("0o17"), { type: "int", value: 15n });
    assert.deepEqual(parsed("0B101"), { type: "int", value: 5n });
    assert.deepEqual(parsed("000"), { type: "int", value: 0n });
    assert.deepEqual(parsed("123456789012345678901234567890"), { type: "int", value: 123456789012345678901234567890n });
  });
  it("reads floats with exponents and bare points", () => {
    assert.deepEqual(parsed("2.5"), { type: "float", value: 2.5 });
    assert.deepEqual(parsed("3."), { type: "float", value: 3 });
    assert.deepEqual(parsed(".25"), { type: "float", value: 0.25 });
    assert.deepEqual(parsed("1e3"), { type: "float", value: 1000 });
    assert.deepEqual(parsed("1.5E-2"), { type: "float", value: 0.015 });
    assert.deepEqual(parsed("007.5"), { type: "float", value: 7.5 });
    assert.deepEqual(parsed("1e999"), { type: "float", value: Infinity });
    assert.deepEqual(parsed("-1e999"), { type: "float", value: -Infinity });
  });
  it("reads complex numbers only as literal_eval does: an imaginary literal, or real ± imaginary", () => {
    assert.deepEqual(parsed("3j"), { type: "complex", real: 0, imag: 3 });
    assert.deepEqual(parsed("1+2j"), { type: "complex", real: 1, imag: 2 });
    assert.deepEqual(parsed("-1.5-2J"), { type: "complex", real: -1.5, imag: -2 });
    assert.deepEqual(parsed("(1)+2j"), { type: "complex", real: 1, imag: 2 });
    rejects("2j+1", "1+2", "1-2j+3", "1 + -2j", "True+1j");
  });
  it("rejects what Python's tokenizer or literal_eval reject", () => {
    rejects("007", "1__0", "1_", "0b102", "0xg", "12abc", "1.5.2", "--1", "-(-1)", "-True", "+None", "inf", "nan", "1 2");
  });
  it("rejects decimal integers longer than Python 3.11 converts (4300 digits)", () => {
    assert.notEqual(parsePythonLiteral("9".repeat(4300)), null);
    assert.equal(parsePythonLiteral("9".repeat(4301)), null);
  });
});

describe("python literals: strings and bytes", () => {
  it("reads every quote style", () => {
    assert.deepEqual(parsed("'it'"), { type: "str", value: "it" });
    assert.deepEqual(parsed('"it\'s"'), { type: "str", value: "it's" });
    assert.deepEqual(parsed("'''two\nlines'''"), { type: "str", value: "two\nlines" });
    assert.deepEqual(parsed('"""say "hi" """'), { type: "str", value: 'say "hi" ' });
    assert.deepEqual(parsed("''"), { type: "str", value: "" });
  });
  it("decodes escapes and keeps unknown ones", () => {
    assert.deepEqual(parsed(String.raw`'a\tb\n'`), { type: "str", value: "a\tb\n" });
    assert.deepEqual(parsed(String.raw`'\x41\101\u00e9\U0001F600'`), { type: "str", value: "AAé😀" });
    assert.deepEqual(parsed(String.raw`'\\'`), { type: "str", value: "\\" });
    assert.deepEqual(parsed(String.raw`'don\'t'`), { type: "str", value: "don't" });
    assert.deepEqual(parsed(String.raw`'\d\q'`), { type: "str", value: "\\d\\q" });
    assert.deepEqual(parsed("'a\\\nb'"), { type: "str", value: "ab" });
    rejects(String.raw`'\x4'`, String.raw`'\u12'`, String.raw`'\U00110000'`, String.raw`'\N{EM DASH}'`);
  });
  it("keeps unicode as written", () => {
    assert.deepEqual(parsed("'ﬁ café ＡＢ 😀'"), { type: "str", value: "ﬁ café ＡＢ 😀" });
  });
  it("reads the prefixes literal_eval accepts and no others", () => {
    assert.deepEqual(parsed(String.raw`r'a\tb'`), { type: "str", value: "a\\tb" });
    assert.deepEqual(parsed(String.raw`R'\''`), { type: "str", value: "\\'" });
    assert.deepEqual(parsed("u'x'"), { type: "str", value: "x" });
    assert.deepEqual(parsed("b'x'"), { type: "bytes", value: "x" });
    assert.deepEqual(parsed(String.raw`rb'\x41'`), { type: "bytes", value: "\\x41" });
    assert.deepEqual(parsed(String.raw`b'\777\u1234'`), { type: "bytes", value: "\xff\\u1234" });
    rejects("f'x'", "ur'x'", "x'a'", "b'é'");
  });
  it("joins adjacent strings, but never bytes with str", () => {
    assert.deepEqual(parsed(`'ab' "cd" r'\\e'`), { type: "str", value: "abcd\\e" });
    rejects("'a' b'b'");
  });
  it("rejects unterminated strings and raw newlines in one-quote strings", () => {
    rejects("'abc", "'a\nb'", "'''abc''", String.raw`r'\'`);
  });
});

describe("python literals: constants and containers", () => {
  it("reads True, False, None, ... and set()", () => {
    assert.deepEqual(parsed("True"), { type: "bool", value: true });
    assert.deepEqual(parsed("None"), { type: "NoneType" });
    assert.deepEqual(parsed("..."), { type: "ellipsis" });
    assert.deepEqual(parsed("set()"), { type: "set", items: [] });
    assert.deepEqual(parsed("set( )"), { type: "set", items: [] });
    rejects("true", "none", "Ellipsis", "set([1])", "frozenset()", "dict()");
  });
  it("reads tuples: empty, of one, bare at the top level, parenthesised values", () => {
    assert.deepEqual(parsed("()"), { type: "tuple", items: [] });
    assert.deepEqual(parsed("(1,)"), { type: "tuple", items: [{ type: "int", value: 1n }] });
    assert.deepEqual(parsed("(1)"), { type: "int", value: 1n });
    assert.deepEqual(parsed("1, 2"), { type: "tuple", items: [{ type: "int", value: 1n }, { type: "int", value: 2n }] });
    assert.deepEqual(parsed("1,"), { type: "tuple", items: [{ type: "int", value: 1n }] });
    assert.deepEqual(parsed("((()))"), { type: "tuple", items: [] });
    rejects("(,)", "(1,,)");
  });
  it("reads lists, dicts and sets with trailing commas, newlines and comments inside", () => {
    assert.deepEqual(parsed("[1,\n  'a',  # note\n]"), { type: "list", items: [{ type: "int", value: 1n }, { type: "str", value: "a" }] });
    assert.deepEqual(parsed("{'k': [None], }"), { type: "dict", entries: [[{ type: "str", value: "k" }, { type: "list", items: [{ type: "NoneType" }] }]] });
    assert.deepEqual(parsed("{}"), { type: "dict", entries: [] });
    assert.deepEqual(parsed("{2, 1}"), { type: "set", items: [{ type: "int", value: 2n }, { type: "int", value: 1n }] });
    rejects("[,]", "{,}", "{1: 2, 3}", "{1, 2: 3}", "[1 2]", "[1", "{'a' 1}");
  });
  it("keeps a duplicate dict key's first spelling and last value, and one of equal set members", () => {
    assert.deepEqual(parsed("{1: 'a', 1.0: 'b', True: 'c'}"), { type: "dict", entries: [[{ type: "int", value: 1n }, { type: "str", value: "c" }]] });
    assert.deepEqual(parsed("{1, 1.0, True, 2}"), { type: "set", items: [{ type: "int", value: 1n }, { type: "int", value: 2n }] });
  });
  it("rejects unhashable keys and members", () => {
    rejects("{[1]: 2}", "{(1, [2]): 3}", "{{1}}", "{{}: 1}");
    assert.notEqual(parsePythonLiteral("{(1, (2,)): 3}"), null);
  });
  it("rejects names, calls, subscripts, attributes, operators and unpacking", () => {
    rejects("x", "abc", "[x]", "f(1)", "[1][0]", "'ab'.upper()", "'a' + 'b'", "[1] * 2", "not 1", "1 < 2", "1 if 1 else 2", "[*[1]]", "{**{}}", "lambda: 1", "[i for i in y]");
  });
  it("allows blanks around the whole literal but not a newline between top-level tokens", () => {
    assert.notEqual(parsePythonLiteral("\n  [1]  \n"), null);
    assert.notEqual(parsePythonLiteral("1 # trailing comment"), null);
    rejects("1\n2", "'a'\n'b'", "", "   ", "1;");
  });
});

describe("python literals: hostile input", () => {
  it("refuses nesting beyond MAX_DEPTH without overflowing the stack", () => {
    assert.notEqual(parsePythonLiteral("[".repeat(MAX_DEPTH) + "]".repeat(MAX_DEPTH)), null);
    assert.equal(parsePythonLiteral("[".repeat(MAX_DEPTH + 1) + "]".repeat(MAX_DEPTH + 1)), null);
    assert.equal(parsePythonLiteral("(".repeat(200_000)), null);
    assert.equal(parsePythonLiteral("-".repeat(50_000) + "1"), null);
    assert.equal(readLiteralAt("[".repeat(200_000), 0), null);
  });
  it("reads or refuses huge inputs quickly", () => {
    const started = Date.now();
    assert.equal(parsePythonLiteral(`'${"a".repeat(99_000)}'`)?.type, "str");
    assert.equal(parsePythonLiteral("[" + "1, ".repeat(30_000) + "]")?.type, "list");
    assert.equal(parsePythonLiteral("'".repeat(99_999)), null);
    assert.equal(parsePythonLiteral("[" + "'a', ".repeat(40_000)), null);
    assert.equal(parsePythonLiteral("1".repeat(200_000)), null);
    assert.ok(Date.now() - started < 2000);
  });
});

describe("python literals in running text", () => {
  it("reads one literal and where it ends, without a bare tuple", () => {
    const text = "it gives [1, 2], then stops";
    const found = readLiteralAt(text, 9);
    assert.equal(found?.end, 15);
    assert.equal(text.slice(9, found?.end), "[1, 2]");
    assert.equal(readLiteralAt("1, 2", 0)?.value.type, "int");
  });
  it("takes a number's trailing period for the end of the sentence", () => {
    assert.deepEqual(readLiteralAt("3. Next", 0)?.value, { type: "int", value: 3n });
    assert.deepEqual(readLiteralAt("-1.", 0)?.value, { type: "int", value: -1n });
    assert.deepEqual(readLiteralAt("3.5.", 0)?.value, { type: "float", value: 3.5 });
    assert.deepEqual(readLiteralAt("[3.]", 0)?.value, { type: "list", items: [{ type: "float", value: 3 }] });
  });
  it("treats a dash after a literal as prose, not an operator", () => {
    assert.equal(readLiteralAt("5 - that is all", 0)?.end, 1);
    assert.equal(readLiteralAt("1 - 2j", 0)?.value.type, "complex");
  });
  it("does not read across a newline outside brackets", () => {
    assert.equal(readLiteralAt("'a'\n'b'", 0)?.end, 3);
  });
});
