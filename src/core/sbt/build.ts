/**
 * SBT training data (Self-Braking Tuning): rewrite an overthinking trace so that its thinking
 * stops soon after the answer was found, with a braking sentence, `</think>` and the final
 * answer. Two modes:
 * - `exact` (SBT-E): keep the steps up to the foundation solution plus one verifying step (the
 *   next step that restates the answer); the following verification, up to the next
 *   restatement, is kept but excluded from the loss;
 * - `dynamic` (SBT-D): keep steps while the Overthink Score stays below τ1, keep but exclude from
 *   the loss the steps up to τ2 = τ1 + 0.05.
 * Traces that do not overthink (score < τ1) pass unchanged. Every example closes its thinking
 * exactly once and its segments concatenate to the assistant message.
 */
import type { AnswerFormat } from "../answers/format";
import type { SbtMetrics, SbtStep } from "../metrics/sbt";
import { scoreAtStep } from "../metrics/sbt";
import { codePointLength } from "../codePoints";
import { stepStatesAnswer } from "../replay/oracle";

export type SbtMode = "exact" | "dynamic";

export interface Segment {
  readonly text: string;
  /** Whether the model is trained on this text (false: the redundant span, kept as context only). */
  readonly loss: boolean;
  readonly kind: "thinking" | "redundant" | "brake" | "answer";
}

/**
 * Which characters of a message are trained on, as axolotl's `message_field_training_detail`
 * reads it: code-point offsets into the content, `end_offset` inclusive; together the spans cover
 * the whole message.
 */
export interface TrainSpan {
  readonly begin_offset: number;
  readonly end_offset: number;
  readonly train: boolean;
}

export interface SbtExample {
  readonly id: string;
  readonly mode: SbtMode | "unchanged";
  readonly messages: readonly [
    { readonly role: "user"; readonly content: string },
    { readonly role: "assistant"; readonly content: string; readonly train_detail: readonly TrainSpan[] },
  ];
  /** The assistant message in order; concatenated they are `messages[1].content`. */
  readonly segments: readonly Segment[];
  /** Code-point range [start, end) of the redundant span inside `messages[1].content` (null: none). */
  readonly maskedRange: { readonly start: number; readonly end: number } | null;
  readonly metrics: { readonly fs: number; readonly ts: number; readonly keptSteps: number; readonly maskedSteps: number; readonly score: number };
}

export interface SbtSource {
  readonly id: string;
  readonly problem: string;
  readonly thinking: string;
  /** The text after `</think>`. */
  readonly finalAnswer: string;
  readonly gold: string;
  readonly format: AnswerFormat;
  readonly metrics: SbtMetrics;
}

export interface SbtOptions {
  readonly mode: SbtMode;
  readonly threshold: number;
  readonly grace: number;
  readonly brakeSentence: string;
  readonly beta?: number;
}

export const DEFAULT_BRAKING_SENTENCE = "Wait, I've verified my answer. No need to continue thinking.";

/** Index (0-based) of the next step after `from` that restates the gold answer, or -1. */
function nextStatement(steps: readonly SbtStep[], from: number, source: SbtSource): number {
  for (let i = from + 1; i < steps.length; i++) {
    if (stepStatesAnswer(steps[i]?.text ?? "", source.gold, source.format, false)) return i;
  }
  return -1;
}

/** How many steps to keep and how many to mask after them. */
function plan(source: SbtSource, o: SbtOptions, fsIndex: number): { kept: number; masked: number } {
  const steps = source.metrics.steps;
  const fs = fsIndex + 1;
  if (o.mode === "exact") {
    const verify = nextStatement(steps, fsIndex, source);
    const kept = verify < 0 ? Math.min(steps.length, fs + 1) : verify + 1;
    const again = nextStatement(steps, kept - 1, source);
    const maskedEnd = again < 0 ? Math.min(steps.length, kept + 1) : again + 1;
    return { kept, masked: Math.max(0, maskedEnd - kept) };
  }
  const beta = o.beta ?? 0.1;
  const kappa = source.metrics.kappa;
  let kept = fs;
  while (kept < steps.length && scoreAtStep(fs, kept + 1, kappa, beta) < o.threshold) kept++;
  let maskedEnd = kept;
  while (maskedEnd < steps.length && scoreAtStep(fs, maskedEnd + 1, kappa, beta) < o.threshold + o.grace) maskedEnd++;
  return { kept, masked: maskedEnd - kept };
}

