import { brakeOutcomeTooltip, estimateShort } from "../core/brake/savingText";
import type { Turn } from "../protocol";
import { h } from "./dom";
import { brakeBannerText, formatMs, formatTokens } from "./format";
import { attachmentChip } from "./composerView";
import { renderMarkdown, renderThinkingText } from "./markdown";

const STATUS_TEXT: Record<Turn["status"], string> = {
  queued: "Waiting for the current answer to finish…",
  loading: "Loading the model…",
  thinking: "Thinking…",
  answering: "Answering…",
  done: "",
  stopped: "Stopped.",
  error: "",
};

/** The DOM of one turn, updated in place as text streams in. */
export class TurnView {
  readonly element: HTMLElement;
  private turn: Turn;
  private readonly question = h("div", { class: "question" });
  private readonly thinking = h("details", { class: "thinking" });
  private readonly thinkingSummary = h("summary", {});
  private readonly thinkingText = h("div", { class: "thinking-text" });
  private readonly brakeBanner = h("div", { class: "brake-banner", role: "note" });
  private readonly answer = h("div", { class: "answer markdown" });
  private readonly statusLine = h("div", { class: "status-line muted", "aria-live": "polite" });
  /** On a turn that ended in an error (interrupted by a reload, never asked, the engine failed): asks its question again. */
  private readonly askAgain = h("button", { type: "button", class: "secondary ask-again", "data-action": "askAgain", title: "Ask this question again (as a new turn)" }, "Ask Again");
  private readonly stats = h("div", { class: "stats muted" });
  private readonly attachments = h("div", { class: "attachments turn-attachments" });
  private readonly actions = h(
    "div",
    { class: "turn-actions" },
    h("button", { type: "button", class: "secondary small", "data-action": "regenerate", title: "Ask this question again, replacing this answer (and any turns after it)" }, "Regenerate"),
    h("button", { type: "button", class: "secondary small", "data-action": "editQuestion", title: "Edit the question and send it again (turns after it are removed)" }, "Edit"),
    h("button", { type: "button", class: "secondary small", "data-action": "showPrompt", title: "Show what the model was sent for this question" }, "Show Prompt"),
  );
  private editor: HTMLTextAreaElement | null = null;
  private generating = false;
  private clock: ReturnType<typeof setInterval> | undefined;
  private userToggledThinking = false;
  private answerRenderPending = false;
  private programmaticToggle = false;

  constructor(turn: Turn) {
    this.turn = turn;
    this.thinking.append(this.thinkingSummary, this.thinkingText);
    this.thinking.addEventListener("toggle", () => {
      if (this.programmaticToggle) return;
      this.userToggledThinking = true;
    });
    this.askAgain.dataset["turnId"] = turn.id;
    this.element = h("article", { class: "turn", "data-turn-id": turn.id }, this.question, this.attachments, this.thinking, this.brakeBanner, this.answer, this.statusLine, this.askAgain, this.stats, this.actions);
    this.question.textContent = turn.question;
    this.update(turn);
  }

  /** The question as asked. */
  get questionText(): string {
    return this.turn.question;
  }

  get id(): string {
    return this.turn.id;
  }

  get isQueued(): boolean {
    return this.turn.status === "queued" || this.turn.status === "loading" || this.turn.status === "thinking" || this.turn.status === "answering";
  }

  /** While any answer runs, Regenerate and Edit wait (one generation at a time). */
  setGenerating(generating: boolean): void {
    this.generating = generating;
    this.renderActions();
  }

