import type { CodeAction, HostToWebview, Turn, ViewState, WebviewToHost } from "../protocol";
import { CODE_ACTIONS, MAX_QUESTION_CHARS, isBlankQuestion } from "../protocol";
import type { BrakeMode } from "../core/vocabulary";
import { BRAKE_MODES } from "../core/vocabulary";
import { h } from "./dom";
import { attachmentChips, conversationBar } from "./composerView";
import { brakeBar, firstRunView, modelBar, problemsView } from "./headerView";
import { TurnView } from "./turnView";

interface PageState {
  readonly draft: string;
  /** Where the conversation was scrolled, so a reopened view comes back there. */
  readonly scroll?: { readonly conversationId: string; readonly top: number; readonly atBottom?: boolean };
}

export interface Host {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PageState): void;
}

function isBrakeMode(value: string): value is BrakeMode {
  return (BRAKE_MODES as readonly string[]).includes(value);
}

function isCodeAction(value: string | undefined): value is CodeAction {
  return (CODE_ACTIONS as readonly (string | undefined)[]).includes(value);
}

function savedScroll(raw: unknown): PageState["scroll"] {
  if (typeof raw !== "object" || raw === null || !("scroll" in raw)) return undefined;
  const scroll = raw.scroll;
  if (typeof scroll !== "object" || scroll === null || !("conversationId" in scroll) || !("top" in scroll)) return undefined;
  const atBottom = "atBottom" in scroll && scroll.atBottom === true;
  return typeof scroll.conversationId === "string" && typeof scroll.top === "number" && Number.isFinite(scroll.top) ? { conversationId: scroll.conversationId, top: scroll.top, atBottom } : undefined;
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
  private readonly attachFileButton = h("button", { type: "button", class: "secondary", "data-action": "attachActiveFile", title: "Attach the file open in the editor to the next question" }, "Attach Current File");
  private readonly addFileButton = h("button", { type: "button", class: "secondary", "data-action": "addFile", title: "Pick workspace files to attach to the next question" }, "Add File…");
  private readonly composerNote = h("p", { class: "composer-note error", role: "alert", hidden: "" });
  private readonly contextNote = h("p", { class: "context-note error", role: "alert", hidden: "" });
  private readonly chips = h("div", { class: "attachments", "aria-label": "Attached code" });
  private readonly conversationBarSlot = h("div", { class: "conversation-bar-slot" });
  private readonly composer = h(
    "footer",
    { class: "composer" },
    this.chips,
    this.contextNote,
    this.input,
    this.composerNote,
    h("div", { class: "composer-actions" }, this.sendButton, this.answerNowButton, this.stopButton, this.newChatButton, this.attachFileButton, this.addFileButton),
  );
  private readonly chat = h("div", { class: "chat" }, this.conversationBarSlot, this.conversation, this.composer);
  private conversationId = "";
  private conversationBarKey = "";
  /** The saved scroll position, applied once to the conversation it belongs to. */
  private restoreScroll: PageState["scroll"];

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    this.input.value = savedDraft(host.getState());
    this.restoreScroll = savedScroll(host.getState());
    this.conversation.addEventListener("scroll", () => this.saveState(), { passive: true });
    this.input.addEventListener("input", () => {
      this.saveState();
      this.composerNote.hidden = true;
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.send();
      }
    });
    root.addEventListener("click", (event) => this.onClick(event));
    // Escape stops the answer from anywhere in the page (VS Code's own keybinding does not reach into a webview)
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !this.answeringHere()) return;
      const editing = event.target instanceof HTMLElement && event.target.closest(".edit-question");
      if (editing) return;
      event.preventDefault();
      this.host.postMessage({ type: "stop" });
      this.input.focus();
    });
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
        this.conversationId = message.conversationId;
        this.replaceConversation(message.turns);
        return;
      case "focusInput":
        this.input.focus();
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
    if (state.model.kind !== "ready" && state.model.kind !== "server") {
      this.root.replaceChildren(...[problems, firstRunView(state.model), brakeBar(state)].filter((n): n is HTMLElement => n !== null));
      return;
    }
    this.header.replaceChildren(...[problems, modelBar({ ...state, model: state.model }), brakeBar(state)].filter((n): n is HTMLElement => n !== null));
    if (this.root.firstChild !== this.header) this.root.replaceChildren(this.header, this.chat);
    // Stop and Answer Now act on the running answer: shown in its conversation only
    this.answerNowButton.hidden = !this.answeringHere();
    this.stopButton.hidden = !this.answeringHere();
    this.newChatButton.hidden = this.turns.size === 0;
    // rebuilt only when the list changed: an open menu or a focused button survives state updates
    const barKey = JSON.stringify([state.conversationId, state.conversations.map((c) => [c.id, c.title, c.turnCount])]);
    if (barKey !== this.conversationBarKey) {
      this.conversationBarKey = barKey;
      this.conversationBarSlot.replaceChildren(conversationBar(state));
    }
    this.chips.replaceChildren(...attachmentChips(state.attachments));
    this.chips.hidden = state.attachments.length === 0;
    const problem = state.contextCheck?.problem ?? null;
    this.contextNote.textContent = problem ?? "";
    this.contextNote.hidden = problem === null;
    for (const view of this.turns.values()) view.setGenerating(this.busyHere());
  }

  private replaceConversation(turns: readonly Turn[]): void {
    this.turns.clear();
    this.conversation.replaceChildren();
    if (turns.length === 0) this.conversation.append(this.empty);
    for (const turn of turns) this.upsertTurn(turn);
    this.renderHeader();
    const restore = this.restoreScroll;
    this.restoreScroll = undefined;
    // a reopened view comes back where it was; another conversation opens at its end
    // (one that was following the stream at the end follows it again)
    if (restore?.conversationId === this.conversationId && restore.atBottom !== true) requestAnimationFrame(() => (this.conversation.scrollTop = restore.top));
    else requestAnimationFrame(() => (this.conversation.scrollTop = this.conversation.scrollHeight));
  }

  /** The running answer is in the conversation on show. */
  private answeringHere(): boolean {
    return this.state?.generating === true && this.state.runningConversationId === this.conversationId;
  }

  /** A turn of this conversation is being answered or waits: Regenerate and Edit wait for it. */
  private busyHere(): boolean {
    return this.answeringHere() || [...this.turns.values()].some((v) => v.isQueued);
  }

  private saveState(): void {
    const el = this.conversation;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    this.host.setState({ draft: this.input.value, scroll: { conversationId: this.conversationId, top: el.scrollTop, atBottom } });
  }

  private upsertTurn(turn: Turn): void {
    const existing = this.turns.get(turn.id);
    if (existing) {
      existing.update(turn);
    } else {
      this.empty.remove();
      const view = new TurnView(turn);
      view.setGenerating(this.busyHere());
      this.turns.set(turn.id, view);
      this.conversation.append(view.element);
      // a new turn is the user's own question: show it, wherever the conversation was scrolled
      this.scrollToEnd(true);
      return;
    }
    this.scrollToEnd();
  }

  private scrollToEnd(always = false): void {
    const el = this.conversation;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (always || nearBottom) el.scrollTop = el.scrollHeight;
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
    this.saveState();
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
      case "selectModel":
      case "selectServerModel":
      case "useServer":
      case "keepSettingsForModel":
      case "useGlobalSettings":
      case "useDemoModel":
      case "answerNow":
      case "stop":
      case "newChat":
      case "attachActiveFile":
      case "addFile":
      case "openPanel":
        this.host.postMessage({ type: action });
        return;
      case "removeAttachment":
      case "renameConversation":
      case "deleteConversation": {
        const id = el.dataset["id"];
        if (id) this.host.postMessage({ type: action, id });
        return;
      }
      case "openAttachment": {
        const id = el.dataset["id"];
        const turnId = el.closest<HTMLElement>("[data-turn-id]")?.dataset["turnId"];
        if (id) this.host.postMessage(turnId ? { type: "openAttachment", id, turnId } : { type: "openAttachment", id });
        return;
      }
      case "regenerate":
      case "showPrompt": {
        const turnId = el.closest<HTMLElement>("[data-turn-id]")?.dataset["turnId"];
        if (turnId) this.host.postMessage({ type: action, turnId });
        return;
      }
      case "editQuestion":
        this.turns.get(el.closest<HTMLElement>("[data-turn-id]")?.dataset["turnId"] ?? "")?.startEditing();
        return;
      case "resendEdited": {
        const article = el.closest<HTMLElement>("[data-turn-id]");
        const view = this.turns.get(article?.dataset["turnId"] ?? "");
        const question = view?.editedQuestion()?.trim();
        // the edit box stays until the host sends the conversation again (it may ask to confirm, or refuse)
        if (view && question !== undefined && !isBlankQuestion(question) && question.length <= MAX_QUESTION_CHARS) {
          this.host.postMessage({ type: "editAndResend", turnId: view.id, question });
        }
        return;
      }
      case "cancelEdit":
        this.turns.get(el.closest<HTMLElement>("[data-turn-id]")?.dataset["turnId"] ?? "")?.stopEditing();
        return;
      case "codeAction": {
        const block = el.closest<HTMLElement>(".code-block");
        const turnId = el.closest<HTMLElement>("[data-turn-id]")?.dataset["turnId"];
        const codeAction = el.dataset["codeAction"];
        const code = block?.querySelector("pre > code")?.textContent;
        if (block && turnId && isCodeAction(codeAction) && code !== undefined && code !== null) {
          this.host.postMessage({ type: "codeAction", action: codeAction, code, language: block.dataset["lang"] ?? "", turnId });
        }
        return;
      }
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
        // a new turn at the end with the same question and the code it carried (the failed one stays as it was)
        const turnId = el.dataset["turnId"];
        if (turnId) this.host.postMessage({ type: "askAgain", turnId });
        return;
      }
    }
  }

  private onChange(event: Event): void {
    const target = event.target;
    if (target instanceof HTMLSelectElement && target.dataset["control"] === "conversation") {
      if (target.value !== this.conversationId) this.host.postMessage({ type: "switchConversation", id: target.value });
      return;
    }
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
