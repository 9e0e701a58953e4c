/** What kind of answer a question wants, and how to read a multiple-choice letter. */
import { unwrapFormatting } from "./latex";
import { asksForProgramOutput } from "./outputQuestion";
import { foldFullWidth } from "./width";

/**
 * - `number`: one number (GSM8K, AIME, "how much is …"),
 * - `choice`: a multiple-choice letter A–J,
 * - `math`: an expression (MATH-style `\boxed{…}` answers),
 * - `code`: code the model writes (a function, a class, a fix, a missing line): drafts, not values,
 * - `output`: what a program returns or prints, as a Python literal (CRUXEval; answers/outputAnswer.ts),
 * - `auto`: unknown; numbers and expressions are recognised.
 */
export type AnswerFormat = "auto" | "number" | "choice" | "math" | "code" | "output";

const CHOICE_DATASET = /option|choice|mmlu|gpqa|arc|mcq|multiple/i;
const NUMBER_DATASET = /gsm|aime|numeric|svamp|asdiv|mawps|amc|number/i;
const MATH_DATASET = /math|olympiad|minerva/i;
const OUTPUT_DATASET = /output/i;
const CODE_DATASET = /^(?:codegen|code_translation|code_infill)$|code[-_]?gen|infill|humaneval|mbpp|livecodebench|apps\b/i;
/** A request to write or change code: "write a function", "implement …", "fix this bug", "Generate Python code". */
const CODE_REQUEST =
  /\b(?:write|implement|generate|complete|fix|refactor|rewrite|translate|port|code\s+up)\b[^.?!\n]{0,60}?\b(?:code|function|method|class|program|script|snippet|bug|implementation|module)\b|\bfill\s+in\s+the\s+(?:missing|blank)\b/i;

/**
 * Guesses the format from a dataset name and/or the question. A question listing options
 * `(A) … (B) …` or `A. … B. …` on separate lines is `choice`.
 */
export function inferAnswerFormat(dataset?: string, problem?: string): AnswerFormat {
  if (dataset !== undefined && dataset.length > 0) {
    if (OUTPUT_DATASET.test(dataset)) return "output";
    if (CODE_DATASET.test(dataset)) return "code";
    if (CHOICE_DATASET.test(dataset)) return "choice";
    if (NUMBER_DATASET.test(dataset)) return "number";
    if (MATH_DATASET.test(dataset)) return "math";
  }
  if (problem !== undefined && looksMultipleChoice(problem)) return "choice";
  // before code: "complete the assert statement with the output when executing the code" asks for a value
  if (problem !== undefined && asksForProgramOutput(problem)) return "output";
  if (problem !== undefined && CODE_REQUEST.test(problem)) return "code";
  return "auto";
}

function looksMultipleChoice(problem: string): boolean {
  const options = problem.match(/(?:^|\n)\s*\(?[A-D][).:]\s+\S/g);
  return options !== null && options.length >= 3;
}

/** An option label: a letter A–J closed by ")" or ":" (`A) …`, `(B) …`, `C: …`), at the start of a line or after a space. */
const OPTION_LABEL = /(?:^|[\s(])([A-J])[):]\s/g;

/**
 * Whether the question carries two lists of options (A and B each labelled twice, e.g. a question
 * pasted with its own options followed by a different "The options are:" list). A letter the
 * model settles on then cannot be told to mean one option.
 */
export function hasTwoOptionLists(problem: string | undefined): boolean {
  if (problem === undefined) return false;
  const labels = Array.from(problem.matchAll(OPTION_LABEL), (m) => m[1]);
  return labels.filter((l) => l === "A").length >= 2 && labels.filter((l) => l === "B").length >= 2;
}

/** The option letter a string names (`C`, `(C)`, `**C**`, `\text{C}`, `Option C`, `C) Paris`), or null. */
export function parseChoice(raw: string): string | null {
  let s = unwrapFormatting(foldFullWidth(raw)).replace(/\*\*|\$|\\\(|\\\)/g, "").trim();
  s = s.replace(/^(?:option|choice|answer)\s*[:\s]\s*/i, "");
  const m = /^\(?([A-Ja-j])\)?(?:$|[).:,]|\s+(?:\(|[A-Z]|-|–|is\b))/.exec(s);
  if (!m?.[1]) return null;
  const letter = m[1];
  // a lower-case single letter is only a choice when it stands alone ("c" or "(c)")
  if (letter === letter.toLowerCase() && !/^\(?[a-j]\)?$/.test(s)) return null;
  return letter.toUpperCase();
}