  /** Edit and Resend: the question becomes a text box with Resend and Cancel. */
  startEditing(): void {
    if (this.editor) return;
    const editor = h("textarea", { class: "edit-question", rows: "3", "aria-label": "Edit the question" });
    editor.value = this.turn.question;
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.stopEditing();
      }
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.element.querySelector<HTMLButtonElement>("[data-action=resendEdited]")?.click();
      }
    });
    this.editor = editor;
    this.renderActions();
    this.question.replaceChildren(
      editor,
      h("div", {}, h("button", { type: "button", class: "primary small", "data-action": "resendEdited" }, "Resend"), h("button", { type: "button", class: "secondary small", "data-action": "cancelEdit" }, "Cancel")),
    );
    editor.focus();
  }

  editedQuestion(): string | undefined {
    return this.editor?.value;
  }

  stopEditing(): void {
    this.editor = null;
    this.question.replaceChildren(document.createTextNode(this.turn.question));
    this.renderActions();
  }

  update(turn: Turn): void {
    this.turn = turn;
    this.element.dataset["status"] = turn.status;
    const running = turn.status === "loading" || turn.status === "thinking" || turn.status === "answering";
    // only the streaming turn announces its progress to screen readers
    if (running) this.statusLine.setAttribute("aria-live", "polite");
    else this.statusLine.removeAttribute("aria-live");
    this.element.setAttribute("aria-busy", String(running));
    this.attachments.replaceChildren(...(turn.attachments ?? []).map((a) => attachmentChip(a, false)));
    this.attachments.hidden = (turn.attachments ?? []).length === 0;
    this.tickClock();
    this.renderActions();
    this.renderThinking();
    this.renderBrake();
    this.renderAnswer();
    this.renderStatus();
    this.renderStats();
  }

  append(channel: "thinking" | "answer", text: string): void {
    if (channel === "thinking") {
      this.turn = { ...this.turn, thinking: this.turn.thinking + text };
      if (!this.turn.brake) {
        this.scheduleThinkingRender();
        this.thinking.hidden = false;
      } else {
        this.renderThinking();
      }
    } else {
      this.turn = { ...this.turn, answer: this.turn.answer + text };
      this.scheduleAnswerRender();
    }
  }

  private thinkingRenderPending = false;

  /** Streamed thinking is typeset at most once a frame (math needs the whole text, not the new piece). */
  private scheduleThinkingRender(): void {
    if (this.thinkingRenderPending) return;
    this.thinkingRenderPending = true;
    requestAnimationFrame(() => {
      this.thinkingRenderPending = false;
      if (this.turn.brake) return;
      this.thinkingText.replaceChildren(renderThinkingText(this.turn.thinking));
      this.renderThinkingSummary();
    });
  }

  private scheduleAnswerRender(): void {
    if (this.answerRenderPending) return;
    this.answerRenderPending = true;
    requestAnimationFrame(() => {
      this.answerRenderPending = false;
      this.renderAnswer();
    });
  }

  private renderActions(): void {
    const finished = this.turn.status === "done" || this.turn.status === "stopped" || this.turn.status === "error";
    this.actions.hidden = !finished || this.editor !== null;
    for (const button of this.actions.querySelectorAll<HTMLButtonElement>("[data-action=regenerate], [data-action=editQuestion]")) {
      button.disabled = this.generating;
      button.title = this.generating ? "Wait for the answer in progress in this conversation (or stop it)" : button.dataset["action"] === "regenerate" ? "Ask this question again, replacing this answer (and any turns after it)" : "Edit the question and send it again (turns after it are removed)";
    }
  }

  /** "Thinking 3.2 s" ticks while the thinking streams. */
  private tickClock(): void {
    const ticking = this.turn.status === "thinking" && this.turn.thinkingStartedAt !== undefined && this.turn.thinkingMs === undefined;
    if (ticking && this.clock === undefined) this.clock = setInterval(() => this.renderThinkingSummary(), 100);
    if (!ticking && this.clock !== undefined) {
      clearInterval(this.clock);
      this.clock = undefined;
    }
  }

  private renderThinkingSummary(): void {
    const { turn } = this;
    const tokens = turn.stats?.thinkingTokens ?? turn.meter?.thinkingTokens ?? turn.brake?.thinkingTokens;
    const elapsed = turn.thinkingMs ?? (turn.thinkingStartedAt !== undefined && turn.status === "thinking" ? Date.now() - turn.thinkingStartedAt : undefined);
    const parts = [turn.thinkingMs !== undefined ? `Thought for ${seconds(turn.thinkingMs)}` : elapsed !== undefined ? `Thinking ${seconds(elapsed)}` : "Thinking"];
    if (tokens !== undefined) parts.push(`${formatTokens(tokens)} tokens`);
    if (turn.meter && turn.status === "thinking" && turn.meter.score !== null) parts.push(`overthink score ${turn.meter.score.toFixed(2)}${turn.meter.armed ? " (armed)" : ""}`);
    const end = turn.meter?.endOfThinking;
    if (end && turn.status === "thinking") parts.push(`end of thinking ${(100 * end.probability).toFixed(1)} %`);
    if (turn.brake) parts.push("braked");
    if (turn.brakeStoodDown !== undefined) parts.push("adaptive brake off for this question");
    this.thinkingSummary.textContent = parts.join(" · ");
    if (turn.brakeStoodDown === undefined) this.thinkingSummary.removeAttribute("title");
    else this.thinkingSummary.title = turn.brakeStoodDown;
  }

  private renderThinking(): void {
    const { turn } = this;
    this.thinking.hidden = turn.thinkingMode === "off" || (turn.thinking === "" && turn.status !== "thinking");
    this.renderThinkingSummary();
    if (turn.brake) {
      const kept = turn.thinking.slice(0, turn.brake.charOffset);
      const after = turn.thinking.slice(turn.brake.charOffset);
      this.thinkingText.replaceChildren(
        renderThinkingText(kept),
        h("span", { class: "brake-marker", title: turn.brake.explanation }, "brake"),
        // the cue as the model read it, without the tag that closed the thinking
        h("span", { class: "cue" }, turn.brake.cue.replace(/<\/?think>/g, "").trim()),
        ...(after === "" ? [] : [h("span", { class: "discarded", title: "Generated before the brake took effect; dropped from the model's context." }, after)]),
      );
    } else {
      this.thinkingText.replaceChildren(renderThinkingText(turn.thinking));
    }
    const shouldBeOpen = turn.status === "thinking";
    if (!this.userToggledThinking && this.thinking.open !== shouldBeOpen) {
      this.programmaticToggle = true;
      this.thinking.open = shouldBeOpen;
      queueMicrotask(() => setTimeout(() => (this.programmaticToggle = false), 0));
    }
  }

  private renderBrake(): void {
    const { brake, stats } = this.turn;
    this.brakeBanner.hidden = !brake;
    if (!brake) return;
    // the thinking kept is known from the brake on; the estimate comes with the finished turn's stats
    const text = brakeBannerText(brake.reason, brake.thinkingTokens, stats?.savedEstimate);
    this.brakeBanner.replaceChildren(
      h("strong", text.detail === "" ? { title: text.tooltip } : {}, text.headline),
      ...(text.detail === "" ? [] : [" · ", h("span", { class: "saving", title: text.tooltip }, text.detail)]),
      // Answer now's explanation only repeats the headline
      ...(brake.reason === "manual" ? [] : [h("div", { class: "explanation" }, brake.explanation)]),
      ...(this.turn.canContinue ? [h("button", { type: "button", class: "secondary", "data-action": "continueThinking", "data-turn-id": this.turn.id }, "Continue Thinking")] : []),
      ...(this.turn.continueUnavailable !== undefined ? [h("div", { class: "muted continue-note" }, this.turn.continueUnavailable)] : []),
    );
  }

  private renderAnswer(): void {
    this.answer.hidden = this.turn.answer === "";
    this.answer.replaceChildren(renderMarkdown(this.turn.answer));
  }

  private renderStatus(): void {
    const { turn } = this;
    // a finished turn may carry an error too: a "Continue Thinking" that failed keeps its answer
    this.statusLine.classList.toggle("error", turn.status === "error" || turn.error !== null);
    let text = turn.status === "error" ? (turn.error ?? "Something went wrong.") : (turn.error ?? STATUS_TEXT[turn.status]);
    if (turn.status === "queued" && turn.queuePosition !== undefined) text = `Queued (#${turn.queuePosition}): waiting for the current answer to finish…`;
    if ((turn.status === "thinking" || turn.status === "answering") && turn.promptRead !== undefined) text = readingText(turn.promptRead);
    this.statusLine.textContent = text;
    this.statusLine.hidden = text === "";
    this.askAgain.hidden = turn.status !== "error";
  }

  private renderStats(): void {
    const s = this.turn.stats;
    this.stats.hidden = !s;
    if (!s) return;
    const parts = [
      `thinking ${formatTokens(s.thinkingTokens)}`,
      `answer ${formatTokens(s.answerTokens)}`,
      s.cueTokens > 0 ? `cue ${s.cueTokens}` : "",
      s.probeTokens > 0 ? `probes ${formatTokens(s.probeTokens)}` : "",
      s.savedEstimate ? estimateShort(s.savedEstimate) : "",
      `${s.tokensPerSecond.toFixed(1)} tok/s`,
      `first token ${formatMs(s.ttftMs)}`,
    ].filter((p) => p !== "");
    this.stats.textContent = parts.join(" · ");
    const brake = this.turn.brake;
    const total = `Total ${formatMs(s.totalMs)}.`;
    this.stats.title = brake ? `${brakeOutcomeTooltip(brake.reason, brake.thinkingTokens, s.savedEstimate)} ${total}` : total;
  }
}

function seconds(ms: number): string {
  if (ms < 50) return "<0.1 s";
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** "Reading the prompt… 45 % (9.0k of 20.0k tokens)": a long prompt is evaluated before the model thinks. */
function readingText(read: { readonly evaluated: number; readonly total: number }): string {
  const percent = read.total > 0 ? Math.floor((100 * read.evaluated) / read.total) : 100;
  return `Reading the prompt… ${percent} % (${formatTokens(read.evaluated)} of ${formatTokens(read.total)} tokens)`;
}
