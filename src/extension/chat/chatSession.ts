import type { AttachmentView, ConversationSummary, EngineInfo, HostToWebview, Turn } from "../../protocol";
import { isBlankQuestion } from "../../protocol";
import type { AttachedCode } from "../../core/prompt/attachedCode";
import { composeQuestion } from "../../core/prompt/attachedCode";
import type { Settings } from "../../core/settings/registry";
import type { AskEvent, ConversationTurn } from "../../engine/common/types";
import { askRequestFrom, loadConfigFrom } from "./askRequest";
import type { CalibratedRatio } from "../../core/brake/savingEstimate";
import type { EngineConnection, RunningAsk } from "./engineConnection";
import { summarizeLoad } from "./engineConnection";
import type { SavedChats } from "./savedChats";
import { UNTITLED, newConversationId, singleConversation, titleFrom } from "./savedChats";
import { CONTINUE_AFTER_ANOTHER_QUESTION, applyEvent, failTurn, finishTurn, newTurn, restoredTurn, stopTurn, withoutQueue } from "./turnReducer";

/** Where the session's output goes: the page, the status bar, storage. */
export interface ChatSink {
  post(message: HostToWebview): void;
  generatingChanged(generating: boolean): void;
  /** The running turn changed (for the status-bar meter); undefined when nothing runs. */
  turnChanged(turn: Turn | undefined): void;
  engineChanged(info: EngineInfo): void;
  /** The conversation list or the attachments changed (the page's state needs sending again). */
  stateChanged(): void;
  save(chats: SavedChats): void;
}

/** Code attached for the next question, with what the page shows of it. */
export interface PendingAttachment {
  readonly view: AttachmentView;
  readonly code: AttachedCode;
}

interface Conversation {
  readonly id: string;
  title: string;
  updatedAt: number;
  turns: Turn[];
  readonly code: Map<string, readonly AttachedCode[]>;
}

/** Whether a question may be sent as it is: the context check's verdict (undefined: it fits or cannot be told). */
export type ContextGuard = (question: string, attachments: readonly PendingAttachment[], history: readonly ConversationTurn[]) => string | undefined;

const APPEND_FLUSH_MS = 50;
const MAX_SAVED_TURNS = 200;
/** Attached code kept in the saved chats, in characters across all conversations. */
const MAX_SAVED_CODE_CHARS = 2_000_000;

interface Pending {
  readonly turnId: string;
}

/**
 * The conversation: one question runs at a time (later ones wait in a visible queue so their
 * history includes the earlier answers), engine events become turn updates for the page.
 * This queue is the only one: the engine is asked one question at a time.
 *
 * Saved when a question is asked or starts and when an answer ends, so a reload mid-answer
 * keeps the question and the queue: they come back marked interrupted / not asked
 * ({@link restoredTurn}), for the user to ask again.
 */
export class ChatSession {
  private chats: Conversation[];
  private current: Conversation;
  private attachments: PendingAttachment[] = [];
  private running: { turnId: string; ask: RunningAsk } | undefined;
  private lastBraked: { turnId: string; ask: RunningAsk } | undefined;
  private readonly queue: Pending[] = [];
  private readonly pendingAppends = new Map<string, { thinking: string; answer: string }>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private engineInfo: EngineInfo = { state: "stopped", summary: "", notes: [], scripted: false };
  private disposed = false;
  /** The loaded model's context size (tokens), for the context check; null until a model loads. */
  private loadedContext: number | null = null;
  /** A model loading because it was just picked (questions wait for it in the queue). */
  private preloading: Promise<void> | undefined;

  /** The saving ratio calibration measured on the current model, if any (AskRequest.savingRatio). */
  savingRatioFor: () => CalibratedRatio | undefined = () => undefined;

