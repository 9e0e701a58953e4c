/** Defaults for the detector and merging a partial configuration over them. */
import { SBT_MARKERS } from "./markers";
import type { AnchorPolicy } from "./anchor";
import type { BrakeConfig, CodeAnchorPolicy, ProbeConfig, SignalConfig } from "./types";

export const DEFAULT_PROBE_CONFIG: ProbeConfig = {
  enabled: false,
  minConfidence: 0.95,
  minTokens: 256,
  minTokensBetween: 128,
};

/** Off until calibration on the user's model can validate it; the margin is ThinkBrake's kind of bound, unmeasured here. */
export const DEFAULT_SIGNAL_CONFIG: SignalConfig = { policy: "off", maxMargin: 1 };

/**
 * Measured on the recorded code traces with model halves (docs/BENCHMARKS.md, "The brake on
 * code"): a step that only *talks* about testing the draft ("returns", "works", "let's test")
 * confirmed it too early — the model revises the code after — so only writing the same code out
 * again confirms; and lines or inline code never anchor (every wrong brake on fill-in answers came
 * from a snippet the model then refined).
 */
const DEFAULT_CODE_POLICY: CodeAnchorPolicy = {
  verificationConfirms: false,
  verificationNamesDraft: true,
  snippetsAnchor: false,
  snippetExtraConfirmations: 2,
  perRevision: 0.5,
  maxRevisionPenalty: 3,
};

const DEFAULT_ANCHOR_POLICY: AnchorPolicy = {
  useImplicit: true,
  implicitResetsExplicit: false,
  implicitExtraConfirmations: 1,
  perRevision: 0.5,
  maxRevisionPenalty: 3,
  ignoreRederived: true,
  revisionsCount: "split",
  untargeted: "ignore",
  verifiedExplicitBrakes: true,
  checkingMarkerRate: 0.06,
  explicitSettles: false,
};

export const DEFAULT_BRAKE_CONFIG: BrakeConfig = {
  mode: "adaptive",
  threshold: 0.2,
  grace: 0.05,
  beta: 0.1,
  maxThinkingTokens: 8192,
  answerReserveTokens: 512,
  minThinkingTokens: 0,
  minConfirmations: 1,
  markers: SBT_MARKERS,
  answerFormat: "auto",
  probe: DEFAULT_PROBE_CONFIG,
  signal: DEFAULT_SIGNAL_CONFIG,
  codePolicy: DEFAULT_CODE_POLICY,
  formatPolicy: { output: { implicitExtraConfirmations: 2, explicitSettles: true } },
  policy: DEFAULT_ANCHOR_POLICY,
};

/** A configuration where every field may be left out (and `probe` may be partial). */
export type BrakeConfigInput = Partial<Omit<BrakeConfig, "probe" | "signal" | "codePolicy" | "policy">> & {
  readonly probe?: Partial<ProbeConfig>;
  readonly signal?: Partial<SignalConfig>;
  readonly codePolicy?: Partial<CodeAnchorPolicy>;
  readonly policy?: Partial<AnchorPolicy>;
};

function clamp(value: number, min: number, max: number): number {
  return Number.isNaN(value) ? min : Math.min(max, Math.max(min, value));
}

/** Fills in defaults and clamps values into their ranges. */
export function resolveBrakeConfig(input: BrakeConfigInput = {}): BrakeConfig {
  const merged: BrakeConfig = { ...DEFAULT_BRAKE_CONFIG, ...input, probe: { ...DEFAULT_PROBE_CONFIG, ...(input.probe ?? {}) },
    signal: { ...DEFAULT_SIGNAL_CONFIG, ...(input.signal ?? {}) },
    codePolicy: { ...DEFAULT_CODE_POLICY, ...(input.codePolicy ?? {}) },
    policy: { ...DEFAULT_ANCHOR_POLICY, ...(input.policy ?? {}) },
  };
  return {
    ...merged,
    threshold: clamp(merged.threshold, 0, 1),
    grace: clamp(merged.grace, 0, 1),
    beta: clamp(merged.beta, 0, 1),
    maxThinkingTokens: Math.max(1, merged.maxThinkingTokens),
    answerReserveTokens: Math.max(0, merged.answerReserveTokens),
    minThinkingTokens: Math.max(0, merged.minThinkingTokens),
    minConfirmations: Math.max(1, Math.round(merged.minConfirmations)),
    signal: { ...merged.signal, maxMargin: Math.max(0, merged.signal.maxMargin) },
  };
}

/** The thinking budget in force: the configured maximum, lowered so the answer still fits the context. */
export function effectiveBudget(config: BrakeConfig): number {
  const room = config.contextTokens === undefined ? Infinity : config.contextTokens - config.answerReserveTokens;
  return Math.max(1, Math.min(config.maxThinkingTokens, room));
}
