import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { defaultSettings } from "../../../../src/core/settings/validate";
import type { ChatSink } from "../../../../src/extension/chat/chatSession";
import { ChatSession } from "../../../../src/extension/chat/chatSession";
import { INTERRUPTED_MESSAGE, NOT_ASKED_MESSAGE } from "../../../../src/extension/chat/turnReducer";
import { ConversationStore } from "../../../../src/extension/conversationStore";
import type { SavedChats } from "../../../../src/extension/chat/savedChats";
import type { EngineConnection, RunningAsk } from "../../../../src/extension/chat/engineConnection";
import type { AskEvent, AskRequest, GenerationResult } from "../../../../src/engine/common/types";
import type { HostToWebview, Turn } from "../../../../src/protocol";
import { TurnSchema } from "../../../../src/protocol";
import { must } from "../../../harness/must";
import { MemoryMemento, recordingLog, settled } from "../helpers/memoryMemento";

function result(overrides: Partial<GenerationResult> = {}): GenerationResult {
  return {
    answer: "42",
    thinking: "Let me think.\n\n",
    thinkingMode: "on",
    braked: false,
    brake: null,
    probes: [],
    stopReason: "eos",
    tokens: { prompt: 10, promptEvaluated: 10, thinking: 5, cue: 0, probe: 0, answer: 2, discarded: 0, reEvaluated: 0, savedEstimate: null },
    timings: { ttftMs: 12, promptEvalMs: 5, thinkingMs: 20, brakeToAnswerMs: null, totalMs: 40, tokensPerSecond: 100, engineMs: 1 },
    continued: 0,
    ...overrides,
  };
}

/** An engine whose requests the test drives by hand. */
class ScriptedEngine implements EngineConnection {
  /** False: a cancel is noted but the request does not settle (an engine slow to stop). */
  cancelSettles = true;
  readonly calls: { request: AskRequest | "continue"; emit: (e: AskEvent) => void; resolve: (r: GenerationResult) => void; reject: (e: Error) => void; cancelled: boolean; answeredNow: boolean }[] = [];

  ask(_load: unknown, request: AskRequest, onEvent: (e: AskEvent) => void): RunningAsk {
    return this.add(request, onEvent);
  }

  private add(request: AskRequest | "continue", emit: (e: AskEvent) => void): RunningAsk {
    let resolve!: (r: GenerationResult) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<GenerationResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const call = { request, emit, resolve, reject, cancelled: false, answeredNow: false };
    this.calls.push(call);
    return {
      result: promise,
      answerNow: () => (call.answeredNow = true),
      continueThinking: (onEvent) => this.add("continue", onEvent),
      cancel: () => {
        call.cancelled = true;
        if (this.cancelSettles) resolve(result({ stopReason: "cancelled", answer: "" }));
      },
    };
  }
}

/** The engine's `index`-th request (0-based), failing the test if it was never made. */
function callAt(engine: ScriptedEngine, index: number): ScriptedEngine["calls"][number] {
  return must(engine.calls[index], `engine request #${index + 1}`);
}

/** The turns of the conversation on show in a saved snapshot. */
function shown(chats: SavedChats): readonly Turn[] {
  return chats.conversations.find((c) => c.id === chats.currentId)?.turns ?? [];
}

