/** What kind of question this is (shown in the brake's evidence; `open` questions get no adaptive brake). */
import type { QuestionKind } from "../vocabulary";
import type { AnswerFormat } from "./format";

/**
 * Open-ended requests: explain, describe, compare, design, "why …", "how does …", "what are the
 * trade-offs …". Only without numbers: "what is the difference between 8 and the cube root of 64"
 * is arithmetic.
 */
const OPEN_REQUEST =
  /^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:explain|describe|compare|contrast|discuss|summari[sz]e|design|propose|suggest|recommend|review|critique|outline|brainstorm|why\b|how\s+(?:does|do|did|would|should|can|could)\b|what\s+(?:are|is)\s+the\s+(?:differences?|pros|cons|trade-?offs?|advantages|disadvantages|best\s+way)|should\s+i\b|when\s+should\b|is\s+it\s+(?:better|worth))/i;

export function inferQuestionKind(format: AnswerFormat, question: string | undefined): QuestionKind {
  switch (format) {
    case "code":
    case "output":
    case "choice":
      return format;
    case "number":
    case "math":
      return "math";
    case "auto":
      return question !== undefined && OPEN_REQUEST.test(question) && !/\d/.test(question) ? "open" : "math";
  }
}

/**
 * What a code question's answer is: `definitions` (write or fix a function, a class, a program)
 * or a `snippet` (fill in a missing line or expression). Snippets in prose are mostly calls being
 * discussed, so only a snippet question anchors on them.
 */
export type CodeAnswerShape = "definitions" | "snippet";

const SNIPPET_DATASET = /infill|fim\b|fill[-_]?in/i;
const SNIPPET_REQUEST = /\b(?:fill\s+in|complete)\s+(?:the\s+)?(?:missing|blank|masked|hole)|\bmissing\s+(?:line|lines|code|expression|statement)s?\b|<\s*(?:FILL_ME|MASK|MISSING)\s*>/i;

export function inferCodeAnswerShape(dataset: string | undefined, question: string | undefined): CodeAnswerShape {
  if (dataset !== undefined && SNIPPET_DATASET.test(dataset)) return "snippet";
  return question !== undefined && SNIPPET_REQUEST.test(question) ? "snippet" : "definitions";
}
