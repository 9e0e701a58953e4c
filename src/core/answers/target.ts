/**
 * What the question asks for, as a few word stems: "How much did Andrea save?" → `andre`,
 * `save`; "Find the remainder when N is divided by 1000." → `remai`; "calculate the total weight
 * of marbles …" → `weigh`; "Find the number of ordered pairs …" → `order`, `pairs`. An implied answer statement ("So the remainder is 16")
 * whose step names one of them is about the asked quantity; one that names none ("the
 * remainder is 33" when the question asks for a sum) is more likely an intermediate value.
 */

/** Words that say nothing about *which* quantity is asked. */
const STOPWORDS = new Set(
  (
    "the a an of is are was were be been to in on for and or if that this these those with by as at from it its his her " +
    "their them they he she we you your our how what which who whom whose many much does did do will would can could " +
    "should find compute calculate determine evaluate express give write all such when than then there number numbers " +
    "value values total amount answer result simplest form possible least greatest some each every any one two three " +
    "have has had take takes took need needs make makes made get gets got over final"
  ).split(" "),
);

/** Stem length: crude, but "remainder"/"remainders", "saved"/"save", "integers"/"integer" meet. */
const STEM = 5;

const ASK_SENTENCE = /\?|\b(?:find|compute|calculate|determine|evaluate|what|how|which)\b/i;
const ASK_HEAD =
  /\b(?:find|compute|calculate|determine|evaluate|what(?:'s|’s)?|which|how\s+(?:many|much|old|long|far|fast|tall|big|often))\s+(.*)/i;
/** Where the description of the asked quantity ends: conditions, clauses, the end of the question. */
const ASK_TAIL_END = /\b(?:if|such|when|where|given|so\s+that|after|before|in\s+terms)\b|[?,;:]/i;

/**
 * The stems of the words naming what the question asks for (empty when none can be told, e.g.
 * "How much is 1+1?", or a choice question). LaTeX and inline math are ignored.
 */
export function questionTarget(question: string | undefined): string[] {
  if (question === undefined) return [];
  const text = question.replace(/\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]/g, " ");
  const sentences = text.split(/(?<=[.?!])\s+/);
  let ask = "";
  for (let i = sentences.length - 1; i >= 0; i--) {
    const s = sentences[i] ?? "";
    if (ASK_SENTENCE.test(s)) {
      ask = s;
      break;
    }
  }
  const head = ASK_HEAD.exec(ask);
  const described = (head?.[1] ?? ask).split(ASK_TAIL_END)[0] ?? "";
  // the head of the noun phrase: "the sum of all positive integers" → sum; when it says nothing
  // ("the number of ordered pairs", "the greatest number of apples"), what it is a number of
  const [head0, ...rest] = described.split(/\bof\b/i);
  const headWords = contentWords(head0 ?? "");
  const chosen = headWords.length > 0 ? headWords : contentWords(rest.join(" of "));
  return [...new Set(chosen.map((w) => w.slice(0, STEM)))];
}

function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w));
}

/** Does `text` name one of the target stems (as the start of a word)? Undefined when the target is unknown. */
export function namesTarget(text: string, target: readonly string[]): boolean | undefined {
  if (target.length === 0) return undefined;
  const lower = text.toLowerCase();
  for (const stem of target) {
    let at = lower.indexOf(stem);
    while (at >= 0) {
      if (at === 0 || !/[a-z]/.test(lower[at - 1] ?? "")) return true;
      at = lower.indexOf(stem, at + 1);
    }
  }
  return false;
}