function recorder(): ChatSink & { messages: HostToWebview[]; generating: boolean[]; saved: (readonly Turn[])[]; snapshots: SavedChats[]; running: (Turn | undefined)[] } {
  const sink = {
    messages: [] as HostToWebview[],
    generating: [] as boolean[],
    saved: [] as (readonly Turn[])[],
    snapshots: [] as SavedChats[],
    running: [] as (Turn | undefined)[],
    post: (m: HostToWebview) => sink.messages.push(m),
    generatingChanged: (g: boolean) => sink.generating.push(g),
    turnChanged: (t: Turn | undefined) => sink.running.push(t),
    engineChanged: () => undefined,
    stateChanged: () => undefined,
    save: (chats: SavedChats) => {
      sink.snapshots.push(chats);
      sink.saved.push(shown(chats));
    },
  };
  return sink;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("ChatSession", () => {
  it("streams a turn from question to answer with the settings in force", async () => {
    const engine = new ScriptedEngine();
    const sink = recorder();
    const session = new ChatSession(engine, sink, () => ({ ...defaultSettings(), "brake.threshold": 0.35 }));
    session.ask("What is 6 * 7?");
    const call = engine.calls[0];
    assert.ok(call && call.request !== "continue");
    assert.equal(call.request.brake.threshold, 0.35);
    assert.deepEqual(call.request.history, []);
    call.emit({ type: "started", promptTokens: 10, promptEvaluated: 10, thinkingMode: "on", standDown: null });
    call.emit({ type: "thinking", text: "6 * 7 = 42.", tokens: 6 });
    call.emit({ type: "answer", text: "**42**", tokens: 2 });
    call.resolve(result({ answer: "**42**", thinking: "6 * 7 = 42." }));
    await tick();
    const [turn] = session.conversation();
    assert.equal(turn?.status, "done");
    assert.equal(turn?.answer, "**42**");
    assert.equal(turn?.stats?.thinkingTokens, 5);
    assert.deepEqual(sink.generating, [true, false]);
    assert.ok(sink.messages.some((m) => m.type === "append" && m.channel === "thinking" && m.text === "6 * 7 = 42."));
    assert.equal(sink.saved.at(-1)?.length, 1);
  });

  it("queues a second question and sends it with the first answer as history", async () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("first");
    session.ask("second");
    assert.equal(engine.calls.length, 1);
    assert.equal(session.conversation()[1]?.status, "queued");
    assert.equal(session.conversation()[1]?.queuePosition, 1);
    callAt(engine, 0).resolve(result({ answer: "one" }));
    await tick();
    const second = engine.calls[1];
    assert.ok(second && second.request !== "continue");
    assert.deepEqual(second.request.history, [{ question: "first", answer: "one" }]);
    assert.equal(session.conversation()[1]?.queuePosition, undefined);
  });

  it("cuts the shown thinking at the brake, and only the latest braked turn can continue", async () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("q");
    const call = callAt(engine, 0);
    call.emit({ type: "started", promptTokens: 3, promptEvaluated: 3, thinkingMode: "on", standDown: null });
    call.emit({ type: "thinking", text: "It is 4.\n\nWait, 4 again.\n\nWait", tokens: 12 });
    const brake = { reason: "overthinking" as const, explanation: "score 0.3", thinkingTokens: 10, charOffset: 26, discardedTokens: 1, injectedText: "Stop.", injectedTokens: 2, score: 0.3, anchoredAnswer: "4" };
    call.emit({ type: "brake", brake });
    assert.equal(session.conversation()[0]?.thinking, "It is 4.\n\nWait, 4 again.\n\n");
    assert.equal(session.conversation()[0]?.brake?.cue, "Stop.");
    call.resolve(result({ braked: true, brake, answer: "4", thinking: "It is 4.\n\nWait, 4 again.\n\n" }));
    await tick();
    assert.equal(session.conversation()[0]?.canContinue, true);
    assert.equal(session.continueThinking("nope"), "Only the latest braked answer can continue thinking.");
    assert.equal(session.continueThinking(must(session.conversation()[0], "the first turn").id), undefined);
    assert.equal(engine.calls[1]?.request, "continue");
    callAt(engine, 1).emit({ type: "resumed", charOffset: 26 });
    assert.equal(session.conversation()[0]?.brake, null);
    assert.equal(session.conversation()[0]?.status, "thinking");
  });

  it("stop cancels the running request and drops the queue; errors end the turn with the message", async () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("a");
    session.ask("b");
    session.stop();
    await tick();
    assert.equal(engine.calls[0]?.cancelled, true);
    assert.deepEqual(session.conversation().map((t) => t.status), ["stopped", "stopped"]);
    assert.equal(engine.calls.length, 1);
    session.ask("c");
    callAt(engine, 1).reject(Object.assign(new Error("The engine process crashed (exit signal SIGKILL). Ask again to start a fresh engine."), { code: "engine-crashed" }));
    await tick();
    const last = session.conversation().at(-1);
    assert.equal(last?.status, "error");
    assert.match(last?.error ?? "", /crashed/);
    assert.equal(session.engineState.state, "crashed");
    assert.equal(session.generating, false);
  });

  it("shows a cancel during loading as stopped, not as an error", async () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("a");
    callAt(engine, 0).reject(Object.assign(new Error("The question was cancelled before the model started answering."), { code: "cancelled" }));
    await tick();
    const turn = session.conversation()[0];
    assert.equal(turn?.status, "stopped");
    assert.equal(turn?.error, null);
  });

  it("keeps the answer a failed Continue Thinking started from, in the view and in the history", async () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("q");
    const brake = { reason: "overthinking" as const, explanation: "score 0.3", thinkingTokens: 10, charOffset: 9, discardedTokens: 1, injectedText: "Stop.", injectedTokens: 2, score: 0.3, anchoredAnswer: "4" };
    callAt(engine, 0).emit({ type: "brake", brake });
    callAt(engine, 0).resolve(result({ braked: true, brake, answer: "4", thinking: "It is 4.\n\n" }));
    await tick();
    const id = must(session.conversation()[0], "the first turn").id;
    assert.equal(session.continueThinking(id), undefined);
    callAt(engine, 1).reject(Object.assign(new Error("There is no braked answer to continue."), { code: "continue-unavailable" }));
    await tick();
    const turn = session.conversation()[0];
    assert.equal(turn?.status, "done");
    assert.equal(turn?.answer, "4");
    assert.equal(turn?.canContinue, false);
    assert.match(turn?.error ?? "", /^Could not continue thinking: There is no braked answer/);
    session.ask("next");
    const next = callAt(engine, 2).request;
    assert.ok(next !== "continue");
    assert.deepEqual(next.history, [{ question: "q", answer: "4" }]);
  });

  it("keeps the reason the adaptive brake stood down after the turn ends, and reads turns saved without it", async () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("Pick one. A) x B) y The options are:\nA: z\nB: w");
    const call = callAt(engine, 0);
    assert.equal(session.conversation()[0]?.brakeStoodDown, undefined);
    call.emit({ type: "started", promptTokens: 10, promptEvaluated: 10, thinkingMode: "on", standDown: "Only the budget brakes." });
    assert.equal(session.conversation()[0]?.brakeStoodDown, "Only the budget brakes.");
    call.emit({ type: "meter", thinkingTokens: 32, score: 0.1, armed: false, anchoredAnswer: "B" });
    call.resolve(result());
    await tick();
    const [turn] = session.conversation();
    assert.equal(turn?.status, "done");
    assert.equal(turn?.meter, null);
    assert.equal(turn?.brakeStoodDown, "Only the budget brakes.");
    assert.ok(TurnSchema.safeParse(turn).success);
    const { brakeStoodDown: _dropped, ...saved } = turn!;
    assert.ok(TurnSchema.safeParse(saved).success);
    // a question the adaptive brake is on for says nothing
    session.ask("What is 6 * 7?");
    callAt(engine, 1).emit({ type: "started", promptTokens: 10, promptEvaluated: 10, thinkingMode: "on", standDown: null });
    assert.equal(session.conversation()[1]?.brakeStoodDown, undefined);
  });

  it("marks turns interrupted by a reload as errors, queued ones as not asked, and keeps finished ones", () => {
    const base = { thinking: "", answer: "", thinkingMode: "on" as const, meter: null, brake: null, stats: null, error: null, canContinue: true };
    const session = new ChatSession(new ScriptedEngine(), recorder(), defaultSettings, [
      { ...base, id: "a", question: "done one", status: "done" },
      { ...base, id: "b", question: "running one", status: "thinking", thinking: "So far" },
      { ...base, id: "c", question: "waiting one", status: "queued", queuePosition: 1 },
    ]);
    assert.deepEqual(session.conversation().map((t) => [t.status, t.canContinue, t.error]), [
      ["done", false, null],
      ["error", false, INTERRUPTED_MESSAGE],
      ["error", false, NOT_ASKED_MESSAGE],
    ]);
    assert.equal(session.conversation()[1]?.thinking, "So far");
    assert.equal(session.conversation()[2]?.queuePosition, undefined);
    assert.equal(session.generating, false);
  });

  it("saves a question when it is asked, so a reload mid-answer restores it and the queue", async () => {
    const memento = new MemoryMemento();
    const store = new ConversationStore(memento, recordingLog());
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, { ...recorder(), save: (chats) => store.save(chats) }, defaultSettings, store.load().chats);
    session.ask("first");
    session.ask("second");
    session.ask("third");
    callAt(engine, 0).emit({ type: "started", promptTokens: 3, promptEvaluated: 3, thinkingMode: "on", standDown: null });
    callAt(engine, 0).emit({ type: "thinking", text: "Let me", tokens: 2 });
    // the window reloads: the session is disposed, the engine process goes away
    session.dispose();
    callAt(engine, 0).reject(Object.assign(new Error("The engine was shut down."), { code: "cancelled" }));
    await settled();
    assert.equal(engine.calls.length, 1, "no queued question starts while the window closes");

    const reloaded = new ChatSession(new ScriptedEngine(), recorder(), defaultSettings, new ConversationStore(memento, recordingLog()).load().chats);
    assert.deepEqual(reloaded.conversation().map((t) => [t.question, t.status, t.error]), [
      ["first", "error", INTERRUPTED_MESSAGE],
      ["second", "error", NOT_ASKED_MESSAGE],
      ["third", "error", NOT_ASKED_MESSAGE],
    ]);
  });

  it("saves the queue as Stop leaves it, before the running answer has settled", () => {
    const engine = new ScriptedEngine();
    engine.cancelSettles = false; // an engine slow to settle the cancel
    const sink = recorder();
    const session = new ChatSession(engine, sink, defaultSettings);
    session.ask("a");
    session.ask("b");
    session.stop();
    assert.deepEqual(sink.saved.at(-1)?.map((t) => t.status), ["loading", "stopped"]);
  });

  it("refuses a question with nothing but whitespace: no turn, no request, nothing saved", () => {
    const engine = new ScriptedEngine();
    const sink = recorder();
    const session = new ChatSession(engine, sink, defaultSettings);
    for (const blank of ["", "   ", "\n\t \r\n", "\u00a0\u2003"]) {
      assert.match(session.ask(blank) ?? "", /^Type a question first/, JSON.stringify(blank));
    }
    assert.deepEqual([session.conversation().length, engine.calls.length, sink.saved.length, sink.messages.length], [0, 0, 0, 0]);
    assert.equal(session.ask("  What is 2 + 2?  "), undefined);
    assert.equal(engine.calls.length, 1);
  });

  it("never shows the running turn as queued: the session's queue is the only one", () => {
    const engine = new ScriptedEngine();
    const sink = recorder();
    const session = new ChatSession(engine, sink, defaultSettings);
    session.ask("a");
    session.ask("b");
    callAt(engine, 0).emit({ type: "started", promptTokens: 3, promptEvaluated: 3, thinkingMode: "on", standDown: null });
    assert.deepEqual(session.conversation().map((t) => [t.status, t.queuePosition]), [
      ["thinking", undefined],
      ["queued", 1],
    ]);
    const runningStatuses = sink.running.flatMap((t) => (t ? [t.status] : []));
    assert.ok(runningStatuses.length > 0);
    assert.ok(!runningStatuses.includes("queued"), runningStatuses.join(", "));
    const firstTurnMessages = sink.messages.flatMap((m) => (m.type === "turn" && m.turn.question === "a" ? [m.turn.status] : []));
    assert.ok(!firstTurnMessages.includes("queued"), firstTurnMessages.join(", "));
  });
  it("shows how far a long prompt is read, every 5 % or so, and drops it when the thinking starts", () => {
    const engine = new ScriptedEngine();
    const sink = recorder();
    const session = new ChatSession(engine, sink, defaultSettings);
    session.ask("a long pasted file");
    const call = callAt(engine, 0);
    call.emit({ type: "started", promptTokens: 2100, promptEvaluated: 2000, thinkingMode: "on", standDown: null });
    for (let read = 64; read < 2000; read += 64) call.emit({ type: "prompt", evaluated: read, total: 2000 });
    const shown = sink.messages.flatMap((m) => (m.type === "turn" && m.turn.promptRead ? [m.turn.promptRead.evaluated] : []));
    assert.ok(shown.length >= 15 && shown.length <= 21, `${shown.length} progress updates: ${shown.join(", ")}`);
    assert.equal(shown[0], 64);
    assert.ok((shown.at(-1) ?? 0) >= 1900);
    assert.deepEqual(must(session.conversation()[0], "the turn").promptRead, { evaluated: must(shown.at(-1), "last"), total: 2000 });
    call.emit({ type: "thinking", text: "Let me see.", tokens: 3 });
    const turn = must(session.conversation()[0], "the turn");
    assert.equal(turn.promptRead, undefined);
    assert.equal(turn.thinking, "Let me see.");
  });
  it("shows the reading of a long prompt without thinking too, and not once the answer starts", () => {
    const engine = new ScriptedEngine();
    const session = new ChatSession(engine, recorder(), defaultSettings);
    session.ask("a long pasted file, thinking off");
    const call = callAt(engine, 0);
    call.emit({ type: "started", promptTokens: 900, promptEvaluated: 900, thinkingMode: "off", standDown: null });
    call.emit({ type: "prompt", evaluated: 64, total: 900 });
    assert.deepEqual(must(session.conversation()[0], "the turn").promptRead, { evaluated: 64, total: 900 });
    call.emit({ type: "answer", text: "It", tokens: 1 });
    const turn = must(session.conversation()[0], "the turn");
    assert.equal(turn.status, "answering");
    assert.equal(turn.promptRead, undefined);
  });

  describe("code from the editor, regenerate and edit, several conversations", () => {
    const code = { kind: "selection" as const, label: "src/merge.py", language: "python", startLine: 3, endLine: 4, text: "def merge(a, b):\n    return a + b\n" };
    const view = { id: "a1", kind: "selection" as const, label: "src/merge.py", uri: "file:///w/src/merge.py", language: "python", startLine: 3, endLine: 4, tokens: 12, tokensEstimated: true };

    it("sends the attached code with the question, shows its chip on the turn, and replays it in later history", async () => {
      const engine = new ScriptedEngine();
      const session = new ChatSession(engine, recorder(), defaultSettings);
      session.attach({ view, code });
      session.ask("Does merge keep duplicates?");
      const first = callAt(engine, 0).request;
      assert.ok(first !== "continue");
      assert.equal(first.question, "Does merge keep duplicates?");
      assert.deepEqual(first.attachments, [code]);
      assert.deepEqual(session.conversation()[0]?.attachments, [view]);
      assert.deepEqual(session.pendingAttachments(), [], "the attachments went with the question");
      callAt(engine, 0).resolve(result({ answer: "Yes." }));
      await tick();
      session.ask("And order?");
      const second = callAt(engine, 1).request;
      assert.ok(second !== "continue");
      assert.deepEqual(second.history, [{ question: "Does merge keep duplicates?", answer: "Yes.", attachments: [code] }]);
      assert.equal(second.attachments, undefined);
      assert.match(session.promptOf(must(session.conversation()[0], "turn").id)?.message ?? "", /^src\/merge\.py \(lines 3–4\):\n```python\ndef merge/);
    });

    it("refuses a question the context check says does not fit, keeping the question's attachments", () => {
      const engine = new ScriptedEngine();
      const session = new ChatSession(engine, recorder(), defaultSettings, [], (_q, attachments) => (attachments.length > 0 ? "Remove src/merge.py (12 tokens)." : undefined));
      session.attach({ view, code });
      assert.equal(session.ask("Why?"), "Remove src/merge.py (12 tokens).");
      assert.equal(engine.calls.length, 0);
      assert.equal(session.pendingAttachments().length, 1);
      session.removeAttachment("a1");
      assert.equal(session.ask("Why?"), undefined);
      assert.equal(engine.calls.length, 1);
    });

    it("regenerates a turn with its code, and edit and resend drops the later turns", async () => {
      const engine = new ScriptedEngine();
      const session = new ChatSession(engine, recorder(), defaultSettings);
      session.attach({ view, code });
      session.ask("first");
      callAt(engine, 0).resolve(result({ answer: "one" }));
      await tick();
      session.ask("second");
      assert.match(session.resend(must(session.conversation()[0], "turn").id) ?? "", /Stop the answer in progress first/);
      callAt(engine, 1).resolve(result({ answer: "two" }));
      await tick();
      assert.equal(session.resend(must(session.conversation()[0], "turn").id, "first, edited"), undefined);
      assert.deepEqual(session.conversation().map((t) => t.question), ["first, edited"]);
      const again = callAt(engine, 2).request;
      assert.ok(again !== "continue");
      assert.deepEqual(again.attachments, [code]);
      assert.deepEqual(again.history, []);
      callAt(engine, 2).resolve(result({ answer: "one again" }));
      await tick();
      assert.equal(session.resend(must(session.conversation()[0], "turn").id), undefined);
      const regenerated = callAt(engine, 3).request;
      assert.ok(regenerated !== "continue");
      assert.equal(regenerated.question, "first, edited");
    });

    it("keeps conversations apart: a new chat, switching back, titles, and an answer running in a chat not on show", async () => {
      const engine = new ScriptedEngine();
      const sink = recorder();
      const session = new ChatSession(engine, sink, defaultSettings);
      session.ask("What is the derivative of x^2 with respect to x, explained step by step for a beginner?");
      const firstId = session.conversationId;
      session.newChat();
      assert.notEqual(session.conversationId, firstId);
      assert.deepEqual(session.conversation(), []);
      assert.deepEqual(sink.messages.at(-1), { type: "conversation", conversationId: session.conversationId, turns: [] });
      const before = sink.messages.length;
      callAt(engine, 0).emit({ type: "started", promptTokens: 3, promptEvaluated: 3, thinkingMode: "on", standDown: null });
      callAt(engine, 0).emit({ type: "thinking", text: "2x", tokens: 1 });
      callAt(engine, 0).resolve(result({ answer: "2x" }));
      await tick();
      assert.equal(sink.messages.slice(before).filter((m) => m.type === "turn" || m.type === "append").length, 0, "nothing of the other chat reaches the page");
      session.ask("second chat question");
      assert.deepEqual(session.conversations().map((c) => c.title), ["second chat question", "What is the derivative of x^2 with respect to x, explained…"]);
      assert.equal(session.switchTo(firstId), undefined);
      assert.equal(session.conversation()[0]?.answer, "2x");
      const secondId = must(session.conversations()[0], "second").id;
      session.rename(secondId, "  Renamed   chat ");
      assert.equal(session.conversations().find((c) => c.id === secondId)?.title, "Renamed chat");
      session.remove(firstId);
      assert.equal(session.conversationId, secondId);
      assert.equal(callAt(engine, 1).cancelled, false, "deleting another chat leaves this one's answer running");
      session.remove(secondId);
      assert.equal(callAt(engine, 1).cancelled, true, "deleting the chat whose answer runs stops it");
      assert.deepEqual(session.conversation(), []);
      assert.equal(shown(must(sink.snapshots.at(-1), "saved")).length, 0);
    });

    it("times the thinking: from the start of the thinking to the first answer text, then the engine's figure", async () => {
      const engine = new ScriptedEngine();
      const session = new ChatSession(engine, recorder(), defaultSettings);
      session.ask("q");
      callAt(engine, 0).emit({ type: "started", promptTokens: 3, promptEvaluated: 3, thinkingMode: "on", standDown: null });
      const started = must(session.conversation()[0]?.thinkingStartedAt, "the start of the thinking");
      assert.ok(Math.abs(started - Date.now()) < 1000);
      assert.equal(session.conversation()[0]?.thinkingMs, undefined);
      callAt(engine, 0).emit({ type: "answer", text: "A", tokens: 1 });
      assert.ok((session.conversation()[0]?.thinkingMs ?? -1) >= 0);
      callAt(engine, 0).resolve(result({ answer: "A" }));
      await tick();
      assert.equal(session.conversation()[0]?.thinkingMs, 20);
    });

    it("asks a failed turn again with the code it carried, not the chips waiting in the composer", async () => {
      const engine = new ScriptedEngine();
      const session = new ChatSession(engine, recorder(), defaultSettings);
      session.attach({ view, code });
      session.ask("Why does this throw?");
      callAt(engine, 0).reject(new Error("the engine failed"));
      await tick();
      const other = { view: { ...view, id: "a2", label: "other.py" }, code: { ...code, label: "other.py" } };
      session.attach(other);
      assert.equal(session.askAgain(must(session.conversation()[0], "turn").id), undefined);
      const again = callAt(engine, 1).request;
      assert.ok(again !== "continue");
      assert.deepEqual(again.attachments, [code]);
      assert.deepEqual(session.pendingAttachments(), [other], "the composer's chip stays for the next question");
    });

    it("removes nothing when Regenerate or Edit cannot be sent, and says why when the code was not kept", async () => {
      const engine = new ScriptedEngine();
      let refuse = false;
      const session = new ChatSession(engine, recorder(), defaultSettings, [], () => (refuse ? "Remove src/merge.py." : undefined));
      session.ask("first");
      callAt(engine, 0).resolve(result({ answer: "one" }));
      await tick();
      session.ask("second");
      callAt(engine, 1).resolve(result({ answer: "two" }));
      await tick();
      refuse = true;
      assert.equal(session.resend(must(session.conversation()[0], "turn").id, "a much longer first question"), "Remove src/merge.py.");
      assert.deepEqual(session.conversation().map((t) => t.question), ["first", "second"]);
      const restored = new ChatSession(new ScriptedEngine(), recorder(), defaultSettings, [{ ...must(session.conversation()[0], "turn"), attachments: [view] }]);
      assert.match(restored.resend(must(restored.conversation()[0], "turn").id) ?? "", /code attached to this question was not kept/);
    });

    it("takes Continue Thinking off a braked answer once another question uses the engine, and says why", async () => {
      const engine = new ScriptedEngine();
      const session = new ChatSession(engine, recorder(), defaultSettings);
      session.ask("first");
      callAt(engine, 0).resolve(result({ answer: "one", braked: true, stopReason: "eos" }));
      await tick();
      assert.equal(session.conversation()[0]?.canContinue, true);
      session.ask("second");
      assert.equal(session.conversation()[0]?.canContinue, false);
      assert.match(session.conversation()[0]?.continueUnavailable ?? "", /another question has used the engine since/);
    });

    it("loads a just-picked model at once, with its progress, and a question asked meanwhile waits for it", async () => {
      const engine = new ScriptedEngine();
      let finishLoad!: () => void;
      const infos: string[] = [];
      const loading = Object.assign(engine, {
        load: (_config: unknown, onEvent: (e: AskEvent) => void) =>
          new Promise<never>((resolve) => {
            onEvent({ type: "loading", progress: 0.5 });
            finishLoad = () => resolve(undefined as never);
          }),
      });
      const sink = { ...recorder(), engineChanged: (info: { state: string; loadProgress?: number }) => infos.push(`${info.state}${info.loadProgress !== undefined ? ` ${info.loadProgress}` : ""}`) };
      const session = new ChatSession(loading, sink, defaultSettings);
      session.loadNow();
      assert.deepEqual(infos, ["loading 0.5"]);
      session.ask("asked while loading");
      assert.equal(engine.calls.length, 0, "the question waits for the load");
      assert.equal(session.conversation()[0]?.status, "queued");
      finishLoad();
      await tick();
      await tick();
      assert.equal(engine.calls.length, 1);
      assert.equal(session.conversation()[0]?.status, "loading");
    });
  });
});
