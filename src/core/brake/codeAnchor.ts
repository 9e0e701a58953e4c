/**
 * The anchor on a code question: the current draft. A complete draft (a function, a class, a
 * fenced block; for fill-in-the-middle answers a line of code) becomes the anchor; later steps
 * confirm it by writing it out again unchanged (cosmetic differences aside) or by verifying it
 * (tracing a test case or an example, "this works"); a draft that changes it is a revision and
 * resets the anchor, and an unrelated piece of code (a test call, another helper) does neither.
 * It keeps the same state as the value anchor (anchor.ts), so the overthink score and the
 * detector's rules apply unchanged.
 */
import type { CodeDraft } from "../answers/code";
import { relateDrafts } from "../answers/code";
import type { AnchorState, Anchoring } from "./anchor";

/** How code steps move the anchor. Defaults in config.ts are the measured ones (docs/BRAKE.md). */
export interface CodeAnchorPolicy {
  /** A step that verifies the anchored draft without restating it (a traced test case, "this should work") confirms it. */
  readonly verificationConfirms: boolean;
  /** A verifying step must name one of the anchored draft's functions or classes (else any verifying step counts). */
  readonly verificationNamesDraft: boolean;
  /** Code that defines nothing (a line, an inline snippet) anchors only while no definition has been drafted. */
  readonly snippetsAnchor: boolean;
  /** Extra confirmations required while the anchor is such a snippet (prose mentions many calls; most are not answers). */
  readonly snippetExtraConfirmations: number;
  /** Extra confirmations required per earlier revision of the draft, … */
  readonly perRevision: number;
  /** … up to this many extra. */
  readonly maxRevisionPenalty: number;
}

/** Words of a step that checks code: a test or an example traced, an expected value, "it works". */
const VERIFYING =
  /\b(?:test(?:s|ed|ing)?|trac(?:e|es|ed|ing)|example|let'?s\s+(?:check|verify|see|try|walk)|double-check|sanity[- ]check|for\s+(?:input|instance)|input\s+(?:is|of)|expected|should\s+(?:return|output|give|print|work|be\s+correct)|returns?|gives?|outputs?|works?|correct(?:ly)?|passes|matches|handles?)\b/i;

function definesSomething(draft: CodeDraft): boolean {
  return draft.definitions.length > 0;
}

/** A short label for people: `merge`, `merge, split`, or the snippet's subject. */
export function draftLabel(draft: CodeDraft): string {
  if (draft.names.length > 0) return draft.names.map((n) => `\`${n}\``).join(", ");
  return draft.subject !== null ? `\`${draft.subject}\`` : "the code";
}

export class CodeAnchorTracker implements Anchoring {
  private anchor: CodeDraft | null = null;
  private step: number | null = null;
  private confirmations = 0;
  private lastConfirmedStep = 0;
  private changes = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly policy: CodeAnchorPolicy) {}

  get state(): AnchorState {
    const anchor = this.anchor;
    return {
      answer: anchor === null ? null : draftLabel(anchor),
      step: this.step,
      confirmations: this.confirmations,
      explicit: anchor !== null && definesSomething(anchor),
      kind: anchor === null ? null : definesSomething(anchor) ? "phrase" : "result",
      revisions: this.changes,
      distinct: this.seen.size,
      settled: false,
    };
  }

  /** The anchored draft itself (null: none yet). */
  get draft(): CodeDraft | null {
    return this.anchor;
  }

  /** A complete definition is the code's explicit statement: every confirmation counts for the verified rule. */
  get confirmationsSinceExplicit(): number {
    return this.anchor !== null && definesSomething(this.anchor) ? this.confirmations : 0;
  }

  /** Confirmations still needed (beyond the configured minimum) before the brake may fire. */
  get confirmationsRequired(): number {
    const snippet = this.anchor !== null && !definesSomething(this.anchor) ? this.policy.snippetExtraConfirmations : 0;
    return Math.min(this.policy.maxRevisionPenalty, Math.floor(this.changes * this.policy.perRevision)) + snippet;
  }

  /**
   * Takes in completed step `stepIndex` (1-based): its text and the drafts found since the last
   * step, each with the step it ended in (an unfenced block is only known complete a line later).
   */
  observe(stepIndex: number, stepText: string, drafts: ReadonlyArray<{ readonly draft: CodeDraft; readonly step: number }>): void {
    let confirmed = false;
    const complete = drafts.filter((d) => d.draft.complete);
    for (const { draft, step } of complete) {
      this.seen.add(draft.key);
      if (this.anchor === null) {
        if (definesSomething(draft) || this.policy.snippetsAnchor) this.set(draft, step);
        continue;
      }
      const relation = relateDrafts(this.anchor, draft);
      if (relation === "same" || relation === "restates") confirmed = true;
      else if (relation === "revises") {
        this.changes++;
        this.set(draft, step);
        confirmed = false;
      } else if (!definesSomething(this.anchor) && definesSomething(draft)) {
        // a definition replaces an anchored snippet: the code being written has taken shape
        this.set(draft, step);
        confirmed = false;
      }
    }
    if (!confirmed && this.anchor !== null && this.step !== stepIndex && complete.length === 0 && this.verifies(stepText)) confirmed = true;
    if (confirmed && this.step !== null && stepIndex > this.lastConfirmedStep && stepIndex > this.step) {
      this.confirmations++;
      this.lastConfirmedStep = stepIndex;
    }
  }

  private verifies(stepText: string): boolean {
    const anchor = this.anchor;
    if (!this.policy.verificationConfirms || anchor === null || !VERIFYING.test(stepText)) return false;
    if (!this.policy.verificationNamesDraft || anchor.names.length === 0) return true;
    return anchor.names.some((name) => new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(stepText));
  }

  private set(draft: CodeDraft, stepIndex: number): void {
    this.anchor = draft;
    this.step = stepIndex;
    this.confirmations = 0;
    this.lastConfirmedStep = stepIndex;
  }
}
