/**
 * The scripts the scripted test model replays, and the demo model's script. Each becomes a
 * small GGUF (see scriptedModel.ts). They are replays, not language models: whatever the
 * question, the same transcript comes out.
 */
import { PLAIN_TEMPLATE, THINK_BY_MODEL_TEMPLATE } from "./chatTemplates";
import { ScriptedModelError } from "./scriptedModel";
import type { ScriptAlternative, ScriptChain, ScriptedModelSpec, SpecialTokenSpec } from "./scriptedModel";

/**
 * Splits text into word tokens with their leading space. Runs of two or more line breaks (step
 * boundaries) are tokens of their own; a single line break goes with the indentation and word
 * after it (code lines), so that it is not one token used too often to spell apart.
 */
export function scriptTokens(text: string): string[] {
  return text.match(/\n\n+|\n *[^\s]+| *[^\s]+| +|\n/g) ?? [];
}

const CHAT_SPECIALS: readonly SpecialTokenSpec[] = [
  { text: "<|im_start|>", kind: "control" },
  { text: "<|im_end|>", kind: "control" },
];
const THINK_SPECIALS: readonly SpecialTokenSpec[] = [
  { text: "<think>", kind: "userDefined" },
  { text: "</think>", kind: "userDefined" },
];

export interface ReasoningScript {
  readonly name: string;
  readonly description: string;
  /** Thinking before the loop (paragraphs separated by blank lines). */
  readonly thinking: string;
  /** Repeated forever after `thinking` (null: the thinking ends by itself). */
  readonly loop: string | null;
  readonly answer: string;
  /**
   * The model's own end-of-thinking signal: after the blank line that ends step `afterStep`,
   * `</think>` has probability `probability` (see {@link ScriptAlternative}; below about ½ the
   * script goes on, above it the model closes its thinking there and answers). Steps are counted
   * through `thinking` (1 to its number of blank lines) and on into the first pass of `loop`; a
   * loop step's signal repeats on every pass.
   */
  readonly endOfThinking?: readonly EndOfThinkingPoint[];
}

export interface EndOfThinkingPoint {
  /** 1-based: the step whose closing blank line the signal follows. */
  readonly afterStep: number;
  readonly probability: number;
}

const SCRIPTED_NOTE = "Scripted replay model for tests and demos, not a language model: it replays a fixed transcript whatever it is asked.";

/** Turns paragraphs into tokens, keeping each blank line as its own token. */
function paragraphs(text: string): string[] {
  return scriptTokens(text);
}

/** Whether a script token ends a step (a run of line breaks with a blank line in it). */
function endsStep(token: string): boolean {
  return token.includes("\n\n");
}

/** Places the end-of-thinking points on the blank-line tokens of the thought and loop chains. */
function endOfThinkingAlternatives(points: readonly EndOfThinkingPoint[], thought: readonly string[], loop: readonly string[]): { thought: ScriptAlternative[]; loop: ScriptAlternative[] } {
  const ends = [...thought.flatMap((t, i) => (endsStep(t) ? [{ chain: "thought" as const, after: i }] : [])), ...loop.flatMap((t, i) => (endsStep(t) ? [{ chain: "loop" as const, after: i }] : []))];
  const out = { thought: [] as ScriptAlternative[], loop: [] as ScriptAlternative[] };
  for (const point of points) {
    const end = ends[point.afterStep - 1];
    if (!Number.isInteger(point.afterStep) || end === undefined) {
      throw new ScriptedModelError(`end-of-thinking point after step ${point.afterStep}: the script has steps 1 to ${ends.length} (thinking, then the loop's first pass)`);
    }
    out[end.chain].push({ after: end.after, token: "</think>", probability: point.probability });
  }
  return out;
}

/** A reasoning model: the model opens `<think>`, thinks, and either loops or closes and answers. */
export function reasoningModelSpec(script: ReasoningScript): ScriptedModelSpec {
  const thoughtTokens = paragraphs(script.thinking);
  const loopTokens = script.loop === null ? [] : paragraphs(script.loop);
  const signal = endOfThinkingAlternatives(script.endOfThinking ?? [], thoughtTokens, loopTokens);
  const chains: Record<string, ScriptChain> = {
    open: { tokens: ["<think>", "\n"], next: "thought" },
    thought: { tokens: thoughtTokens, next: script.loop === null ? "close" : "loop", ...(signal.thought.length > 0 ? { alternatives: signal.thought } : {}) },
    close: { tokens: ["\n", "</think>", "\n\n"], next: "answer" },
    answer: { tokens: scriptTokens(script.answer), next: "eos" },
  };
  if (script.loop !== null) chains.loop = { tokens: loopTokens, next: "loop", ...(signal.loop.length > 0 ? { alternatives: signal.loop } : {}) };
  return {
    name: script.name,
    description: `${SCRIPTED_NOTE} ${script.description}`,
    chatTemplate: THINK_BY_MODEL_TEMPLATE,
    specials: [...CHAT_SPECIALS, ...THINK_SPECIALS],
    eos: "<|im_end|>",
    start: "open",
    chains,
    // The brake ends its injection with the template's "</think>\n\n": that blank line leads to the answer.
    entries: { "\n\n": "answer" },
  };
}

