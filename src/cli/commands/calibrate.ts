/**
 * `self-braking calibrate --model PATH`: records the model once per calibration problem with
 * braking off (cached per model file and set, resumable), replays the recordings through the
 * detector across thresholds, and reports the trade-off and the setting to use.
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { calibrate, DEFAULT_THRESHOLDS, renderMarkdown } from "../../core/calibration/calibrate";
import type { CalibrationProblem } from "../../core/calibration/problems";
import { parseProblems } from "../../core/calibration/problems";
import type { CalibrationRecording, LiveAnswer, SignalReading } from "../../core/calibration/recording";
import { makeRecording, parseRecordings, recordingLine } from "../../core/calibration/recording";
import { formatDuration } from "../../core/format";
import { SETTINGS } from "../../core/settings/registry";
import { EngineClient } from "../../engine/client/engineClient";
import { EngineError } from "../../engine/common/errors";
import type { AskEvent, AskRequest, LoadConfig } from "../../engine/common/types";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import { parseNumberOption, parseThresholdList } from "../replayOptions";
import { loadTokenCounter, parseTokenizerOption } from "../replayTokenizer";
import type { TokenizerChoice } from "../replayTokenizer";
import { LOAD_OPTIONS, LOAD_OPTIONS_HELP, cacheFolder, loadOptions, parseIntegerOption } from "../loadOptions";
import { settingLimits, settingOption } from "../settingOptions";

const USAGE = `usage: self-braking calibrate --model PATH [options]

Runs each calibration problem once through the model with braking off and records the thinking
and, at every step boundary, the model's end-of-thinking probability (cached on disk per model
file and set; a second run, or a run after Ctrl-C, records only what is missing). Then replays
the recordings through the brake across thresholds, text alone and with the end-of-thinking
signal, without generating again, compares each with no brake on the same problems (accuracy difference with a 95 % paired
bootstrap interval), and recommends the threshold with the largest saving within the tolerance.

options:
  --model PATH          the .gguf file (required)
  --set NAME|FILE       gsm8k, cruxeval, both (default), or a JSONL file of
                        {"id", "question", "answer", "kind": "math"|"output"} lines
  --n N                 problems per set (default 40, all of the built-in sets)
  --recordings DIR      where recordings are cached (default $SELF_BRAKING_CALIBRATION_DIR,
                        else $XDG_CACHE_HOME/self-braking/calibration, else
                        ~/.cache/self-braking/calibration)
  --tolerance PP        accepted accuracy loss in percentage points (default: none beyond
                        noise, i.e. the 95 % interval reaches 0)
  --thresholds LIST     thresholds to replay (default ${DEFAULT_THRESHOLDS.join(",")})
  --tokenizer NAME      qwen, approx or auto (default) for replay's token counts
  --json                print the report as JSON instead of markdown
  --temperature T       sampling temperature while recording (default 0: greedy)
  --seed N              sampling seed (default 1)
  --max-answer N        cap on each answer in tokens (${settingLimits("generation.maxAnswerTokens")})
${LOAD_OPTIONS_HELP}`;

export const CALIBRATION_DIR_ENV = "SELF_BRAKING_CALIBRATION_DIR";

/** `$SELF_BRAKING_CALIBRATION_DIR`, else `$XDG_CACHE_HOME/self-braking/calibration`, else `~/.cache/self-braking/calibration` (beside the models command's folder). */
export function defaultRecordingsDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return cacheFolder(env, home, CALIBRATION_DIR_ENV, "calibration");
}

const BUILT_IN = { gsm8k: "gsm8k-40.jsonl", cruxeval: "cruxeval-40.jsonl" } as const;

/** assets/calibration, found upwards from this file (dist/ when bundled, src/cli/commands from source). */
export function calibrationAssetsDir(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "assets", "calibration");
    if (existsSync(join(candidate, BUILT_IN.gsm8k))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("the built-in calibration sets (assets/calibration) were not found");
}

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The model file's cache key: its absolute path, size and modification time. */
export function modelKey(modelPath: string): string {
  const path = resolve(modelPath);
  const st = statSync(path);
  return `${basename(path).replace(/\.gguf$/i, "").replace(/[^\w.-]+/g, "_")}-${sha(`${path}\0${st.size}\0${st.mtimeMs}`).slice(0, 12)}`;
}

interface ProblemSet {
  /** File name of its recordings in the model's cache folder. */
  readonly key: string;
  readonly problems: readonly CalibrationProblem[];
}

