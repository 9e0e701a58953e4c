/**
 * Whether the next question fits the model's context before it is sent, and if not, what to
 * take out — never a silent cut. The engine checks again with the model's own tokenizer; this
 * check runs while the user types, with an estimate before the model is loaded.
 */

export interface BudgetInput {
  /** Tokens of the question, the earlier turns (and the chat template's framing). */
  readonly questionTokens: number;
  readonly historyTokens: number;
  readonly attachments: readonly { readonly label: string; readonly tokens: number }[];
  /** The model's context; null while unknown. */
  readonly contextTokens: number | null;
  /** Room kept for thinking and the answer. */
  readonly reserveTokens: number;
}

export interface BudgetCheck {
  readonly promptTokens: number;
  readonly contextTokens: number | null;
  readonly reserveTokens: number;
  /** What to remove, in words; null when it fits or the context is unknown. */
  readonly problem: string | null;
}

const tokens = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : n.toLocaleString("en-US"));

/** The engine's room for the answer: a quarter of the context at most, at least 64 tokens, plus the brake cue's margin. */
export function answerReserve(contextTokens: number, maxAnswerTokens: number, cueMargin = 64): number {
  return Math.min(maxAnswerTokens, Math.max(64, Math.floor(contextTokens / 4))) + cueMargin;
}

export function checkContextBudget(input: BudgetInput): BudgetCheck {
  const attached = input.attachments.reduce((sum, a) => sum + a.tokens, 0);
  const promptTokens = input.questionTokens + input.historyTokens + attached;
  const base = { promptTokens, contextTokens: input.contextTokens, reserveTokens: input.reserveTokens };
  if (input.contextTokens === null) return { ...base, problem: null };
  const room = input.contextTokens - input.reserveTokens;
  const over = promptTokens - room;
  if (over <= 0) return { ...base, problem: null };
  const head = `This question needs about ${tokens(promptTokens)} tokens and the model's context leaves ${tokens(Math.max(0, room))} for it (${tokens(input.contextTokens)} in all, ${tokens(input.reserveTokens)} kept for thinking and the answer).`;
  // the fewest removals that make it fit, largest attachments first
  const largest = [...input.attachments].sort((a, b) => b.tokens - a.tokens);
  const remove: string[] = [];
  let freed = 0;
  for (const a of largest) {
    if (freed >= over) break;
    remove.push(`${a.label} (${tokens(a.tokens)} tokens)`);
    freed += a.tokens;
  }
  if (remove.length > 0 && freed >= over) return { ...base, problem: `${head} Remove ${remove.join(" and ")}, or attach a selection instead of the whole file.` };
  const options = [
    ...(remove.length > 0 ? ["remove the attachments"] : []),
    ...(input.historyTokens > 0 ? [`start a new chat (the earlier turns take ${tokens(input.historyTokens)} tokens)`] : []),
    "shorten the question",
    "raise selfBraking.model.contextSize",
  ];
  const advice = `${options.slice(0, -1).join(", ")} or ${options[options.length - 1] ?? ""}`;
  return { ...base, problem: `${head} ${advice.charAt(0).toUpperCase()}${advice.slice(1)}.` };
}
