/**
 * The on-disk cache of calibration recordings: one folder per model file (its path, size and
 * modification time), one JSONL file per problem set, one line per problem, appended as each is
 * recorded so that a cancelled or crashed run resumes where it stopped. The CLI and the editor
 * share it.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { CalibrationProblem } from "../../core/calibration/problems";
import type { CalibrationRecording } from "../../core/calibration/recording";
import { parseRecordings, recordingLine } from "../../core/calibration/recording";
import { cacheFolder } from "../common/cacheFolder";
import type { ProblemSet } from "./problemSets";
import { sha256 } from "./problemSets";

export const CALIBRATION_DIR_ENV = "SELF_BRAKING_CALIBRATION_DIR";

/** `$SELF_BRAKING_CALIBRATION_DIR`, else `$XDG_CACHE_HOME/self-braking/calibration`, else `~/.cache/self-braking/calibration`. */
export function defaultRecordingsDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return cacheFolder(env, home, CALIBRATION_DIR_ENV, "calibration");
}

/** A server's model's cache key: its host and name, and a hash of the URL and the name (the server may change what it serves under a name: recordings are then stale, as for a replaced file with the same time and size). */
export function serverModelCacheKey(url: string, model: string): string {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return "server";
    }
  })();
  return `server-${`${host}-${model}`.replace(/[^\w.-]+/g, "_").slice(0, 80)}-${sha256(`${url}\0${model}`).slice(0, 12)}`;
}

/** The model file's cache key: its name, and a hash of its absolute path, size and modification time. */
export function modelKey(modelPath: string): string {
  const path = resolve(modelPath);
  const st = statSync(path);
  return `${basename(path).replace(/\.gguf$/i, "").replace(/[^\w.-]+/g, "_")}-${sha256(`${path}\0${st.size}\0${st.mtimeMs}`).slice(0, 12)}`;
}

export interface PendingProblem {
  readonly problem: CalibrationProblem;
  readonly set: ProblemSet;
}

export class RecordingStore {
  /** This model's folder. */
  readonly folder: string;
  private readonly done = new Map<string, CalibrationRecording>();

  /** `cacheKey`: {@link modelKey} of a model file, or {@link serverModelCacheKey} of a server's model. */
  constructor(
    root: string,
    cacheKey: string,
    private readonly sets: readonly ProblemSet[],
  ) {
    this.folder = join(root, cacheKey);
    mkdirSync(this.folder, { recursive: true });
    for (const set of sets) this.read(set);
  }

  private file(set: ProblemSet): string {
    return join(this.folder, `${set.key}.jsonl`);
  }

  private read(set: ProblemSet): void {
    const file = this.file(set);
    if (!existsSync(file)) return;
    const text = readFileSync(file, "utf8");
    // a line cut short by a crash is skipped; the next recording starts on a line of its own
    if (text.length > 0 && !text.endsWith("\n")) appendFileSync(file, "\n");
    for (const r of parseRecordings(text).recordings) this.done.set(`${set.key}\0${r.id}`, r);
  }

  get total(): number {
    return this.sets.reduce((s, set) => s + set.problems.length, 0);
  }

  /** The problems not recorded yet, in set order. */
  pending(): PendingProblem[] {
    return this.sets.flatMap((set) => set.problems.filter((p) => !this.done.has(`${set.key}\0${p.id}`)).map((problem) => ({ problem, set })));
  }

  add(set: ProblemSet, recording: CalibrationRecording): void {
    appendFileSync(this.file(set), `${recordingLine(recording)}\n`);
    this.done.set(`${set.key}\0${recording.id}`, recording);
  }

  /** The recordings of the sets' problems, in set order (missing ones left out). */
  recordings(): CalibrationRecording[] {
    return this.sets.flatMap((set) => set.problems.map((p) => this.done.get(`${set.key}\0${p.id}`)).filter((r): r is CalibrationRecording => r !== undefined));
  }
}
