/**
 * Questions that ask what a program returns or prints, and the values they give it (a call's
 * arguments): restating those is not an answer.
 */
import { parsePythonLiteral } from "./pythonLiteral";
import { outputKey } from "./pythonValue";

const ASKS_FOR_OUTPUT = [
  /\bcomplete\s+the\s+assert(?:ion)?(?:\s+statement)?\s+with\s+(?:the\s+)?(?:literal\s+|correct\s+)?output\b/i,
  /\bwhat\s+(?:does|will|would|is|are)\b[^?\n]{0,160}?\b(?:return|print|output)(?:s|ed)?\b/i,
  /\b(?:predict|determine|give|find)\s+(?:the\s+)?(?:exact\s+)?(?:output|return\s+value)\s+of\b/i,
  // `assert f(…) ==` with nothing (or a placeholder) after it
  /^\s*assert\s+[A-Za-z_][\w.]*\s*\(.*\)\s*==\s*(?:\?+|_+|…|\.\.\.)?\s*$/m,
];

/** Whether the question asks for a program's output (its return value or what it prints). */
export function asksForProgramOutput(problem: string): boolean {
  return ASKS_FOR_OUTPUT.some((re) => re.test(problem));
}

/** The text of a call's arguments from the `(` at `open`, or null when the brackets do not close. */
function callArguments(text: string, open: number): string | null {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length && i < open + 4000; i++) {
    const c = text.charAt(i);
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return null;
}

/** Top-level comma-separated parts, `name=` of keyword arguments dropped. */
function splitArguments(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args.charAt(i);
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(args.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(args.slice(from));
  return parts.map((p) => p.replace(/^\s*[A-Za-z_]\w*\s*=(?!=)/, "").trim()).filter((p) => p.length > 0);
}

/**
 * The {@link outputKey}s of the literal arguments of the calls the question makes to the
 * functions it defines (`assert f("ab", 2) == …` gives `"ab"`, `2` and the tuple of both). With
 * no `def`, calls on `assert` and `print` lines count.
 */
export function givenOutputValues(question: string): Set<string> {
  const defined = new Set(Array.from(question.matchAll(/\bdef\s+([A-Za-z_]\w*)\s*\(/g), (m) => m[1] ?? ""));
  const given = new Set<string>();
  const call = /(?<![\w.])([A-Za-z_]\w*)\s*\(/g;
  let m: RegExpExecArray | null;
  while ((m = call.exec(question)) !== null) {
    const name = m[1] ?? "";
    const lineStart = question.lastIndexOf("\n", m.index) + 1;
    const line = question.slice(lineStart, m.index);
    if (/\bdef\s+$/.test(line)) continue;
    const asked = defined.size > 0 ? defined.has(name) : /^\s*(?:assert|print)\b/.test(line) || name === "print";
    if (!asked) continue;
    const args = callArguments(question, m.index + m[0].length - 1);
    if (args === null) continue;
    const parts = splitArguments(args);
    const values = parts.map((p) => parsePythonLiteral(p));
    for (const v of values) if (v !== null) given.add(outputKey(v));
    if (parts.length > 1 && values.every((v) => v !== null)) {
      const whole = parsePythonLiteral(`(${args})`);
      if (whole !== null) given.add(outputKey(whole));
    }
  }
  return given;
}
