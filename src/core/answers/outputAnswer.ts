/**
 * Program-output answers as a whole: reading one the way the CRUXEval judge does, comparing two,
 * and finding the final answer of a response (the text after `</think>`).
 */
import { findBoxed } from "./latex";
import { outputStatements } from "./outputStatements";
import { parsePythonLiteral, readLiteralAt } from "./pythonLiteral";
import type { PythonValue } from "./pythonValue";
import { outputKey } from "./pythonValue";

/**
 * The value of a written answer as the judge reads it (judge_code.py `lit`): blanks and
 * backticks around it dropped, an `assert … ==` before it dropped, then `ast.literal_eval`.
 */
export function readOutputAnswer(text: string): PythonValue | null {
  const s = text.trim().replace(/^`+|`+$/g, "").trim().replace(/^assert\s[\s\S]*?==\s*/, "");
  return parsePythonLiteral(s);
}

/** A key two answers share exactly when the judge counts them the same output, or null when `text` is no literal. */
export function outputAnswerKey(text: string): string | null {
  const v = readOutputAnswer(text);
  return v === null ? null : outputKey(v);
}

/** The judge's rule: both are literals, of the same type at the top, and equal as Python values. */
export function outputAnswersEquivalent(a: string, b: string): boolean {
  const ka = outputAnswerKey(a);
  return ka !== null && ka === outputAnswerKey(b);
}

/** The span of `text` holding exactly one literal, or null. */
function literalSpan(text: string, from: number, to: number): string | null {
  const inner = text.slice(from, to);
  const start = inner.length - inner.trimStart().length;
  const body = inner.trim();
  return body.length > 0 && parsePythonLiteral(body) !== null ? text.slice(from + start, from + start + body.length) : null;
}

/** Fences, backticks, bold, `\boxed{…}`, an `assert … ==` and a trailing period around a whole answer. */
function unwrapWhole(text: string): string {
  let s = text.trim();
  for (let i = 0; i < 4; i++) {
    const before = s;
    s = s.replace(/^```[\w+-]*[ \t]*\n([\s\S]*?)\n?```$/, "$1").trim();
    s = s.replace(/^`+([\s\S]*?)`+$/, "$1").trim();
    s = s.replace(/^\*\*([\s\S]*?)\*\*$/, "$1").trim();
    s = s.replace(/^\$*\s*\\boxed\{([\s\S]*)\}\s*\$*$/, "$1").trim();
    s = s.replace(/^assert\s[^\n]*?==\s*/, "").trim();
    if (s === before) break;
  }
  return s;
}

/** `== X` closing the last `assert` line. */
function lastAssert(text: string): string | null {
  const lines = Array.from(text.matchAll(/^[ \t`>*.]*assert\s[^\n]*?==[ \t]*([^\n]*)$/gm));
  for (let i = lines.length - 1; i >= 0; i--) {
    const rhs = (lines[i]?.[1] ?? "").replace(/[`*]+\s*$/, "").replace(/\s*#.*$/, "").trim();
    if (parsePythonLiteral(rhs) !== null) return rhs;
  }
  return null;
}

function lastBoxed(text: string): string | null {
  const boxes = findBoxed(text);
  for (let i = boxes.length - 1; i >= 0; i--) {
    const content = unwrapWhole(boxes[i]?.content ?? "");
    if (parsePythonLiteral(content) !== null) return content;
  }
  return null;
}

function lastFenced(text: string): string | null {
  const blocks = Array.from(text.matchAll(/```[\w+-]*[ \t]*\n([\s\S]*?)```/g));
  for (let i = blocks.length - 1; i >= 0; i--) {
    const content = unwrapWhole(blocks[i]?.[1] ?? "");
    if (parsePythonLiteral(content) !== null) return content;
    const fromAssert = lastAssert(blocks[i]?.[1] ?? "");
    if (fromAssert !== null) return fromAssert;
  }
  return null;
}

/** The last line that is a literal on its own (bold, backticks and a closing period allowed). */
function lastLiteralLine(text: string): string | null {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = unwrapWhole(lines[i] ?? "");
    if (line.length > 0 && parsePythonLiteral(line) !== null) return line;
    const spans = Array.from(line.matchAll(/`([^`\n]+)`/g));
    for (let j = spans.length - 1; j >= 0; j--) {
      const span = literalSpan(spans[j]?.[1] ?? "", 0, (spans[j]?.[1] ?? "").length);
      if (span !== null) return span;
    }
  }
  return null;
}

/**
 * The final output a response gives, as written, or null: the whole response when it is one
 * literal (in a fence, backticks, bold or `\boxed{}`, or after `assert … ==`), else the last
 * completed assert, `\boxed{}`, fenced literal, explicit statement ("the output is …"), then the
 * last line or code span holding only a literal.
 */
export function extractFinalOutput(response: string): string | null {
  const whole = unwrapWhole(response);
  if (whole.length > 0 && parsePythonLiteral(whole) !== null) return whole;
  const wholeRead = readLiteralAt(whole, 0);
  if (wholeRead !== null && /^[.\s]*$/.test(whole.slice(wholeRead.end))) return whole.slice(0, wholeRead.end);
  const explicit = outputStatements(response).filter((s) => s.kind === "phrase");
  return lastAssert(response) ?? lastBoxed(response) ?? lastFenced(response) ?? explicit[explicit.length - 1]?.value ?? lastLiteralLine(response);
}
