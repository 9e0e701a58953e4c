/** Which language a piece of code is read as. */
import type { DraftLanguage } from "./types";

const PYTHON_TAGS = new Set(["python", "py", "python3", "py3", "ipython", "pycon", "sage"]);
const C_LIKE_TAGS = new Set([
  "c", "h", "cpp", "c++", "cc", "cxx", "hpp", "hxx", "objc", "objective-c", "java", "js", "javascript", "jsx", "mjs", "cjs",
  "ts", "typescript", "tsx", "go", "golang", "rust", "rs", "cs", "csharp", "c#", "kotlin", "kt", "swift", "scala", "php", "dart",
  "cuda", "cu", "groovy", "solidity", "zig",
]);

/** The language a fence's info string names (```` ```python ```` → python), or unknown. */
export function languageOfTag(tag: string): DraftLanguage {
  const word = tag.trim().split(/[\s{,]/)[0]?.toLowerCase() ?? "";
  if (PYTHON_TAGS.has(word)) return "python";
  if (C_LIKE_TAGS.has(word)) return "c-like";
  return "unknown";
}

/** Lines that only Python writes: a definition, import or decorator, or a line opening a block with `:`. */
const PYTHON_SIGNAL =
  /^[ \t]*(?:(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(|class[ \t]+\w+[ \t]*[(:]|import[ \t]+[\w.]+|from[ \t]+[\w.]+[ \t]+import\b|@[\w.]+|(?:if|elif|else|for|while|with|try|except|finally)\b[^\n{};]*:[ \t]*(?:#[^\n]*)?$)/m;

/** Signs of a braces-and-semicolons language (not `//` alone: in Python it divides). */
const C_LIKE_SIGNAL = /[{};][ \t]*(?:\/\/[^\n]*)?$|\/\*|^[ \t]*#[ \t]*include\b|=>|&&|\|\||\bnew[ \t]+[A-Z]|\b(?:function|const|let|var|fn|func|public|private|static|void|int|auto)[ \t]+\w/m;

/**
 * Guesses the language of `text` when no fence tag says it: Python when it has a Python-only
 * line and no sign of braces and semicolons (or parses as Python anyway, `parsesAsPython`);
 * C-like when it shows those signs; unknown otherwise (a bare call or assignment reads the same
 * in most languages and is keyed by its tokens).
 */
export function guessLanguage(text: string, parsesAsPython: () => boolean): DraftLanguage {
  const python = PYTHON_SIGNAL.test(text);
  const cLike = C_LIKE_SIGNAL.test(text);
  if (python && (!cLike || parsesAsPython())) return "python";
  if (cLike) return "c-like";
  return "unknown";
}