function loadSets(set: string, n: number, assets: () => string): ProblemSet[] {
  const builtIn = (name: keyof typeof BUILT_IN): ProblemSet => {
    const parsed = parseProblems(readFileSync(join(assets(), BUILT_IN[name]), "utf8"));
    return { key: name, problems: parsed.problems.slice(0, n) };
  };
  if (set === "gsm8k" || set === "cruxeval") return [builtIn(set)];
  if (set === "both") return [builtIn("gsm8k"), builtIn("cruxeval")];
  if (!existsSync(set)) throw new CliUsageError(`--set must be gsm8k, cruxeval, both or a JSONL file; ${set} does not exist`);
  const text = readFileSync(set, "utf8");
  const parsed = parseProblems(text);
  if (parsed.problems.length === 0) {
    const why = parsed.skipped[0];
    throw new CliUsageError(`${set} has no usable problems${why ? ` (line ${why.line}: ${why.error})` : ""}`);
  }
  const name = basename(set).replace(/\.jsonl?$/i, "").replace(/[^\w.-]+/g, "_");
  return [{ key: `file-${name}-${sha(text).slice(0, 10)}`, problems: parsed.problems.slice(0, n) }];
}

/** Records one problem with braking off; resolves to null when cancelled. */
export type Recorder = (problem: CalibrationProblem) => Promise<LiveAnswer | null>;

export interface CalibrateDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly assetsDir?: string;
  /** Instead of the engine (tests). `cancel` is called on Ctrl-C. */
  readonly recorder?: { readonly record: Recorder; readonly cancel: () => void; readonly dispose: () => Promise<void> };
}

interface Args {
  readonly model: string;
  readonly set: string;
  readonly n: number;
  readonly recordings: string | undefined;
  readonly tolerance: number | null;
  readonly thresholds: readonly number[];
  readonly tokenizer: TokenizerChoice;
  readonly json: boolean;
  readonly load: LoadConfig;
  readonly request: Omit<AskRequest, "question">;
  readonly stallTimeoutSeconds: number;
}

