import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { chunkSource } from "../../../../src/extension/codeActions/chunks";
import { proposeChange } from "../../../../src/extension/codeActions/proposal";

const lines = (...l: string[]): string => l.join("\n") + "\n";

const PY_DOC = lines(
  "import os",
  "",
  "",
  "def foo(x):",
  '    """Old foo."""',
  "    return x",
  "",
  "",
  "# Bar does things.",
  "@dataclass",
  "class Bar:",
  "    value: int = 0",
  "",
  "",
  'if __name__ == "__main__":',
  "    print(foo(1))",
);

describe("proposeChange: a known range", () => {
  it("replaces the attached or selected lines, keeping the line structure", () => {
    const doc = lines("a", "b", "c", "d");
    const start = doc.indexOf("b");
    const end = doc.indexOf("c") + 1; // through the end of line 3, before its newline
    const change = proposeChange({ documentText: doc, code: "B\nC\n", languageId: "plaintext", range: { start, end } });
    assert.equal(change.text, lines("a", "B", "C", "d"));
    assert.equal(change.scope, "range");
    assert.equal(change.summary, "replaces lines 2–3");
  });

  it("keeps the code's newline when the range ends at the start of a line", () => {
    const doc = lines("a", "b", "c");
    const change = proposeChange({ documentText: doc, code: "X\n", languageId: "python", range: { start: 2, end: 4 } });
    assert.equal(change.text, lines("a", "X", "c"));
    assert.equal(change.summary, "replaces line 2");
  });

  it("replaces a part of a line", () => {
    const change = proposeChange({ documentText: "x = 1 + 2\n", code: "3", languageId: "python", range: { start: 4, end: 9 } });
    assert.equal(change.text, "x = 3\n");
  });

  it("writes the code with the document's CRLF line ends", () => {
    const change = proposeChange({ documentText: "a\r\nb\r\n", code: "X\nY\n", languageId: "plaintext", range: { start: 0, end: 1 } });
    assert.equal(change.text, "X\r\nY\r\nb\r\n");
  });
});

describe("proposeChange: Python definitions by name", () => {
  it("replaces only the definition of the same name", () => {
    const code = lines("def foo(x):", "    return x * 2");
    const change = proposeChange({ documentText: PY_DOC, code, languageId: "python" });
    assert.equal(change.scope, "definitions");
    assert.equal(change.summary, "replaces foo");
    assert.equal(change.text, PY_DOC.replace('def foo(x):\n    """Old foo."""\n    return x', "def foo(x):\n    return x * 2"));
  });

  it("replaces a class with its decorator and comment, adds new definitions and imports", () => {
    const code = lines("import os", "import sys", "", "", "@dataclass", "class Bar:", "    value: int = 1", "", "", "def baz():", "    return sys.argv");
    const change = proposeChange({ documentText: PY_DOC, code, languageId: "python" });
    assert.equal(change.summary, "replaces Bar; adds baz; adds an import");
    const expected = PY_DOC.replace("import os", "import os\nimport sys").replace(
      "# Bar does things.\n@dataclass\nclass Bar:\n    value: int = 0",
      "@dataclass\nclass Bar:\n    value: int = 1\n\n\ndef baz():\n    return sys.argv",
    );
    assert.equal(change.text, expected);
  });

  it("keeps a docstring whose lines start in column 0 inside its function", () => {
    const doc = lines("def f():", '    """Doc', "at column 0", '    """', "    return 1", "", "def g():", "    return 2");
    const change = proposeChange({ documentText: doc, code: "def f():\n    return 3\n", languageId: "python" });
    assert.equal(change.text, lines("def f():", "    return 3", "", "def g():", "    return 2"));
  });

  it("takes a code block with other top-level statements as the whole file", () => {
    const code = lines("def foo(x):", "    return x", "", "print(foo(2))");
    const change = proposeChange({ documentText: PY_DOC, code, languageId: "python" });
    assert.equal(change.scope, "wholeFile");
    assert.equal(change.text, code);
    assert.match(change.detail, /top-level code besides definitions/);
  });

  it("replaces the whole file when no definition name matches, and says so", () => {
    const change = proposeChange({ documentText: PY_DOC, code: "def other():\n    pass\n", languageId: "python" });
    assert.equal(change.scope, "wholeFile");
    assert.equal(change.summary, "replaces the whole file");
    assert.match(change.detail, /no top-level definition named other/);
  });

  it("replaces the whole file when a name is defined twice", () => {
    const doc = lines("def f():", "    pass", "", "def f():", "    pass");
    const change = proposeChange({ documentText: doc, code: "def f():\n    return 1\n", languageId: "python" });
    assert.equal(change.scope, "wholeFile");
    assert.match(change.detail, /f is defined more than once/);
  });
});