/** The assistant message of `segments`: their text, and which spans of it are trained on. */
function assistantMessage(segments: readonly Segment[]): SbtExample["messages"][1] {
  const spans: TrainSpan[] = [];
  let at = 0;
  for (const s of segments) {
    const length = codePointLength(s.text);
    if (length === 0) continue;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.train === s.loss) spans[spans.length - 1] = { ...last, end_offset: at + length - 1 };
    else spans.push({ begin_offset: at, end_offset: at + length - 1, train: s.loss });
    at += length;
  }
  return { role: "assistant", content: segments.map((s) => s.text).join(""), train_detail: spans };
}

function joinThinking(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n\n`;
}

/** Builds one example; null when the trace cannot be used (no foundation solution). */
export function buildSbtExample(source: SbtSource, o: SbtOptions): SbtExample | null {
  const m = source.metrics;
  if (m.fs === null || m.score === null) return null;
  const answer = source.finalAnswer.replace(/^\s+/, "");
  const user = { role: "user" as const, content: source.problem };
  const unchanged = (): SbtExample => {
    const segments: Segment[] = [
      { text: `<think>${source.thinking}</think>\n\n`, loss: true, kind: "thinking" },
      { text: answer, loss: true, kind: "answer" },
    ];
    return {
      id: source.id,
      mode: "unchanged",
      messages: [user, assistantMessage(segments)],
      segments,
      maskedRange: null,
      metrics: { fs: m.fs ?? 0, ts: m.ts, keptSteps: m.ts, maskedSteps: 0, score: m.score ?? 0 },
    };
  };
  if (m.score < o.threshold) return unchanged();
  const { kept, masked } = plan(source, o, m.fs - 1);
  if (kept >= m.steps.length) return unchanged();
  const keptEnd = m.steps[kept - 1]?.end ?? 0;
  const maskedEnd = masked > 0 ? (m.steps[kept + masked - 1]?.end ?? keptEnd) : keptEnd;
  const keptText = `<think>${joinThinking(source.thinking.slice(0, keptEnd))}`;
  const maskedText = masked > 0 ? joinThinking(source.thinking.slice(keptEnd, maskedEnd)) : "";
  const segments: Segment[] = [{ text: keptText, loss: true, kind: "thinking" }];
  if (maskedText.length > 0) segments.push({ text: maskedText, loss: false, kind: "redundant" });
  segments.push({ text: `${o.brakeSentence.trim()}\n</think>\n\n`, loss: true, kind: "brake" });
  segments.push({ text: answer, loss: true, kind: "answer" });
  const message = assistantMessage(segments);
  // the redundant segment lies between trained ones, so it is the one untrained span
  const untrained = message.train_detail.find((s) => !s.train);
  return {
    id: source.id,
    mode: o.mode,
    messages: [user, message],
    segments,
    maskedRange: untrained === undefined ? null : { start: untrained.begin_offset, end: untrained.end_offset + 1 },
    metrics: { fs: m.fs, ts: m.ts, keptSteps: kept, maskedSteps: masked, score: m.score },
  };
}

/** Checks an example's invariants (used by tests and by the CLI before writing). Returns the problems found. */
export function checkSbtExample(e: SbtExample): string[] {
  const problems: string[] = [];
  const content = e.messages[1].content;
  if (e.segments.map((s) => s.text).join("") !== content) problems.push("segments do not add up to the assistant message");
  if ((content.match(/<think>/g) ?? []).length !== 1) problems.push("expected exactly one <think>");
  if ((content.match(/<\/think>/g) ?? []).length !== 1) problems.push("expected exactly one </think>");
  if (!content.startsWith("<think>")) problems.push("assistant message must open with <think>");
  const masked = e.segments.filter((s) => !s.loss);
  const points = Array.from(content);
  const maskedText = masked.map((s) => s.text).join("");
  if (e.maskedRange === null ? masked.length > 0 : points.slice(e.maskedRange.start, e.maskedRange.end).join("") !== maskedText) {
    problems.push("maskedRange does not match the redundant segment");
  }
  const spans = e.messages[1].train_detail;
  const covered = spans.every((s, i) => s.begin_offset === (i === 0 ? 0 : (spans[i - 1]?.end_offset ?? -2) + 1) && s.end_offset >= s.begin_offset);
  if (!covered || (spans[spans.length - 1]?.end_offset ?? -1) !== points.length - 1) problems.push("train_detail does not cover the assistant message");
  const untrained = spans.filter((s) => !s.train).map((s) => points.slice(s.begin_offset, s.end_offset + 1).join(""));
  if (untrained.join("") !== maskedText) problems.push("train_detail does not leave out exactly the redundant segment");
  if (e.segments.some((s) => s.kind === "answer" && s.text.trim() === "")) problems.push("empty final answer");
  if (e.messages[0].content.trim().length === 0) problems.push("empty question");
  return problems;
}
