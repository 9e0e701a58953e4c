import type { HostToWebview, Turn, ViewState, WebviewToHost } from "../protocol";
import { MAX_QUESTION_CHARS, isBlankQuestion } from "../protocol";
import type { BrakeMode } from "../core/vocabulary";
import { BRAKE_MODES } from "../core/vocabulary";
import { h } from "./dom";
import { brakeBar, firstRunView, modelBar, problemsView } from "./headerView";
import { TurnView } from "./turnView";

interface PageState {
  readonly draft: string;
}

export interface Host {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PageState): void;
}

function isBrakeMode(value: string): value is BrakeMode {
  return (BRAKE_MODES as readonly string[]).includes(value);
}

function savedDraft(raw: unknown): string {
  if (typeof raw === "object" && raw !== null && "draft" in raw && typeof raw.draft === "string") return raw.draft;
  return "";
}

/** The chat page: header (model, brake controls), the conversation, and the composer. */
export class ChatApp {
  private state: ViewState | undefined;
  private readonly turns = new Map<string, TurnView>();
  private readonly header = h("div", { class: "header" });
  private readonly conversation = h("div", { class: "conversation", role: "log", "aria-label": "Conversation" });
  private readonly empty = h("p", { class: "empty muted" }, "Ask a question. The model's thinking streams here, and you will see where and why it was braked.");
  private readonly input = h("textarea", { rows: "3", placeholder: "Ask a reasoning question (Enter to send, Shift+Enter for a new line)", "aria-label": "Question" });
  private readonly sendButton = h("button", { type: "button", class: "primary", "data-action": "send" }, "Send");
  private readonly answerNowButton = h("button", { type: "button", class: "secondary", "data-action": "answerNow", title: "Brake now and let the model answer" }, "Answer Now");
  private readonly stopButton = h("button", { type: "button", class: "secondary", "data-action": "stop", title: "Stop generating" }, "Stop");
  private readonly newChatButton = h("button", { type: "button", class: "secondary", "data-action": "newChat", title: "Start a new conversation" }, "New Chat");
  private readonly composerNote = h("p", { class: "composer-note error", role: "alert", hidden: "" });
  private readonly composer = h("footer", { class: "composer" }, this.input, this.composerNote, h("div", { class: "composer-actions" }, this.sendButton, this.answerNowButton, this.stopButton, this.newChatButton));
  private readonly chat = h("div", { class: "chat" }, this.conversation, this.composer);

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    this.input.value = savedDraft(host.getState());
    this.input.addEventListener("input", () => {
      host.setState({ draft: this.input.value });
      this.composerNote.hidden = true;
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.send();
      }
    });
    root.addEventListener("click", (event) => this.onClick(event));
    root.addEventListener("change", (event) => this.onChange(event));
    root.addEventListener("input", (event) => this.onSliderInput(event));
    this.conversation.append(this.empty);
    root.replaceChildren(h("p", { class: "loading muted" }, "Loading…"));
  }

  receive(message: HostToWebview): void {
    switch (message.type) {
      case "state":
        this.state = message.state;
        this.renderHeader();
        return;
      case "conversation":
        this.replaceConversation(message.turns);
        return;
      case "turn":
        this.upsertTurn(message.turn);
        return;
      case "append":
        this.turns.get(message.turnId)?.append(message.channel, message.text);
        this.scrollToEnd();
        return;
    }
  }

  private renderHeader(): void {
    const state = this.state;
    if (!state) return;
    const problems = problemsView(state.settingProblems);
    if (state.model.kind !== "ready") {
      this.root.replaceChildren(...[problems, firstRunView(state.model), brakeBar(state)].filter((n): n is HTMLElement => n !== null));
      return;
    }
    this.header.replaceChildren(...[problems, modelBar({ ...state, model: state.model }), brakeBar(state)].filter((n): n is HTMLElement => n !== null));
    if (this.root.firstChild !== this.header) this.root.replaceChildren(this.header, this.chat);
    this.answerNowButton.hidden = !state.generating;
    this.stopButton.hidden = !state.generating;
    this.newChatButton.hidden = state.generating || this.turns.size === 0;
  }

  private replaceConversation(turns: readonly Turn[]): void {
    this.turns.clear();
    this.conversation.replaceChildren();
    if (turns.length === 0) this.conversation.append(this.empty);
    for (const turn of turns) this.upsertTurn(turn);
    this.renderHeader();
  }

  private upsertTurn(turn: Turn): void {
    const existing = this.turns.get(turn.id);
    if (existing) {
      existing.update(turn);
    } else {
      this.empty.remove();
      const view = new TurnView(turn);
      this.turns.set(turn.id, view);
      this.conversation.append(view.element);
    }
    this.scrollToEnd();
  }

  private scrollToEnd(): void {
    const el = this.conversation;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (nearBottom) el.scrollTop = el.scrollHeight;
  }

  private send(): void {
    const question = this.input.value.trim();
    if (isBlankQuestion(question)) return; // nothing to ask: the host would refuse it
    if (question.length > MAX_QUESTION_CHARS) {
      // kept in the box: the host would refuse it
      this.composerNote.textContent = `This question is ${question.length.toLocaleString("en-US")} characters long; the limit is ${MAX_QUESTION_CHARS.toLocaleString("en-US")}. Shorten it and send again.`;
      this.composerNote.hidden = false;
      return;
    }
    this.composerNote.hidden = true;
    this.host.postMessage({ type: "ask", question });
    this.input.value = "";
    this.host.setState({ draft: "" });
  }

  private onClick(event: Event): void {
    if (!(event.target instanceof Element)) return;
    const el = event.target.closest<HTMLElement>("[data-action]");
    if (!el) return;
    const action = el.dataset["action"];
    switch (action) {
      case "send":
        this.send();
        return;
      case "chooseModel":
      case "answerNow":
      case "stop":
      case "newChat":
        this.host.postMessage({ type: action });
        return;
      case "openSettings": {
        const query = el.dataset["query"];
        this.host.postMessage(query ? { type: "openSettings", query } : { type: "openSettings" });
        return;
      }
      case "continueThinking": {
        const turnId = el.dataset["turnId"];
        if (turnId) this.host.postMessage({ type: "continueThinking", turnId });
        return;
      }
      case "askAgain": {
        // a new turn at the end with the same question (the failed one stays as it was)
        const question = this.turns.get(el.dataset["turnId"] ?? "")?.questionText;
        if (question !== undefined && !isBlankQuestion(question)) this.host.postMessage({ type: "ask", question });
        return;
      }
    }
  }

  private onChange(event: Event): void {
    const target = event.target;
    if (target instanceof HTMLSelectElement && target.dataset["control"] === "brakeMode") {
      const mode = target.value;
      if (isBrakeMode(mode)) this.host.postMessage({ type: "setBrakeMode", mode });
    }
    if (target instanceof HTMLInputElement && target.dataset["control"] === "threshold") {
      const value = Number(target.value);
      if (Number.isFinite(value)) this.host.postMessage({ type: "setThreshold", value });
    }
  }

  private onSliderInput(event: Event): void {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.dataset["control"] === "threshold") {
      const output = target.parentElement?.querySelector("output");
      if (output) output.textContent = Number(target.value).toFixed(2);
    }
  }
}
