/**
 * `self-braking calibrate --model PATH`: records the model once per calibration problem with
 * braking off (cached per model file and set, resumable), replays the recordings through the
 * detector across thresholds, and reports the trade-off and the setting to use.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_THRESHOLDS, renderMarkdown } from "../../core/calibration/calibrate";
import { DEFAULT_CONFIRM_PROBLEMS, renderConfirmation } from "../../core/calibration/confirmation";
import { formatDuration } from "../../core/format";
import { SETTINGS } from "../../core/settings/registry";
import type { CalibrationProgress } from "../../engine/calibration/calibrationRun";
import { runCalibration } from "../../engine/calibration/calibrationRun";
import type { Answerer } from "../../engine/calibration/liveAnswer";
import { LiveAnswerer, recordingRequest } from "../../engine/calibration/liveAnswer";
import { ProblemSetError, calibrationAssetsDir, loadProblemSets } from "../../engine/calibration/problemSets";
import { defaultRecordingsDir, modelKey, serverModelCacheKey } from "../../engine/calibration/recordingStore";
import type { AskRequest, LoadConfig } from "../../engine/common/types";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import { parseNumberOption, parseThresholdList } from "../replayOptions";
import { loadTokenCounter, parseTokenizerOption } from "../replayTokenizer";
import type { TokenizerChoice } from "../replayTokenizer";
import { LOAD_OPTIONS, LOAD_OPTIONS_HELP, SAMPLING_OPTIONS, SERVER_OPTIONS, SERVER_OPTIONS_HELP, modelOrServerOptions, parseIntegerOption, samplingOptions } from "../loadOptions";
import { cliEngineClient, engineStartLines, modelLabel } from "../engineRun";
import { settingLimits, settingOption } from "../settingOptions";

export { defaultRecordingsDir };

const USAGE = `usage: self-braking calibrate --model PATH | --server URL [options]

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
  --tolerance PP        accepted accuracy loss in percentage points (default 0: none beyond
                        noise, i.e. the 95 % interval reaches 0)
  --thresholds LIST     thresholds to replay (default ${DEFAULT_THRESHOLDS.join(",")})
  --tokenizer NAME      qwen, approx or auto (default) for replay's token counts
  --json                print the report as JSON instead of markdown
  --temperature T       sampling temperature while recording (default 0: greedy)
  --seed N              sampling seed (default 1)
  --max-answer N        cap on each answer in tokens (${settingLimits("generation.maxAnswerTokens")})
  --confirm N           problems answered again live with the recommended setting to confirm
                        it (default ${DEFAULT_CONFIRM_PROBLEMS}; 0: replay alone)
${LOAD_OPTIONS_HELP}
or, the model on a server (the brake runs here; probes and the end-of-thinking signal are off):
${SERVER_OPTIONS_HELP}`;

export interface CalibrateDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
  readonly assetsDir?: string;
  /** Instead of the engine (tests). `cancel` is called on Ctrl-C; `dispose` at the end. */
  readonly answerer?: Answerer & { readonly dispose: () => Promise<void> };
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
  readonly confirm: number;
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
      ...SAMPLING_OPTIONS,
      confirm: { type: "string" },
      ...LOAD_OPTIONS,
      ...SERVER_OPTIONS,
    },
  });
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument ${positionals[0]}`);
  const loading = modelOrServerOptions(values, process.env);
  const n = parseIntegerOption("--n", values.n, 40, 1, 100_000);
  return {
    model: modelLabel(loading.load, loading.load.server ? "" : settingOption("--model", "model.path", values.model)),
    set: values.set ?? "both",
    n,
    recordings: values.recordings,
    // 0, like the default, means no loss beyond noise (as selfBraking.calibration.tolerancePoints)
    tolerance: values.tolerance === undefined ? null : parseNumberOption("--tolerance", values.tolerance, 0, 0, 100) || null,
    thresholds: values.thresholds === undefined ? DEFAULT_THRESHOLDS : parseThresholdList(values.thresholds, "--thresholds"),
    tokenizer: parseTokenizerOption(values.tokenizer),
    json: values.json === true,
    ...loading,
    request: recordingRequest(samplingOptions(values)),
    confirm: parseIntegerOption("--confirm", values.confirm, DEFAULT_CONFIRM_PROBLEMS, 0, 1000),
  };
}

/** The engine's answerer: one `ask` per problem through a client of its own. */
function engineAnswerer(a: Args, io: CliIo): NonNullable<CalibrateDeps["answerer"]> {
  const client = cliEngineClient(a);
  const answerer = new LiveAnswerer(
    (request, listener) => {
      const handle = client.ask(request);
      handle.onEvent(listener);
      return { result: handle.result, cancel: () => handle.cancel() };
    },
    () => client.report?.modelName ?? basename(a.load.modelPath),
    engineStartLines(io),
  );
  return { answer: (request) => answerer.answer(request), cancel: () => answerer.cancel(), dispose: () => client.dispose() };
}

function progressLine(p: CalibrationProgress): string {
  if (p.phase === "starting") return `Calibration: ${p.total} problems; ${p.alreadyRecorded} already recorded in ${p.folder}.\n`;
  const eta = p.etaSeconds !== null && p.done < p.total ? `, about ${formatDuration(p.etaSeconds)} left` : "";
  const what = p.phase === "confirming" ? "confirm " : "";
  return `[${what}${p.done}/${p.total}] ${p.problemId}: ${p.thinkingTokens} thinking tokens, ${p.right ? "right" : "wrong"}${eta}\n`;
}

export async function runCalibrate(args: readonly string[], io: CliIo, deps: CalibrateDeps = {}): Promise<number> {
  const a = parse(args);
  if (!a.load.server && !existsSync(a.model)) throw new CliUsageError(`the model file ${a.model} does not exist`);
  let sets;
  try {
    sets = loadProblemSets(a.set, a.n, () => deps.assetsDir ?? calibrationAssetsDir());
  } catch (error) {
    if (error instanceof ProblemSetError) throw new CliUsageError(`--set: ${error.message}`);
    throw error;
  }
  io.stderr.write(`Sets: ${sets.map((s) => `${s.key} (${s.problems.length})`).join(", ")}.\n`);
  const root = a.recordings ?? defaultRecordingsDir(deps.env ?? process.env, deps.home ?? homedir());
  const answerer = deps.answerer ?? engineAnswerer(a, io);
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    io.stderr.write("\nStopping: what is recorded is kept; run the same command again to resume.\n");
    answerer.cancel();
  };
  process.on("SIGINT", onSigint);
  const counter = loadTokenCounter(a.tokenizer, (m) => io.stderr.write(`self-braking calibrate: ${m}\n`));
  let result;
  try {
    result = await runCalibration({
      cacheKey: a.load.server ? serverModelCacheKey(a.load.server.url, a.load.server.model) : modelKey(a.model),
      sets,
      recordingsRoot: root,
      answerer,
      request: a.request,
      counter,
      options: { thresholds: a.thresholds, tolerancePoints: a.tolerance, maxThinkingTokens: SETTINGS["brake.maxThinkingTokens"].default },
      confirm: a.confirm,
      onProgress: (p) => io.stderr.write(progressLine(p)),
    });
  } finally {
    process.off("SIGINT", onSigint);
    await answerer.dispose();
  }
  if (result.status === "cancelled") {
    io.stderr.write(`Stopped with ${result.recorded} of ${result.total} problems recorded (kept in ${result.folder}).\n`);
    return 130;
  }
  if (result.confirmationCancelled) io.stderr.write("The live confirmation was stopped; the report below is replay alone.\n");
  const report = result.report;
  if (report === null) return 1;
  if (a.json) io.stdout.write(`${JSON.stringify({ model: a.model, recordings: result.folder, report, confirmation: result.confirmation })}\n`);
  else io.stdout.write(renderMarkdown(report) + (result.confirmation ? `\n${renderConfirmation(result.confirmation)}` : ""));
  return 0;
}

export const calibrateCommand: CliCommand = {
  name: "calibrate",
  summary: "measure the brake on your model (recorded once, replayed across thresholds) and recommend a setting",
  usage: USAGE,
  run: (args, io) => runCalibrate(args, io),
};
