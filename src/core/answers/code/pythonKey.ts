/**
 * Identity of Python code under cosmetic changes, read from its lezer tree: the token texts in
 * order with comments and docstrings (the first string statement of a module, function or
 * class, as `ast.get_docstring` reads it) left out, strings written one way, blocks marked by
 * their structure instead of their indentation (so indentation width, blank lines, line
 * continuations, trailing whitespace and `;` separators do not count, while moving a statement
 * in or out of a block does).
 */
import type { PythonNode, PythonTree } from "./pythonParse";

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\n": "",
};

/**
 * The value a Python string literal's body stands for: escapes decoded (`\n`, `\x41`, `\u00e9`,
 * octal, a backslash-newline), an unknown escape (`\*`) kept as backslash and character, as
 * Python does. Raw bodies are their own value.
 */
function pythonStringValue(body: string, raw: boolean): string {
  if (raw || !body.includes("\\")) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? "";
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const hex = next === "x" ? /^[0-9a-fA-F]{2}/.exec(body.slice(i + 2)) : next === "u" ? /^[0-9a-fA-F]{4}/.exec(body.slice(i + 2)) : next === "U" ? /^[0-9a-fA-F]{8}/.exec(body.slice(i + 2)) : null;
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    const code = hex !== null ? parseInt(hex[0], 16) : octal !== null ? parseInt(octal[0], 8) : null;
    if (code !== null && code <= 0x10ffff) {
      out += String.fromCodePoint(code);
      i += hex !== null ? 1 + hex[0].length : (octal?.[0].length ?? 0);
      continue;
    }
    out += c + next;
    i++;
  }
  return out;
}

/**
 * A string literal's canonical form: its prefix lower-cased (`u` dropped) and its value written
 * one way, so `'it\'s'`, `"it's"` and `"""it's"""` compare equal, and so do `'\*'` and `'\\*'`.
 */
export function canonicalPythonString(literal: string): string {
  const m = /^([A-Za-z]*)("""|'''|"|')/.exec(literal);
  if (m === null) return literal;
  const prefix = (m[1] ?? "").toLowerCase().replace("u", "");
  const delimiter = m[2] ?? '"';
  const closed = literal.length >= m[0].length + delimiter.length && literal.endsWith(delimiter);
  const body = literal.slice(m[0].length, closed ? literal.length - delimiter.length : literal.length);
  const value = pythonStringValue(body, prefix.includes("r"));
  return `${prefix.replace("r", "")}${JSON.stringify(value)}${closed ? "" : "…"}`;
}

const BLOCKS = new Set(["Script", "Body", "StatementGroup"]);
const DOCSTRING_OWNERS = new Set(["Script", "FunctionDefinition", "ClassDefinition"]);
const ATOMIC = new Set(["String", "FormatString"]);
const STATEMENT_MARK = "⏎";

/** Whether the statement at `node` is a lone string (a docstring when it comes first). */
function isStringStatement(node: PythonNode): boolean {
  if (node.name !== "ExpressionStatement") return false;
  const child = node.firstChild;
  return child !== null && child.nextSibling === null && (child.name === "String" || child.name === "ContinuedString");
}

/** The key tokens of the code under `node` (`text` is the parsed text). Iterative: deep nesting cannot overflow the stack. */
export function pythonKeyTokens(node: PythonNode, text: string): string[] {
  const out: string[] = [];
  const cursor = node.cursor();
  const parents: string[] = [];
  const statementCounts: number[] = [];
  let lastEnd = node.from;

  const emitGap = (to: number): void => {
    const gap = text.slice(lastEnd, to).replace(/[\s\\;]+/g, "");
    if (gap !== "") out.push(gap);
  };
  const enter = (): boolean => {
    const name = cursor.name;
    const parent = parents[parents.length - 1] ?? "";
    if (name === "Comment" || name === ";") {
      lastEnd = cursor.to;
      return false;
    }
    if (BLOCKS.has(parent) && name !== ":" && name !== ";") {
      const count = statementCounts[statementCounts.length - 1] ?? 0;
      const owner = parent === "Body" ? (parents[parents.length - 2] ?? "") : parent;
      if (count === 0 && DOCSTRING_OWNERS.has(owner) && isStringStatement(cursor.node)) {
        lastEnd = cursor.to;
        return false;
      }
      statementCounts[statementCounts.length - 1] = count + 1;
      emitGap(cursor.from);
      lastEnd = Math.max(lastEnd, cursor.from);
      if (name !== "StatementGroup") out.push(STATEMENT_MARK);
    }
    if (ATOMIC.has(name)) {
      emitGap(cursor.from);
      out.push(canonicalPythonString(text.slice(cursor.from, cursor.to)));
      lastEnd = cursor.to;
      return false;
    }
    if (BLOCKS.has(name)) {
      statementCounts.push(0);
      if (name === "Body") out.push("{");
      return true;
    }
    if (cursor.node.firstChild === null) {
      emitGap(cursor.from);
      out.push(text.slice(cursor.from, cursor.to));
      lastEnd = cursor.to;
    }
    return true;
  };
  const leave = (): void => {
    const name = cursor.name;
    if (!BLOCKS.has(name)) return;
    const count = statementCounts.pop() ?? 0;
    if (name !== "Body") return;
    emitGap(cursor.to);
    lastEnd = Math.max(lastEnd, cursor.to);
    if (count === 0) out.push(STATEMENT_MARK, "pass");
    out.push("}");
  };

  let depth = 0;
  walk: for (;;) {
    const descend = enter();
    if (descend) {
      const name = cursor.name;
      if (cursor.firstChild()) {
        parents.push(name);
        depth++;
        continue;
      }
      leave();
    }
    for (;;) {
      if (depth === 0) break walk;
      if (cursor.nextSibling()) continue walk;
      cursor.parent();
      parents.pop();
      depth--;
      leave();
    }
  }
  emitGap(node.to);
  return out;
}

export interface PythonDefinitionNode {
  readonly name: string;
  readonly kind: "function" | "class";
  readonly node: PythonNode;
}

/** The functions and classes a module defines at its top level, decorated ones included, in order. */
export function topLevelDefinitions(script: PythonNode, text: string): PythonDefinitionNode[] {
  const out: PythonDefinitionNode[] = [];
  for (let child = script.firstChild; child !== null; child = child.nextSibling) {
    let definition: PythonNode | null = child;
    if (child.name === "DecoratedStatement") {
      definition = child.lastChild;
    }
    if (definition === null || (definition.name !== "FunctionDefinition" && definition.name !== "ClassDefinition")) continue;
    const nameNode = definition.getChild("VariableName");
    if (nameNode === null) continue;
    out.push({
      name: text.slice(nameNode.from, nameNode.to),
      kind: definition.name === "ClassDefinition" ? "class" : "function",
      node: child,
    });
  }
  return out;
}

/** Whether a parsed text contains an indented block (a `def`, `class`, `if`, `for` … body). */
export function hasBlock(tree: PythonTree): boolean {
  let found = false;
  tree.iterate({
    enter: (ref) => {
      if (found) return false;
      if (ref.name === "Body") found = true;
      return undefined;
    },
  });
  return found;
}
