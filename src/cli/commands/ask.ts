/** `self-braking ask --model PATH "question"` (or `--server URL`): one question through the engine, braked, streamed. */
import { parseArgs } from "node:util";
import { SETTINGS } from "../../core/settings/registry";
import { formatBytes } from "../../core/format";
import { savingCredit } from "../../core/brake/savingEstimate";
import { estimateShort } from "../../core/brake/savingText";
import { EngineError } from "../../engine/common/errors";
import { loadedIn, loadSummaryParts } from "../../engine/common/loadSummary";
import type { AskEvent, AskRequest, GenerationResult, LoadConfig, LoadReport } from "../../engine/common/types";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import { cliEngineClient } from "../engineRun";
import { LOAD_OPTIONS, LOAD_OPTIONS_HELP, SERVER_OPTIONS, SERVER_OPTIONS_HELP, modelOrServerOptions, parseIntegerOption } from "../loadOptions";
import { settingLimits, settingOption } from "../settingOptions";

const USAGE = `usage: self-braking ask --model PATH [options] "question"
       self-braking ask --server URL [--server-model NAME] [options] "question"

Runs a local GGUF reasoning model in the engine process (or asks a server that runs one) and
streams its thinking (dimmed), the brake (where and why), then the answer, and ends with the
token accounting.

options:
  --model PATH          the .gguf file (required without --server)
  --json                print one JSON object at the end instead of streaming
  --mode MODE           ${settingLimits("brake.mode")}
  --threshold X         overthink score that arms the brake (${settingLimits("brake.threshold")})
  --max-thinking N      hard thinking budget in tokens (${settingLimits("brake.maxThinkingTokens")})
  --max-answer N        cap on the answer in tokens (${settingLimits("generation.maxAnswerTokens")})
  --probe MODE          ${settingLimits("brake.probe")} (onTransition: DEER-style trial answers at "Wait")
  --signal POLICY       ${settingLimits("brake.signal")} (endOfThinking: the model's own </think> probability may brake; opt-in, unvalidated)
  --cue TEXT            the braking sentence (${settingLimits("brake.cue")})
  --no-thinking         ask the model not to think (Qwen3 switch; an empty think block otherwise)
  --temperature T       sampling temperature (${settingLimits("generation.temperature")}; 0 is greedy)
  --seed N              sampling seed
${LOAD_OPTIONS_HELP}

server (--gpu, --gpu-layers, --context and --threads do not apply: the server decides):
${SERVER_OPTIONS_HELP}

The limits and defaults are those of the selfBraking.* settings.`;

export interface AskArgs {
  readonly question: string;
  readonly json: boolean;
  readonly load: LoadConfig;
  readonly request: AskRequest;
  readonly stallTimeoutSeconds: number;
}

/** The question, the load configuration and the request the arguments give; `env` holds the server's API key. */
export function parseAsk(args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): AskArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      model: { type: "string" },
      json: { type: "boolean", default: false },
      mode: { type: "string" },
      threshold: { type: "string" },
      "max-thinking": { type: "string" },
      "max-answer": { type: "string" },
      probe: { type: "string" },
      signal: { type: "string" },
      cue: { type: "string" },
      "no-thinking": { type: "boolean", default: false },
      temperature: { type: "string" },
      seed: { type: "string" },
      ...LOAD_OPTIONS,
      ...SERVER_OPTIONS,
    },
  });
  const loading = modelOrServerOptions(values, env);
  const question = positionals.join(" ").trim();
  if (question.length === 0) throw new CliUsageError('give the question as an argument: self-braking ask --model PATH "question"');
  const seed = values.seed === undefined ? undefined : parseIntegerOption("--seed", values.seed, 0, 0, 2 ** 31 - 1);
  return {
    question,
    json: values.json === true,
    ...loading,
    request: {
      question,
      history: [],
      brake: {
        mode: settingOption("--mode", "brake.mode", values.mode),
        threshold: settingOption("--threshold", "brake.threshold", values.threshold),
        maxThinkingTokens: settingOption("--max-thinking", "brake.maxThinkingTokens", values["max-thinking"]),
        cue: settingOption("--cue", "brake.cue", values.cue),
        probe: settingOption("--probe", "brake.probe", values.probe),
        signal: settingOption("--signal", "brake.signal", values.signal),
      },
      generation: {
        temperature: settingOption("--temperature", "generation.temperature", values.temperature),
        maxAnswerTokens: settingOption("--max-answer", "generation.maxAnswerTokens", values["max-answer"]),
        thinking: values["no-thinking"] === true ? false : SETTINGS["generation.thinking"].default,
        ...(seed === undefined ? {} : { seed }),
      },
    },
  };
}

export function loadLine(report: LoadReport): string {
  // a server: where and which model (the summary names both); its memory is not this machine's
  if (report.server) return [...loadSummaryParts(report), loadedIn(report)].join(" · ");
  const memory = [`RAM ~${formatBytes(report.memory.ramBytes)}`, ...(report.memory.vramBytes > 0 ? [`VRAM ~${formatBytes(report.memory.vramBytes)}`] : [])];
  return [report.modelName, ...loadSummaryParts(report), ...memory, loadedIn(report)].join(" · ");
}

/** What the brake did for the accounting line: the estimate (labelled, with its basis) only where the detector braked. */
function savingPart(r: GenerationResult): string | null {
  if (!r.brake) return null;
  const e = r.tokens.savedEstimate;
  switch (savingCredit(r.brake.reason)) {
    case "user":
      return "answer now: you asked for the answer (no saving credited to the brake)";
    case "limit":
      return `${r.brake.reason === "budget" ? "thinking budget reached" : "context nearly full"} (no saving claimed)`;
    case "brake":
      return e === null ? null : `${estimateShort(e)} (estimate: ${e.ratio.toFixed(2)}× the thinking kept, the median of ${e.source}; middle half ${e.low}–${e.high})`;
  }
}