describe("proposeChange: brace languages by balanced braces", () => {
  const TS_DOC = lines(
    'import { a } from "./a";',
    "",
    "/** Adds. */",
    "export function add(x: number, y: number): number {",
    '  const s = "}";',
    "  return x + y; // }",
    "}",
    "",
    "export const twice = (x: number) =>",
    "  x * 2;",
    "",
    "export class Counter {",
    "  count = 0;",
    "}",
  );

  it("replaces a TypeScript function, braces in strings and comments notwithstanding", () => {
    const code = lines("export function add(x: number, y: number): number {", "  return y + x;", "}");
    const change = proposeChange({ documentText: TS_DOC, code, languageId: "typescript" });
    assert.equal(change.summary, "replaces add");
    assert.equal(change.text, TS_DOC.replace('/** Adds. */\nexport function add(x: number, y: number): number {\n  const s = "}";\n  return x + y; // }\n}', code.trimEnd()));
  });

  it("replaces an arrow-function constant and a class together", () => {
    const code = lines("export const twice = (x: number) => 2 * x;", "", "export class Counter {", "  count = 1;", "}");
    const change = proposeChange({ documentText: TS_DOC, code, languageId: "typescript" });
    assert.equal(change.summary, "replaces twice and Counter");
    assert.ok(change.text.includes("export const twice = (x: number) => 2 * x;\n\nexport class Counter {\n  count = 1;\n}"));
    assert.ok(change.text.startsWith('import { a } from "./a";\n\n/** Adds. */\nexport function add'));
  });

  it("finds C functions with the brace on its own line, Go methods and Rust impls", () => {
    const c = chunkSource(lines("#include <stdio.h>", "", "static int add(int a, int b)", "{", "    return a + b;", "}", "", "int main(void) {", "  return add(1, 2);", "}"), "c");
    assert.deepEqual(c?.chunks.map((k) => [k.kind, k.name]), [["import", undefined], ["definition", "add"], ["definition", "main"]]);
    const go = chunkSource(lines("package main", "", "import (", '\t"fmt"', ")", "", "func (s *Server) Start() error {", "\treturn nil", "}", "", "var x = 1"), "go");
    assert.deepEqual(go?.chunks.map((k) => [k.kind, k.name]), [["import", undefined], ["import", undefined], ["definition", "Server.Start"], ["definition", "x"]]);
    const rust = chunkSource(lines("use std::fmt;", "", "#[derive(Debug)]", "pub struct Point<'a> { x: &'a str }", "", "impl fmt::Display for Point<'_> {", "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"{}\", '}') }", "}"), "rust");
    assert.deepEqual(rust?.chunks.map((k) => [k.kind, k.name]), [["import", undefined], ["definition", "Point"], ["definition", "impl fmt::Display for Point<'_>"]]);
    assert.equal(rust?.balanced, true);
  });

  it("replaces a Java class with its annotation", () => {
    const doc = lines("package demo;", "", "@Deprecated", "public class A {", "  int f() { return 1; }", "}");
    const code = lines("public class A {", "  int f() { return 2; }", "}");
    const change = proposeChange({ documentText: doc, code, languageId: "java" });
    assert.equal(change.summary, "replaces A");
    assert.equal(change.text, lines("package demo;", "", "public class A {", "  int f() { return 2; }", "}"));
  });

  it("replaces the whole file when the code block's braces do not balance", () => {
    const change = proposeChange({ documentText: TS_DOC, code: "function add() {\n", languageId: "typescript" });
    assert.equal(change.scope, "wholeFile");
    assert.match(change.detail, /do not close/);
  });
});

describe("proposeChange: other languages", () => {
  it("replaces the whole document of a language without definitions, keeping its final newline", () => {
    const change = proposeChange({ documentText: "a: 1\n", code: "a: 2", languageId: "yaml" });
    assert.equal(change.text, "a: 2\n");
    assert.equal(change.scope, "wholeFile");
    assert.match(change.detail, /select them and click Apply again/);
  });
});