function parse(args: readonly string[]): Args {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      model: { type: "string" },
      set: { type: "string" },
      n: { type: "string" },
      recordings: { type: "string" },
      tolerance: { type: "string" },
      thresholds: { type: "string" },
      tokenizer: { type: "string" },
      json: { type: "boolean", default: false },
      temperature: { type: "string" },
      seed: { type: "string" },
      "max-answer": { type: "string" },
      ...LOAD_OPTIONS,
    },
  });
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument ${positionals[0]}`);
  if (values.model === undefined) throw new CliUsageError("--model PATH is required");
  const n = parseIntegerOption("--n", values.n, 40, 1, 100_000);
  const seed = parseIntegerOption("--seed", values.seed, 1, 0, 2 ** 31 - 1);
  return {
    model: settingOption("--model", "model.path", values.model),
    set: values.set ?? "both",
    n,
    recordings: values.recordings,
    tolerance: values.tolerance === undefined ? null : parseNumberOption("--tolerance", values.tolerance, 0, 0, 100),
    thresholds: values.thresholds === undefined ? DEFAULT_THRESHOLDS : parseThresholdList(values.thresholds, "--thresholds"),
    tokenizer: parseTokenizerOption(values.tokenizer),
    json: values.json === true,
    ...loadOptions(values),
    request: {
      history: [],
      brake: {
        mode: "off",
        threshold: SETTINGS["brake.threshold"].default,
        maxThinkingTokens: SETTINGS["brake.maxThinkingTokens"].default,
        cue: SETTINGS["brake.cue"].default,
        probe: "off",
        signal: "off",
      },
      generation: {
        temperature: values.temperature === undefined ? 0 : settingOption("--temperature", "generation.temperature", values.temperature),
        maxAnswerTokens: settingOption("--max-answer", "generation.maxAnswerTokens", values["max-answer"]),
        thinking: true,
        seed,
      },
      // the end-of-thinking probability and margin at every step boundary, for the signal rows
      recordSignal: true,
    },
  };
}

/**
 * The engine recorder: one `ask` per problem with braking off and `recordSignal` on; each meter
 * event that carries an end-of-thinking reading (one per step boundary) is kept as a signal at
 * the thinking characters streamed so far.
 */
function engineRecorder(a: Args, io: CliIo): NonNullable<CalibrateDeps["recorder"]> {
  const client = new EngineClient(a.load, { idleUnloadMinutes: 0, watchdog: { stallMs: a.stallTimeoutSeconds * 1000 } });
  let current: { cancel(): void } | null = null;
  let cancelled = false;
  return {
    async record(problem) {
      if (cancelled) return null;
      const started = Date.now();
      const handle = client.ask({ ...a.request, question: problem.question });
      current = handle;
      let thinkingChars = 0;
      const signals: SignalReading[] = [];
      handle.onEvent((event: AskEvent) => {
        if (event.type === "engine-starting") io.stderr.write("Starting the engine…\n");
        else if (event.type === "loaded") io.stderr.write(`Loaded ${event.report.modelName}${event.report.scripted ? " (a scripted demo model, not a language model)" : ""}.\n`);
        else if (event.type === "thinking") thinkingChars += event.text.length;
        else if (event.type === "meter" && event.endOfThinking) {
          const last = signals[signals.length - 1];
          if (last === undefined || last.offset !== thinkingChars) signals.push({ offset: thinkingChars, probability: event.endOfThinking.probability, margin: event.endOfThinking.margin });
        }
      });
      try {
        const result = await handle.result;
        if (result.stopReason === "cancelled") return null;
        const model = client.report?.modelName ?? basename(a.load.modelPath);
        return { model, thinking: result.thinking, answer: result.answer, signals, thinkingTokens: result.tokens.thinking, seconds: (Date.now() - started) / 1000 };
      } catch (error) {
        if (error instanceof EngineError && error.code === "cancelled") return null;
        throw error;
      } finally {
        current = null;
      }
    },
    cancel() {
      cancelled = true;
      current?.cancel();
    },
    dispose: () => client.dispose(),
  };
}

export async function runCalibrate(args: readonly string[], io: CliIo, deps: CalibrateDeps = {}): Promise<number> {
  const a = parse(args);
  if (!existsSync(a.model)) throw new CliUsageError(`the model file ${a.model} does not exist`);
  const sets = loadSets(a.set, a.n, () => deps.assetsDir ?? calibrationAssetsDir());
  const root = a.recordings ?? defaultRecordingsDir(deps.env ?? process.env, deps.home ?? homedir());
  const folder = join(root, modelKey(a.model));
  mkdirSync(folder, { recursive: true });

  const files = sets.map((s) => join(folder, `${s.key}.jsonl`));
  const done = new Map<string, CalibrationRecording>();
  const readCache = (file: string): void => {
    if (!existsSync(file)) return;
    const text = readFileSync(file, "utf8");
    // a line cut short by a crash is skipped; the next recording starts on a line of its own
    if (text.length > 0 && !text.endsWith("\n")) appendFileSync(file, "\n");
    for (const r of parseRecordings(text).recordings) done.set(`${file}\0${r.id}`, r);
  };
  files.forEach(readCache);
  const todo = sets.flatMap((s, i) => s.problems.filter((p) => !done.has(`${files[i]}\0${p.id}`)).map((p) => ({ problem: p, file: files[i] as string })));
  const total = sets.reduce((s, set) => s + set.problems.length, 0);
  io.stderr.write(`Calibration: ${total} problems (${sets.map((s) => `${s.key}: ${s.problems.length}`).join(", ")}); ${total - todo.length} already recorded in ${folder}.\n`);

  let interrupted = false;
  if (todo.length > 0) {
    const recorder = deps.recorder ?? engineRecorder(a, io);
    const onSigint = (): void => {
      if (interrupted) process.exit(130);
      interrupted = true;
      io.stderr.write("\nStopping: what is recorded is kept; run the same command again to resume.\n");
      recorder.cancel();
    };
    process.on("SIGINT", onSigint);
    const started = Date.now();
    try {
      for (const [i, { problem, file }] of todo.entries()) {
        const live = await recorder.record(problem);
        if (live === null || interrupted) {
          interrupted = true;
          break;
        }
        const recording = makeRecording(problem, live);
        appendFileSync(file, `${recordingLine(recording)}\n`);
        done.set(`${file}\0${problem.id}`, recording);
        const elapsed = (Date.now() - started) / 1000;
        const left = todo.length - i - 1;
        const eta = left > 0 ? `, about ${formatDuration((elapsed / (i + 1)) * left)} left` : "";
        io.stderr.write(`[${i + 1}/${todo.length}] ${problem.id}: ${live.thinkingTokens ?? "?"} thinking tokens, ${recording.correct ? "right" : "wrong"}${eta}\n`);
      }
    } finally {
      process.off("SIGINT", onSigint);
      await recorder.dispose();
    }
  }
  if (interrupted) {
    const have = sets.reduce((s, set, i) => s + set.problems.filter((p) => done.has(`${files[i]}\0${p.id}`)).length, 0);
    io.stderr.write(`Stopped with ${have} of ${total} problems recorded (kept in ${folder}).\n`);
    return 130;
  }

  const recordings = sets.flatMap((s, i) => s.problems.map((p) => done.get(`${files[i]}\0${p.id}`)).filter((r): r is CalibrationRecording => r !== undefined));
  const counter = loadTokenCounter(a.tokenizer, (m) => io.stderr.write(`self-braking calibrate: ${m}\n`));
  const report = calibrate(recordings, counter, { thresholds: a.thresholds, tolerancePoints: a.tolerance, maxThinkingTokens: SETTINGS["brake.maxThinkingTokens"].default });
  io.stdout.write(a.json ? `${JSON.stringify({ model: a.model, recordings: folder, report })}\n` : renderMarkdown(report));
  return 0;
}

export const calibrateCommand: CliCommand = {
  name: "calibrate",
  summary: "measure the brake on your model (recorded once, replayed across thresholds) and recommend a setting",
  usage: USAGE,
  run: (args, io) => runCalibrate(args, io),
};
