import { brakeOutcomeTooltip, estimateShort } from "../core/brake/savingText";
import type { Turn } from "../protocol";
import { h } from "./dom";
import { brakeBannerText, formatMs, formatTokens } from "./format";
import { renderMarkdown } from "./markdown";

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
    this.element = h("article", { class: "turn", "data-turn-id": turn.id }, this.question, this.thinking, this.brakeBanner, this.answer, this.statusLine, this.askAgain, this.stats);
    this.question.textContent = turn.question;
    this.update(turn);
  }

  /** The question as asked. */
  get questionText(): string {
    return this.turn.question;
  }

  update(turn: Turn): void {
    this.turn = turn;
    this.element.dataset["status"] = turn.status;
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
        this.thinkingText.append(document.createTextNode(text));
        this.renderThinkingSummary();
        this.thinking.hidden = false;
      } else {
        this.renderThinking();
      }
    } else {
      this.turn = { ...this.turn, answer: this.turn.answer + text };
      this.scheduleAnswerRender();
    }
  }

  private scheduleAnswerRender(): void {
    if (this.answerRenderPending) return;
    this.answerRenderPending = true;
    requestAnimationFrame(() => {
      this.answerRenderPending = false;
      this.renderAnswer();
    });
  }

  private renderThinkingSummary(): void {
    const { turn } = this;
    const tokens = turn.stats?.thinkingTokens ?? turn.meter?.thinkingTokens ?? turn.brake?.thinkingTokens;
    const parts = ["Thinking"];
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
        document.createTextNode(kept),
        h("span", { class: "brake-marker", title: turn.brake.explanation }, "⏸ brake"),
        h("span", { class: "cue" }, turn.brake.cue),
        ...(after === "" ? [] : [h("span", { class: "discarded", title: "Generated before the brake took effect; dropped from the model's context." }, after)]),
      );
    } else {
      this.thinkingText.replaceChildren(document.createTextNode(turn.thinking));
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

/** "Reading the prompt… 45 % (9.0k of 20.0k tokens)": a long prompt is evaluated before the model thinks. */
function readingText(read: { readonly evaluated: number; readonly total: number }): string {
  const percent = read.total > 0 ? Math.floor((100 * read.evaluated) / read.total) : 100;
  return `Reading the prompt… ${percent} % (${formatTokens(read.evaluated)} of ${formatTokens(read.total)} tokens)`;
}
