/** Wraps the real core detector and records what the engine fed it and what it decided. */
import { createBrakeDetector } from "../../../src/core/brake/index";
import type { BrakeConfigInput } from "../../../src/core/brake/config";
import type { BrakeDecision, BrakeDetector, EndOfThinkingSignal } from "../../../src/core/brake/types";
import { createCoreDetector } from "../../../src/engine/process/generation/detector";
import type { DetectorFactory, DetectorInput } from "../../../src/engine/process/generation/detector";

export interface DetectorLog {
  readonly pushes: Array<{ text: string; tokens: number; decision: BrakeDecision }>;
  readonly probes: Array<{ id: number; confidence: number; decision: BrakeDecision }>;
  readonly signals: Array<{ signal: EndOfThinkingSignal; decision: BrakeDecision }>;
}

export function spy(make: (input: DetectorInput) => BrakeDetector = createCoreDetector): { factory: DetectorFactory; logs: DetectorLog[] } {
  const logs: DetectorLog[] = [];
  const factory: DetectorFactory = (input) => {
    const inner = make(input);
    const log: DetectorLog = { pushes: [], probes: [], signals: [] };
    logs.push(log);
    return {
      config: inner.config,
      push(text, tokens) {
        const decision = inner.push(text, tokens);
        log.pushes.push({ text, tokens, decision });
        return decision;
      },
      reportProbe(id, result) {
        const decision = inner.reportProbe(id, result);
        log.probes.push({ id, confidence: result.confidence, decision });
        return decision;
      },
      observeSignal(signal) {
        const decision = inner.observeSignal(signal);
        log.signals.push({ signal, decision });
        return decision;
      },
      snapshot: () => inner.snapshot(),
    };
  };
  return { factory, logs };
}

/** The core detector with explicit overrides (probe thresholds, …) on top of the engine's mapping. */
export function coreWith(overrides: BrakeConfigInput): (input: DetectorInput) => BrakeDetector {
  return (input) => {
    const base = createCoreDetector(input).config;
    return createBrakeDetector({ ...base, ...overrides, probe: { ...base.probe, ...(overrides.probe ?? {}) }, signal: { ...base.signal, ...(overrides.signal ?? {}) } });
  };
}