/** Overthinks: states the answer, then double-checks it forever. Only a brake (or the budget) ends it. */
export const OVERTHINKING: ReasoningScript = {
  name: "scripted-overthinking",
  description: "Double-checks its answer in a loop that never ends without a brake.",
  thinking: "Let me work out 12 × 3.\n\n12 × 3 means three groups of 12: 12 + 12 + 12.\n\n12 + 12 = 24, and 24 + 12 = 36.\n\nSo the answer is 36.\n\n",
  loop: "Wait, let me double-check. 12 × 3 = 36. Yes, the answer is 36.\n\n",
  answer: "The answer is **36**.",
};

/** Thinks briefly and closes its thinking by itself. */
export const SELF_ENDING: ReasoningScript = {
  name: "scripted-self-ending",
  description: "Thinks briefly and closes its thinking by itself.",
  thinking: "Let me work out 12 × 3.\n\n12 × 3 = 36.",
  loop: null,
  answer: "The answer is **36**.",
};

/** States the answer, re-checks it four times, then closes its thinking by itself: a brake saves the re-checks (calibration and bench tests). */
export const CHECKS_THEN_ENDS: ReasoningScript = {
  name: "scripted-checks-then-ends",
  description: "States the answer, re-checks it several times, then closes its thinking.",
  thinking: [
    "Let me work out 12 × 3.",
    "12 × 3 means three groups of 12: 12 + 12 + 12 = 36.",
    "So the answer is 36.",
    "Wait, let me double-check. 12 × 3 = 36. Yes, the answer is 36.",
    "Hmm, let me verify another way: 3 × 12 = 36. The answer is 36.",
    "Wait, let me double-check once more. 10 × 3 + 2 × 3 = 36. Yes.",
    "I am confident the answer is 36.",
  ].join("\n\n"),
  loop: null,
  answer: "The answer is **36**.",
};

/** Changes its answer midway, then double-checks the new one forever. */
export const ANSWER_CHANGES: ReasoningScript = {
  name: "scripted-answer-changes",
  description: "States a wrong answer, corrects it, then double-checks the correction in a loop.",
  thinking: "Let me work out 12 × 4.\n\n12 × 4 = 46.\n\nHmm, no: 12 × 4 is 48, not 46.\n\nSo the answer is 48.\n\n",
  loop: "Wait, let me double-check. 12 × 4 = 48. Yes, the answer is 48.\n\n",
  answer: "The answer is **48**.",
};

/** A model without thinking: its template has no think block and it answers at once. */
export function noThinkingModelSpec(): ScriptedModelSpec {
  return {
    name: "scripted-no-thinking",
    description: `${SCRIPTED_NOTE} Answers directly, without a thinking block.`,
    chatTemplate: PLAIN_TEMPLATE,
    specials: CHAT_SPECIALS,
    eos: "<|im_end|>",
    start: "answer",
    chains: { answer: { tokens: scriptTokens("12 × 3 = 36, so the answer is **36**."), next: "eos" } },
  };
}

/** The demo model: a friendly, clearly labelled scripted transcript that overthinks until braked. */
export const DEMO: ReasoningScript = {
  name: "Self-Braking scripted demo (not a language model)",
  description:
    "Demo for the Self-Braking Reasoner: always replays the same train-speed reasoning, which keeps double-checking itself until the brake stops it.",
  thinking:
    "I am the scripted demo model, so I replay the same puzzle whatever you ask: a train covers 60 km in 45 minutes; what is its speed in km/h?\n\n" +
    "45 minutes is 3/4 of an hour.\n\n" +
    "Speed is distance over time: 60 km ÷ 3/4 h = 60 × 4/3 = 80 km/h.\n\n" +
    "So the answer is 80 km/h.\n\n",
  loop:
    "Wait, let me double-check. In one hour the train covers 60 × 60/45 = 80 km. Yes, the answer is 80 km/h.\n\n" +
    "Hmm, but maybe I should verify it another way. 80 km/h for 0.75 h is 60 km. So the answer is 80 km/h.\n\n",
  answer:
    "The train's speed is **80 km/h** (60 km in 3/4 of an hour).\n\n(You are talking to the scripted demo model: it replays this transcript to show the brake at work. Choose a real GGUF model with selfBraking.model.path.)",
};

