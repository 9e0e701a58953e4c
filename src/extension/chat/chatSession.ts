import type { EngineInfo, HostToWebview, Turn } from "../../protocol";
import { isBlankQuestion } from "../../protocol";
import type { Settings } from "../../core/settings/registry";
import type { AskEvent, ConversationTurn } from "../../engine/common/types";
import { askRequestFrom, loadConfigFrom } from "./askRequest";
import type { EngineConnection, RunningAsk } from "./engineConnection";
import { summarizeLoad } from "./engineConnection";
import { applyEvent, failTurn, finishTurn, newTurn, restoredTurn, stopTurn, withoutQueue } from "./turnReducer";

/** Where the session's output goes: the page, the status bar, storage. */
export interface ChatSink {
  post(message: HostToWebview): void;
  generatingChanged(generating: boolean): void;
  /** The running turn changed (for the status-bar meter); undefined when nothing runs. */
  turnChanged(turn: Turn | undefined): void;
  engineChanged(info: EngineInfo): void;
  save(turns: readonly Turn[]): void;
}

const APPEND_FLUSH_MS = 50;
const MAX_SAVED_TURNS = 200;

interface Pending {
  readonly turnId: string;
  readonly question: string;
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
  private turns: Turn[];
  private running: { turnId: string; ask: RunningAsk } | undefined;
  private lastBraked: { turnId: string; ask: RunningAsk } | undefined;
  private readonly queue: Pending[] = [];
  private readonly pendingAppends = new Map<string, { thinking: string; answer: string }>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private engineInfo: EngineInfo = { state: "stopped", summary: "", notes: [], scripted: false };
  private disposed = false;

  constructor(
    private readonly engine: EngineConnection,
    private readonly sink: ChatSink,
    private readonly settings: () => Settings,
    restored: readonly Turn[] = [],
  ) {
    this.turns = restored.map(restoredTurn);
    this.nextId = this.turns.length + 1;
  }

  get generating(): boolean {
    return this.running !== undefined;
  }

  get engineState(): EngineInfo {
    return this.engineInfo;
  }

  conversation(): readonly Turn[] {
    return this.turns;
  }

  /** Asks now, or queues behind the running question. Returns why it was refused, if it was. */
  ask(question: string): string | undefined {
    if (isBlankQuestion(question)) return "Type a question first: this one has nothing but spaces or line breaks.";
    const id = `t${Date.now().toString(36)}-${this.nextId++}`;
    const turn = newTurn(id, question);
    this.turns.push(turn);
    if (this.running) {
      this.queue.push({ turnId: id, question });
      this.setTurn({ ...turn, status: "queued", queuePosition: this.queue.length });
    } else {
      this.setTurn(turn);
      this.start(id, question);
    }
    this.persist();
    return undefined;
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
    const last = this.turns[this.turns.length - 1];
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

  newChat(): void {
    this.stop();
    this.turns = [];
    this.lastBraked = undefined;
    this.pendingAppends.clear();
    this.sink.post({ type: "conversation", turns: [] });
    this.sink.save([]);
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

  /** Engine state changed outside a request (idle unload, crash between requests). */
  setEngineInfo(info: EngineInfo): void {
    this.engineInfo = info;
    this.sink.engineChanged(info);
  }

  private start(turnId: string, question: string): void {
    const settings = this.settings();
    const ask = this.engine.ask(loadConfigFrom(settings), askRequestFrom(settings, question, this.history(turnId)), (event) => this.onEvent(turnId, event));
    this.track(turnId, ask);
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
        if (isCrash(error)) this.setEngineInfo({ ...this.engineInfo, state: "crashed", summary: message });
        this.finishRunning();
      },
    );
  }

  private finishRunning(): void {
    this.running = undefined;
    this.sink.turnChanged(undefined);
    const next = this.queue.shift();
    this.queue.forEach((pending, index) => {
      const turn = this.find(pending.turnId);
      if (turn) this.setTurn({ ...turn, queuePosition: index + 1 });
    });
    if (next) {
      const turn = this.find(next.turnId);
      if (turn) this.setTurn(withoutQueue({ ...turn, status: "loading" }));
      this.start(next.turnId, next.question);
    } else {
      this.sink.generatingChanged(false);
    }
    this.persist();
  }

  private persist(): void {
    this.sink.save(this.turns.slice(-MAX_SAVED_TURNS));
  }

  private onEvent(turnId: string, event: AskEvent): void {
    if (this.disposed) return;
    if (event.type === "loading") this.setEngineInfo({ ...this.engineInfo, state: "loading", loadProgress: event.progress });
    if (event.type === "engine-starting") this.setEngineInfo({ state: "loading", summary: "", notes: [], scripted: false });
    if (event.type === "loaded") {
      this.setEngineInfo({ state: "loaded", summary: summarizeLoad(event.report), notes: [...event.report.fallbacks, ...event.report.warnings], scripted: event.report.scripted });
    }
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

  private history(beforeTurnId: string): ConversationTurn[] {
    const out: ConversationTurn[] = [];
    for (const turn of this.turns) {
      if (turn.id === beforeTurnId) break;
      if (turn.status === "done" && turn.answer !== "") out.push({ question: turn.question, answer: turn.answer });
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
      if (pending.thinking) this.sink.post({ type: "append", turnId, channel: "thinking", text: pending.thinking });
      if (pending.answer) this.sink.post({ type: "append", turnId, channel: "answer", text: pending.answer });
    }
    this.pendingAppends.clear();
    const running = this.running && this.find(this.running.turnId);
    if (running) this.sink.turnChanged(running);
  }

  private find(turnId: string): Turn | undefined {
    return this.turns.find((t) => t.id === turnId);
  }

  private replace(turn: Turn): void {
    const index = this.turns.findIndex((t) => t.id === turn.id);
    if (index >= 0) this.turns[index] = turn;
  }

  private setTurn(turn: Turn): void {
    this.replace(turn);
    this.sink.post({ type: "turn", turn });
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