export function accountingLine(r: GenerationResult): string {
  const t = r.tokens;
  const parts = [
    `${t.prompt} prompt (${t.promptEvaluated} evaluated)`,
    `${t.thinking} thinking`,
    `${t.answer} answer`,
    `${t.cue} cue`,
    t.probe > 0 ? `${t.probe} probe` : null,
    t.discarded > 0 ? `${t.discarded} discarded` : null,
    `${t.reEvaluated} re-evaluated`,
    savingPart(r),
  ];
  const timing = [
    `first token ${r.timings.ttftMs.toFixed(0)} ms`,
    r.timings.brakeToAnswerMs === null ? null : `brake → answer ${r.timings.brakeToAnswerMs.toFixed(0)} ms`,
    `${r.timings.tokensPerSecond.toFixed(1)} tok/s`,
    `stop: ${r.stopReason}`,
  ];
  return `tokens: ${parts.filter(Boolean).join(", ")}\ntiming: ${timing.filter(Boolean).join(", ")}`;
}

export function jsonSummary(r: GenerationResult, report: LoadReport | null): Record<string, unknown> {
  return {
    answer: r.answer,
    thinking: r.thinking,
    thinkingMode: r.thinkingMode,
    braked: r.braked,
    brakeReason: r.brake?.reason ?? null,
    brakeExplanation: r.brake?.explanation ?? null,
    thinkingTokens: r.tokens.thinking,
    answerTokens: r.tokens.answer,
    promptTokens: r.tokens.prompt,
    cueTokens: r.tokens.cue,
    probeTokens: r.tokens.probe,
    discardedTokens: r.tokens.discarded,
    reEvaluatedTokens: r.tokens.reEvaluated,
    /** Estimated thinking the brake made unnecessary ({tokens, basis, ratio, low, high, source}); null: none claimed. */
    savedEstimate: r.tokens.savedEstimate,
    /** Who the early end is credited to: "brake" (the detector), "user" (Answer now), "limit" (budget, context); null without a brake. */
    savingCredit: r.brake ? savingCredit(r.brake.reason) : null,
    stopReason: r.stopReason,
    probes: r.probes,
    timings: r.timings,
    model: report,
  };
}

export const askCommand: CliCommand = {
  name: "ask",
  summary: "ask a reasoning model (a local GGUF, or a server) a question, with the brake on",
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseAsk(args);
    const dim = (s: string): string => (io.isTTY ? `\x1b[2m${s}\x1b[22m` : s);
    const bold = (s: string): string => (io.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
    const client = cliEngineClient(parsed);
    const handle = client.ask(parsed.request);
    let interrupted = 0;
    const onSigint = (): void => {
      interrupted++;
      if (interrupted === 1) handle.cancel();
      else process.exit(130);
    };
    process.on("SIGINT", onSigint);
    let phase: "none" | "thinking" | "answer" = "none";
    const write = (s: string): void => void io.stdout.write(s);
    let readingShown = false;
    handle.onEvent((event: AskEvent) => {
      if (parsed.json) return;
      if (readingShown && event.type !== "prompt") {
        io.stderr.write("\r\x1b[K");
        readingShown = false;
      }
      switch (event.type) {
        case "engine-starting":
          io.stderr.write("Starting the engine…\n");
          break;
        case "loaded":
          io.stderr.write(`${loadLine(event.report)}\n`);
          for (const f of event.report.fallbacks) io.stderr.write(`  fallback: ${f}\n`);
          for (const w of event.report.warnings) io.stderr.write(`  warning: ${w}\n`);
          if (event.report.scripted) io.stderr.write("  note: this is a scripted demo model, not a language model: it replays a fixed transcript.\n");
          break;
        case "started":
          if (event.thinkingMode === "not-applicable") io.stderr.write("(this model has no thinking segment: braking does not apply)\n");
          if (event.standDown !== null) write(dim(`[adaptive brake off: ${event.standDown}]\n`));
          break;
        case "prompt":
          // A long prompt is read in slices: how far, on a terminal only (one line, rewritten, cleared when output begins).
          if (io.isTTY) {
            io.stderr.write(`\rReading the prompt: ${event.evaluated} of ${event.total} tokens\x1b[K`);
            readingShown = true;
          }
          break;
        case "thinking":
          if (phase === "none") write(dim("Thinking:\n"));
          phase = "thinking";
          write(dim(event.text));
          break;
        case "brake":
          write(`\n${bold(`── brake (${event.brake.reason}) ──`)} ${event.brake.explanation}\n`);
          break;
        case "probe":
          write(dim(`\n[probe at “${event.probe.trigger}”: trial answer “${event.probe.answer}”, confidence ${event.probe.confidence.toFixed(3)}${event.probe.braked ? ", brake" : ""}]\n`));
          break;
        case "answer":
          if (phase !== "answer") write(`${phase === "none" ? "" : "\n"}${bold("Answer:")}\n`);
          phase = "answer";
          write(event.text);
          break;
        default:
          break;
      }
    });
    try {
      const result = await handle.result;
      if (parsed.json) io.stdout.write(`${JSON.stringify(jsonSummary(result, client.report))}\n`);
      else io.stdout.write(`\n\n${dim(accountingLine(result))}\n`);
      return result.stopReason === "cancelled" ? 130 : 0;
    } catch (error) {
      if (error instanceof EngineError) {
        io.stderr.write(`self-braking ask: ${error.message}\n`);
        return error.code === "cancelled" ? 130 : 1;
      }
      throw error;
    } finally {
      process.off("SIGINT", onSigint);
      await client.dispose();
    }
  },
};