const MERGE = [
  "def merge(a, b):",
  "    out = []",
  "    i = j = 0",
  "    while i < len(a) and j < len(b):",
  "        if a[i] <= b[j]:",
  "            out.append(a[i])",
  "            i += 1",
  "        else:",
  "            out.append(b[j])",
  "            j += 1",
  "    return out + a[i:] + b[j:]"
].join("\n");

/** A code question: drafts a function, traces it, then keeps restating it "to be sure" until braked. */
export const CODE_OVERTHINKING: ReasoningScript = {
  name: "scripted-code-overthinking",
  description: "Drafts a merge function, traces it on an example, then keeps writing it out again in a loop until braked.",
  thinking:
    "I need a function that merges two sorted lists into one sorted list.\n\n" +
    "Two pointers will do: walk both lists and always take the smaller head.\n\n" +
    `\`\`\`python\n${MERGE}\n\`\`\`\n\n` +
    "Let me trace merge([1, 4], [2, 3]): it takes 1, 2, 3, then 4 is left over, so [1, 2, 3, 4].\n\n",
  loop:
    "Wait, what about an empty list? merge([], [5]) skips the loop and returns [5]. Let me write it out once more to be sure:\n" +
    `${MERGE}\n\n` +
    "Hmm, that is the same code as before.\n\n",
  answer: `Here is \`merge\`:\n\`\`\`python\n${MERGE}\n\`\`\``,
};

/** A question about a program's output the OUTPUT_OVERTHINKING model answers (what it traces). */
export const OUTPUT_QUESTION = [
  "def f(words):",
  "    return [w.upper() for w in words if len(w) > 2]",
  "assert f(['ab', 'cde', 'fghi']) == ??",
  "Complete the assert with the output.",
].join("\n");

/**
 * Program-output overthinking: traces f, states its output, then traces it again and again
 * until braked (the stated-result rule brakes at the statement).
 */
export const OUTPUT_OVERTHINKING: ReasoningScript = {
  name: "scripted-output-overthinking",
  description: "Traces a list comprehension, states the output, then keeps tracing it again until braked.",
  thinking:
    "Let me trace f on the three words.\n\n" +
    "'ab' has length 2, so it is skipped.\n\n" +
    "'cde' and 'fghi' are longer, so they are upper-cased.\n\n" +
    "So the output is ['CDE', 'FGHI'].\n\n",
  loop: "Wait, let me trace it once more: 'ab' is dropped and the other two are kept.\n\n",
  answer: "assert f(['ab', 'cde', 'fghi']) == ['CDE', 'FGHI']",
};

/**
 * An answer with everything the chat renders: a python and a typescript code block, math in each
 * delimiter kind (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`), a bare `\boxed{80}` and a table. Thinks
 * briefly (with a formula too) and closes its thinking by itself.
 */
export const RICH_ANSWER: ReasoningScript = {
  name: "scripted-rich-answer",
  description: "Thinks briefly, then answers with two code blocks, math in every delimiter kind, a boxed result and a table.",
  thinking:
    "The train covers 120 km in 1.5 hours, so its speed is $120 / 1.5 = 80$ km/h.\n\n" +
    "I will show the formula, a table of the numbers and code that computes it.",
  loop: null,
  answer: [
    "Speed is distance over time:",
    "",
    "$$\\frac{120}{1.5}$$",
    "",
    "Squares such as $x^2$, a sum \\(a+b\\) and an equation \\[c=d\\] are typeset too; the train's speed is \\boxed{80} km/h.",
    "",
    "| Quantity | Value |",
    "|:---|---:|",
    "| distance | 120 km |",
    "| time | 1.5 h |",
    "| speed | 80 km/h |",
    "",
    "```python",
    "def speed(distance_km: float, hours: float) -> float:",
    '    """Average speed in km/h."""',
    "    return distance_km / hours  # 80.0 for the train",
    "```",
    "",
    "```typescript",
    "export function speed(distanceKm: number, hours: number): number {",
    "  const kmh = distanceKm / hours;",
    "  return kmh;",
    "}",
    "```",
  ].join("\n"),
};
