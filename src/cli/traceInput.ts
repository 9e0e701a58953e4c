/** Reading a traces JSONL file for replay / analyze / sbt-data: bad lines are reported with their number and skipped. */
import { readFileSync } from "node:fs";
import type { CliIo } from "./command";
import { CliUsageError } from "./command";
import type { TraceRecord } from "../core/replay/record";
import { parseTraceFile } from "../core/replay/record";

export function readTraces(path: string, io: CliIo): TraceRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliUsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseTraceFile(text);
  for (const s of parsed.skipped) io.stderr.write(`${path}:${s.line}: skipped: ${s.error}\n`);
  if (parsed.records.length === 0) throw new CliUsageError(`${path}: no usable traces`);
  return parsed.records;
}