  constructor(
    private readonly engine: EngineConnection,
    private readonly sink: ChatSink,
    private readonly settings: () => Settings,
    restored: SavedChats | readonly Turn[] = [],
    private readonly contextGuard: ContextGuard = () => undefined,
  ) {
    const saved = isSavedChats(restored) ? restored : singleConversation(restored);
    this.chats = saved.conversations.map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, turns: c.turns.map(restoredTurn), code: new Map(Object.entries(c.code)) }));
    this.current = this.chats.find((c) => c.id === saved.currentId) ?? this.chats[0] ?? this.freshConversation();
    this.nextId = this.chats.reduce((n, c) => n + c.turns.length, 0) + 1;
  }

  /** The turns of the conversation on show. */
  private get turns(): Turn[] {
    return this.current.turns;
  }

  get conversationId(): string {
    return this.current.id;
  }

  /** Every conversation, most recently changed first (an empty new one included while it is on show). */
  conversations(): ConversationSummary[] {
    return [...this.chats]
      .filter((c) => c.turns.length > 0 || c === this.current)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({ id: c.id, title: c.title, turnCount: c.turns.length, updatedAt: c.updatedAt }));
  }

  /** What goes with the next question. */
  pendingAttachments(): readonly PendingAttachment[] {
    return this.attachments;
  }

  attach(attachment: PendingAttachment): void {
    // the same file or range twice is one attachment: the newer text wins
    const same = (a: PendingAttachment): boolean => a.view.uri === attachment.view.uri && a.view.kind === attachment.view.kind && a.view.startLine === attachment.view.startLine && a.view.endLine === attachment.view.endLine;
    this.attachments = [...this.attachments.filter((a) => !same(a)), attachment];
    this.sink.stateChanged();
  }

  removeAttachment(id: string): void {
    this.attachments = this.attachments.filter((a) => a.view.id !== id);
    this.sink.stateChanged();
  }

  /** The history the next question would be sent with (for the context check). */
  nextHistory(): ConversationTurn[] {
    return this.historyOf(this.current, undefined);
  }

  /** A turn's question with the code it carried, as the model reads it (for "Show prompt"). */
  promptOf(turnId: string): { history: ConversationTurn[]; message: string } | undefined {
    const conversation = this.conversationOf(turnId);
    const turn = this.find(turnId);
    if (!conversation || !turn) return undefined;
    return { history: this.historyOf(conversation, turnId), message: composeQuestion(turn.question, conversation.code.get(turnId) ?? []) };
  }

  switchTo(id: string): string | undefined {
    const target = this.chats.find((c) => c.id === id);
    if (!target) return "That conversation no longer exists.";
    if (target === this.current) return undefined;
    this.dropIfEmpty(this.current);
    this.current = target;
    this.showCurrent();
    return undefined;
  }

  rename(id: string, title: string): void {
    const target = this.chats.find((c) => c.id === id);
    const trimmed = title.replace(/\s+/g, " ").trim().slice(0, 200);
    if (!target || trimmed === "") return;
    target.title = trimmed;
    this.sink.stateChanged();
    this.persist();
  }

  /** Deletes a conversation (stopping its answer if it is the one running). */
  remove(id: string): void {
    const target = this.chats.find((c) => c.id === id);
    if (!target) return;
    const ids = new Set(target.turns.map((t) => t.id));
    for (let i = this.queue.length - 1; i >= 0; i--) if (ids.has(this.queue[i]?.turnId ?? "")) this.queue.splice(i, 1);
    this.renumberQueue();
    if (this.running && ids.has(this.running.turnId)) this.running.ask.cancel();
    if (this.lastBraked && ids.has(this.lastBraked.turnId)) this.lastBraked = undefined;
    this.chats = this.chats.filter((c) => c !== target);
    if (target === this.current) {
      this.current = [...this.chats].sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? this.freshConversation();
      this.showCurrent();
    } else {
      this.sink.stateChanged();
    }
    this.persist();
  }

  get generating(): boolean {
    return this.running !== undefined;
  }

  get loadedContextTokens(): number | null {
    return this.engineInfo.state === "loaded" ? this.loadedContext : null;
  }

  get engineState(): EngineInfo {
    return this.engineInfo;
  }

  conversation(): readonly Turn[] {
    return this.turns;
  }

  /** Asks now, or queues behind the running question, with the attached code. Returns why it was refused, if it was. */
  ask(question: string): string | undefined {
    if (isBlankQuestion(question)) return "Type a question first: this one has nothing but spaces or line breaks.";
    const problem = this.contextGuard(question, this.attachments, this.nextHistory());
    if (problem !== undefined) return problem;
    const attached = this.attachments;
    this.attachments = [];
    if (attached.length > 0) this.sink.stateChanged();
    this.enqueue(question, attached.map((a) => a.code), attached.map((a) => a.view));
    return undefined;
  }

  /** "Ask Again" on a failed or interrupted turn: a new turn at the end with its question and the code it carried. */
  askAgain(turnId: string): string | undefined {
    const conversation = this.conversationOf(turnId);
    const turn = this.find(turnId);
    if (!conversation || !turn) return "That turn no longer exists.";
    if (conversation !== this.current) return "Switch to that conversation first.";
    const carried = this.carriedCode(conversation, turn);
    if (typeof carried === "string") return carried;
    const problem = this.contextGuard(turn.question, carried, this.historyOf(conversation, undefined));
    if (problem !== undefined) return problem;
    this.enqueue(turn.question, carried.map((a) => a.code), carried.map((a) => a.view));
    return undefined;
  }

  /** The code a turn's question carried, paired with its chips; a message when it was not kept. */
  private carriedCode(conversation: Conversation, turn: Turn): PendingAttachment[] | string {
    const views = turn.attachments ?? [];
    const code = conversation.code.get(turn.id) ?? [];
    if (views.length !== code.length) {
      return "The code attached to this question was not kept (saved chats keep only the most recent attached code). Attach it again and ask anew.";
    }
    return views.map((view, i) => ({ view, code: code[i] as AttachedCode }));
  }

  /**
   * Regenerate (same question) or Edit and Resend (a new one): the turn and every later one in its
   * conversation go, and the question is asked again with the code it carried. Nothing is removed
   * when it cannot be sent (an answer in progress, a question that does not fit).
   */
  resend(turnId: string, question?: string): string | undefined {
    const conversation = this.conversationOf(turnId);
    const turn = this.find(turnId);
    if (!conversation || !turn) return "That turn no longer exists.";
    if (conversation !== this.current) return "Switch to that conversation first.";
    const from = conversation.turns.indexOf(turn);
    const later = conversation.turns.slice(from);
    if (later.some((t) => t.id === this.running?.turnId || this.queue.some((p) => p.turnId === t.id))) {
      return "Stop the answer in progress first (Escape or Stop), then regenerate or edit.";
    }
    const text = question ?? turn.question;
    if (isBlankQuestion(text)) return "Type a question first: this one has nothing but spaces or line breaks.";
    const carried = this.carriedCode(conversation, turn);
    if (typeof carried === "string") return carried;
    const problem = this.contextGuard(text, carried, this.historyOf(conversation, turnId));
    if (problem !== undefined) return problem;
    const code = carried.map((a) => a.code);
    const views = carried.map((a) => a.view);
    for (const t of later) conversation.code.delete(t.id);
    if (this.lastBraked && later.some((t) => t.id === this.lastBraked?.turnId)) this.lastBraked = undefined;
    conversation.turns = conversation.turns.slice(0, from);
    this.showCurrent();
    this.enqueue(text, code, views);
    return undefined;
  }

  private enqueue(question: string, code: readonly AttachedCode[], views: readonly AttachmentView[]): void {
    const id = `t${Date.now().toString(36)}-${this.nextId++}`;
    const turn: Turn = views.length > 0 ? { ...newTurn(id, question), attachments: [...views] } : newTurn(id, question);
    if (this.turns.length === 0 && this.current.title === UNTITLED) this.current.title = titleFrom(question);
    this.turns.push(turn);
    if (code.length > 0) this.current.code.set(id, code);
    this.current.updatedAt = this.stamp();
    if (this.running || this.preloading) {
      this.queue.push({ turnId: id });
      this.setTurn({ ...turn, status: "queued", queuePosition: this.queue.length });
    } else {
      this.setTurn(turn);
      this.start(id);
    }
    this.sink.stateChanged();
    this.persist();
  }

  stop(): void {
    const dropped = this.queue.splice(0);
    for (const pending of dropped) {
      const turn = this.find(pending.turnId);
      if (turn) this.setTurn(stopTurn(turn));
    }
    if (dropped.length > 0) this.persist();
    this.running?.ask.cancel();
  }

  answerNow(): void {
    this.running?.ask.answerNow();
  }

  continueThinking(turnId: string): string | undefined {
    if (this.running) return "Wait for the current answer to finish (or stop it) before continuing a thought.";
    const last = this.conversationOf(turnId)?.turns.at(-1);
    if (!this.lastBraked || this.lastBraked.turnId !== turnId || last?.id !== turnId) {
      return "Only the latest braked answer can continue thinking.";
    }
    const previous = this.lastBraked.ask;
    this.lastBraked = undefined;
    const before = this.find(turnId);
    const ask = previous.continueThinking((event) => this.onEvent(turnId, event));
    this.track(turnId, ask, before);
    return undefined;
  }

  /** A new, empty conversation on show; an answer still running in another one goes on there. */
  newChat(): void {
    if (this.turns.length === 0) return;
    this.current = this.freshConversation();
    this.showCurrent();
  }

  private freshConversation(): Conversation {
    const conversation: Conversation = { id: newConversationId(), title: UNTITLED, updatedAt: this.stamp(), turns: [], code: new Map() };
    this.chats = [...(this.chats ?? []), conversation];
    return conversation;
  }

  /** A change time later than every earlier one (the list is ordered by it; two changes can share a millisecond). */
  private stamp(): number {
    const latest = (this.chats ?? []).reduce((max, c) => Math.max(max, c.updatedAt), 0);
    return Math.max(Date.now(), latest + 1);
  }

  /** An empty conversation left behind is not kept in the list. */
  private dropIfEmpty(conversation: Conversation): void {
    if (conversation.turns.length === 0) this.chats = this.chats.filter((c) => c !== conversation);
  }

  /** Sends the conversation on show to the page, and the list. */
  private showCurrent(): void {
    this.pendingAppends.clear();
    this.sink.post({ type: "conversation", conversationId: this.current.id, turns: [...this.turns] });
    this.sink.stateChanged();
    this.persist();
  }

  /**
   * The window is closing (reload, quit): nothing more is sent or saved, and no queued question
   * starts. What was saved when each question was asked or started stays, so they come back
   * marked interrupted / not asked.
   */
  dispose(): void {
    this.disposed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pendingAppends.clear();
  }

  /**
   * Loads the configured model now (a model was just picked), with its progress where a
   * question's loading shows. While an answer runs, the next question loads it instead.
   */
  loadNow(): void {
    if (this.running || this.preloading || !this.engine.load) return;
    const settings = this.settings();
    this.preloading = this.engine
      .load(loadConfigFrom(settings), (event) => this.onEngineEvent(event))
      .then(
        () => undefined,
        (error: unknown) => {
          if (!this.disposed) this.engineFailed(error, true);
        },
      )
      .finally(() => {
        this.preloading = undefined;
        // a question asked while the model loaded waited in the queue: it starts now
        if (!this.disposed && !this.running) this.startNextQueued();
      });
  }

  /** Engine state changed outside a request (idle unload, crash between requests). */
  setEngineInfo(info: EngineInfo): void {
    this.engineInfo = info;
    this.sink.engineChanged(info);
  }

  private start(turnId: string): void {
    this.releaseBraked();
    const settings = this.settings();
    const conversation = this.conversationOf(turnId);
    const turn = this.find(turnId);
    if (!conversation || !turn) return;
    const ratio = this.savingRatioFor();
    const request = { ...askRequestFrom(settings, turn.question, this.historyOf(conversation, turnId), conversation.code.get(turnId) ?? []), ...(ratio ? { savingRatio: ratio } : {}) };
    const ask = this.engine.ask(loadConfigFrom(settings), request, (event) => this.onEvent(turnId, event));
    this.track(turnId, ask);
  }

  /** Another question takes the engine: the braked answer it held can no longer continue, and its turn says so. */
  private releaseBraked(): void {
    const braked = this.lastBraked && this.find(this.lastBraked.turnId);
    this.lastBraked = undefined;
    if (braked?.canContinue) this.setTurn({ ...braked, canContinue: false, continueUnavailable: CONTINUE_AFTER_ANOTHER_QUESTION });
  }

  /** `before`: the finished turn a "Continue Thinking" started from; a failed continue gives it back. */
  private track(turnId: string, ask: RunningAsk, before?: Turn): void {
    this.running = { turnId, ask };
    this.sink.generatingChanged(true);
    ask.result.then(
      (result) => {
        if (this.disposed) return;
        this.flush();
        const turn = this.find(turnId);
        if (turn) {
          const finished = finishTurn(turn, result);
          this.setTurn(finished);
          const conversation = this.conversationOf(turnId);
          if (conversation) conversation.updatedAt = this.stamp();
          this.lastBraked = finished.canContinue ? { turnId, ask } : undefined;
        }
        this.finishRunning();
      },
      (error: unknown) => {
        if (this.disposed) return;
        this.flush();
        const turn = this.find(turnId);
        const message = error instanceof Error ? error.message : String(error);
        if (turn) this.setTurn(failedTurn(turn, error, message, before));
        this.lastBraked = undefined;
        this.engineFailed(error, this.engineInfo.state === "loading");
        this.finishRunning();
      },
    );
  }

  private finishRunning(): void {
    this.running = undefined;
    this.sink.turnChanged(undefined);
    if (!this.startNextQueued()) this.sink.generatingChanged(false);
    this.persist();
  }

  /** Starts the first queued question, if there is one (the others move up a place). */
  private startNextQueued(): boolean {
    const next = this.queue.shift();
    this.renumberQueue();
    if (!next) return false;
    const turn = this.find(next.turnId);
    if (turn) this.setTurn(withoutQueue({ ...turn, status: "loading" }));
    this.start(next.turnId);
    return true;
  }

  /** What a failed request says about the engine: it crashed, or (`whileLoading`) the model did not load, and why — a Stop is no load error. */
  private engineFailed(error: unknown, whileLoading: boolean): void {
    const message = error instanceof Error ? error.message : String(error);
    if (isCrash(error)) this.setEngineInfo({ ...this.engineInfo, state: "crashed", summary: message });
    else if (whileLoading) this.setEngineInfo({ state: "stopped", summary: "", notes: [], scripted: false, ...(errorCode(error) === "cancelled" ? {} : { loadError: message }) });
  }

  private renumberQueue(): void {
    this.queue.forEach((pending, index) => {
      const turn = this.find(pending.turnId);
      if (turn && turn.queuePosition !== index + 1) this.setTurn({ ...turn, queuePosition: index + 1 });
    });
  }

  /** The conversation whose answer is being generated, if any (Stop and Answer Now act on it). */
  get runningConversationId(): string | null {
    return (this.running && this.conversationOf(this.running.turnId)?.id) ?? null;
  }

  /** Sends the streamed text not yet sent, so that a snapshot taken now is complete (a page that just became ready). */
  flushPending(): void {
    this.flush();
  }

  private persist(): void {
    const kept = this.codeToKeep();
    this.sink.save({
      currentId: this.current.id,
      conversations: this.chats
        .filter((c) => c.turns.length > 0 || c === this.current)
        .map((c) => {
          const turns = c.turns.slice(-MAX_SAVED_TURNS);
          const code = Object.fromEntries(turns.flatMap((t) => (kept.has(t.id) ? [[t.id, c.code.get(t.id) ?? []]] : [])));
          return { id: c.id, title: c.title, updatedAt: c.updatedAt, turns, code };
        }),
    });
  }

  /**
   * The turns whose attached code is saved: the latest first, in the conversations changed last,
   * up to {@link MAX_SAVED_CODE_CHARS} (the workspace state is rewritten on every save). Older
   * turns keep their chips; Regenerate and Ask Again then say the code was not kept.
   */
  private codeToKeep(): Set<string> {
    const kept = new Set<string>();
    let budget = MAX_SAVED_CODE_CHARS;
    for (const c of [...this.chats].sort((a, b) => b.updatedAt - a.updatedAt)) {
      for (const turn of [...c.turns].reverse()) {
        const code = c.code.get(turn.id);
        if (!code) continue;
        const size = code.reduce((n, a) => n + a.text.length, 0);
        if (size > budget) continue;
        budget -= size;
        kept.add(turn.id);
      }
    }
    return kept;
  }

  private onEvent(turnId: string, event: AskEvent): void {
    if (this.disposed) return;
    this.onEngineEvent(event);
    const turn = this.find(turnId);
    if (!turn) return;
    const change = applyEvent(turn, event);
    if (change.changed) {
      this.flush();
      this.setTurn(change.turn);
    } else {
      this.replace(change.turn);
      if (change.append) this.queueAppend(turnId, change.append.channel, change.append.text);
    }
  }

  /** The finished turns before `beforeTurnId` (all of them when undefined), with the code their questions carried. */
  private historyOf(conversation: Conversation, beforeTurnId: string | undefined): ConversationTurn[] {
    const out: ConversationTurn[] = [];
    for (const turn of conversation.turns) {
      if (turn.id === beforeTurnId) break;
      if (turn.status !== "done" || turn.answer === "") continue;
      const code = conversation.code.get(turn.id);
      out.push(code && code.length > 0 ? { question: turn.question, answer: turn.answer, attachments: code } : { question: turn.question, answer: turn.answer });
    }
    return out;
  }

  private queueAppend(turnId: string, channel: "thinking" | "answer", text: string): void {
    const pending = this.pendingAppends.get(turnId) ?? { thinking: "", answer: "" };
    pending[channel] += text;
    this.pendingAppends.set(turnId, pending);
    this.flushTimer ??= setTimeout(() => this.flush(), APPEND_FLUSH_MS);
  }

  /** Sends the streamed text collected since the last flush (text arrives token by token). */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const [turnId, pending] of this.pendingAppends) {
      if (!this.current.turns.some((t) => t.id === turnId)) continue;
      if (pending.thinking) this.sink.post({ type: "append", turnId, channel: "thinking", text: pending.thinking });
      if (pending.answer) this.sink.post({ type: "append", turnId, channel: "answer", text: pending.answer });
    }
    this.pendingAppends.clear();
    const running = this.running && this.find(this.running.turnId);
    if (running) this.sink.turnChanged(running);
  }

  /** What an engine event says about the engine itself (loading, loaded). */
  private onEngineEvent(event: AskEvent): void {
    if (this.disposed) return;
    if (event.type === "loading") this.setEngineInfo({ ...this.engineInfo, state: "loading", loadProgress: event.progress });
    if (event.type === "engine-starting") this.setEngineInfo({ state: "loading", summary: "", notes: [], scripted: false });
    if (event.type === "loaded") {
      this.loadedContext = event.report.contextSize;
      this.setEngineInfo({ state: "loaded", summary: summarizeLoad(event.report), notes: [...event.report.fallbacks, ...event.report.warnings], scripted: event.report.scripted });
    }
  }

  private conversationOf(turnId: string): Conversation | undefined {
    return this.chats.find((c) => c.turns.some((t) => t.id === turnId));
  }

  private find(turnId: string): Turn | undefined {
    return this.conversationOf(turnId)?.turns.find((t) => t.id === turnId);
  }

  private replace(turn: Turn): void {
    const turns = this.conversationOf(turn.id)?.turns;
    const index = turns?.findIndex((t) => t.id === turn.id) ?? -1;
    if (turns && index >= 0) turns[index] = turn;
  }

  /** Updates a turn; the page hears of it only when its conversation is on show. */
  private setTurn(turn: Turn): void {
    this.replace(turn);
    if (this.current.turns.some((t) => t.id === turn.id)) this.sink.post({ type: "turn", turn });
    if (this.running?.turnId === turn.id) this.sink.turnChanged(turn);
  }
}

/**
 * How a turn ends when its request fails: a cancel is a stop, not an error; a failed "Continue
 * Thinking" keeps the answer it started from (still part of the conversation) and says why.
 */
function failedTurn(turn: Turn, error: unknown, message: string, before: Turn | undefined): Turn {
  if (errorCode(error) === "cancelled") return before ? { ...before, canContinue: false } : stopTurn(turn);
  if (before) return { ...before, canContinue: false, error: `Could not continue thinking: ${message}` };
  return failTurn(turn, message);
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
}

function isCrash(error: unknown): boolean {
  const code = errorCode(error);
  return code === "engine-crashed" || code === "engine-start-failed";
}

function isSavedChats(value: SavedChats | readonly Turn[]): value is SavedChats {
  return !Array.isArray(value);
}
