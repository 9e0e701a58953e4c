/** Scripted GGUF models written to a temporary folder for the integration tests. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import type { ScriptedModelSpec } from "../../../src/scripted-model/scriptedModel";
import { ANSWER_CHANGES, DEMO, noThinkingModelSpec, OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";
import type { AskRequest, LoadConfig } from "../../../src/engine/common/types";

export interface ModelDir {
  readonly dir: string;
  readonly overthinking: string;
  readonly selfEnding: string;
  readonly answerChanges: string;
  readonly noThinking: string;
  readonly demo: string;
  write(name: string, spec: ScriptedModelSpec): string;
  writeRaw(name: string, bytes: Buffer | string): string;
  cleanup(): void;
}

export function makeModels(): ModelDir {
  const dir = mkdtempSync(join(tmpdir(), "self-braking-models-"));
  const write = (name: string, spec: ScriptedModelSpec): string => {
    const path = join(dir, name);
    writeFileSync(path, buildScriptedModel(spec).gguf);
    return path;
  };
  const writeRaw = (name: string, bytes: Buffer | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  return {
    dir,
    overthinking: write("overthinking.gguf", reasoningModelSpec(OVERTHINKING)),
    selfEnding: write("self-ending.gguf", reasoningModelSpec(SELF_ENDING)),
    answerChanges: write("answer-changes.gguf", reasoningModelSpec(ANSWER_CHANGES)),
    noThinking: write("no-thinking.gguf", noThinkingModelSpec()),
    demo: write("demo.gguf", reasoningModelSpec(DEMO)),
    write,
    writeRaw,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function cpuConfig(modelPath: string, contextSize: number | "auto" = 2048): LoadConfig {
  return { modelPath, gpu: "cpu", gpuLayers: "auto", contextSize, threads: "auto" };
}

export const CUE = "Wait, I've verified my answer. No need to continue thinking.";

export function askRequest(overrides: { question?: string; brake?: Partial<AskRequest["brake"]>; generation?: Partial<AskRequest["generation"]>; history?: AskRequest["history"] } = {}): AskRequest {
  return {
    question: overrides.question ?? "What is 12 × 3?",
    history: overrides.history ?? [],
    brake: { mode: "adaptive", threshold: 0.2, maxThinkingTokens: 1000, cue: CUE, probe: "off", ...overrides.brake },
    generation: { temperature: 0, maxAnswerTokens: 256, thinking: true, ...overrides.generation },
  };
}
