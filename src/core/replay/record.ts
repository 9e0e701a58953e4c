/** One recorded trace (a line of a traces JSONL file) and its validation. */

export interface TraceRecord {
  readonly id: string;
  readonly model: string;
  readonly dataset: string;
  readonly problem: string | null;
  /** Gold answer; null for code datasets, whose answer is the final code. */
  readonly answer: string | null;
  /** The code the model answered with (code datasets), when the record gives it apart from the trace. */
  readonly finalCode: string | null;
  /** Full output: `<think>…</think>` then the final answer. */
  readonly trace: string;
  /** Whether the model's own final answer was right. */
  readonly correct: boolean;
}

/** Datasets whose answer is code (the judge's CODE set): the gold is the model's final code, when the trace was right. */
const CODE_DATASETS = /^(?:codegen|code_translation|code_infill)$|code[-_]?gen|infill/i;

export function isCodeDataset(dataset: string): boolean {
  return CODE_DATASETS.test(dataset);
}

/** A record with a gold answer (every math and choice trace; code traces have none). */
export type AnsweredRecord = TraceRecord & { readonly answer: string };

export function hasAnswer(record: TraceRecord): record is AnsweredRecord {
  return record.answer !== null;
}

export type ParsedLine = { readonly ok: true; readonly record: TraceRecord } | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses and checks one JSONL line. Errors are one short sentence (the caller adds the line number). */
function parseTraceLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `malformed JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isRecord(value)) return { ok: false, error: "not a JSON object" };
  // code datasets have no gold answer: their answer is the final code
  const answerOptional = typeof value.dataset === "string" && isCodeDataset(value.dataset);
  const missing = ["id", "dataset", "answer", "trace", "correct"].filter((k) => (value[k] === undefined || value[k] === null) && !(k === "answer" && answerOptional));
  if (missing.length > 0) return { ok: false, error: `missing field${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` };
  const { id, dataset, answer, trace, correct, model, problem, finalCode } = value;
  if (typeof id !== "string" && typeof id !== "number") return { ok: false, error: "id must be a string" };
  if (String(id).trim().length === 0) return { ok: false, error: "empty id" };
  if (typeof dataset !== "string") return { ok: false, error: "dataset must be a string" };
  if (dataset.trim().length === 0) return { ok: false, error: "empty dataset" };
  if (answer !== undefined && answer !== null && typeof answer !== "string" && typeof answer !== "number") return { ok: false, error: "answer must be a string or number" };
  if (answer !== undefined && answer !== null && String(answer).trim().length === 0) return { ok: false, error: "empty answer (the gold answer is needed to score the trace)" };
  if (finalCode !== undefined && finalCode !== null && typeof finalCode !== "string") return { ok: false, error: "finalCode must be a string" };
  if (typeof trace !== "string") return { ok: false, error: "trace must be a string" };
  if (trace.trim().length === 0) return { ok: false, error: "empty trace" };
  if (typeof correct !== "boolean") return { ok: false, error: "correct must be true or false" };
  if (model !== undefined && model !== null && typeof model !== "string") return { ok: false, error: "model must be a string" };
  if (problem !== undefined && problem !== null && typeof problem !== "string") return { ok: false, error: "problem must be a string" };
  return {
    ok: true,
    record: {
      id: String(id),
      model: typeof model === "string" && model.length > 0 ? model : "unknown",
      dataset,
      problem: typeof problem === "string" ? problem : null,
      answer: answer === undefined || answer === null ? null : String(answer),
      finalCode: typeof finalCode === "string" && finalCode.trim().length > 0 ? finalCode : null,
      trace,
      correct,
    },
  };
}

export interface ParsedFile {
  readonly records: TraceRecord[];
  /** Lines that were skipped, 1-based, with why. */
  readonly skipped: { readonly line: number; readonly error: string }[];
}

/** Parses a whole JSONL text; blank lines are ignored, bad lines reported and skipped, duplicate ids skipped. */
export function parseTraceFile(text: string): ParsedFile {
  const records: TraceRecord[] = [];
  const skipped: { line: number; error: string }[] = [];
  const seen = new Set<string>();
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    const parsed = parseTraceLine(line);
    if (!parsed.ok) skipped.push({ line: i + 1, error: parsed.error });
    else if (seen.has(parsed.record.id)) skipped.push({ line: i + 1, error: `duplicate id ${parsed.record.id}` });
    else {
      seen.add(parsed.record.id);
      records.push(parsed.record);
    }
  });
  return { records, skipped };
}
