import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import type { Turn } from "../../../src/protocol";
import { CONVERSATION_KEY, ConversationStore, UNREADABLE_KEY_PREFIX, keptAsideNotice } from "../../../src/extension/conversationStore";
import { singleConversation } from "../../../src/extension/chat/savedChats";
import { must } from "../../harness/must";
import { MemoryMemento, recordingLog, settled } from "./helpers/memoryMemento";

function turn(id: string, question: string, overrides: Partial<Turn> = {}): Turn {
  return { id, question, thinking: "", answer: `answer to ${question}`, status: "done", thinkingMode: "on", meter: null, brake: null, stats: null, error: null, canContinue: false, ...overrides };
}

const AT = new Date("2026-12-01T10:00:00.000Z");

function storeWith(raw: unknown): { memento: MemoryMemento; log: ReturnType<typeof recordingLog>; store: ConversationStore } {
  const memento = new MemoryMemento();
  if (raw !== undefined) void memento.update(CONVERSATION_KEY, raw);
  const log = recordingLog();
  return { memento, log, store: new ConversationStore(memento, log, () => AT) };
}

function asideKeys(memento: MemoryMemento): string[] {
  return memento.keys().filter((key) => key.startsWith(UNREADABLE_KEY_PREFIX));
}

describe("ConversationStore", () => {
  it("reads back what it saved", async () => {
    const { memento, log, store } = storeWith(undefined);
    assert.deepEqual(store.load().turns, []);
    store.save(singleConversation([turn("a", "first"), turn("b", "second")]));
    await settled();
    const again = new ConversationStore(memento, log).load();
    assert.deepEqual(again.turns.map((t) => t.question), ["first", "second"]);
    assert.equal(again.keptAside, undefined);
    assert.deepEqual(log.lines, []);
  });

  it("reads turns stored with the old saving field (savedTokens, the budget left): the field is dropped, the turn kept", () => {
    const stats = { promptTokens: 40, thinkingTokens: 21, answerTokens: 12, cueTokens: 14, probeTokens: 0, savedTokens: 2950, reEvaluatedTokens: 0, ttftMs: 30, tokensPerSecond: 50, totalMs: 900 };
    const { log, store } = storeWith({ version: 1, turns: [{ ...turn("a", "first"), stats }] });
    const loaded = store.load();
    assert.equal(loaded.keptAside, undefined);
    const read = must(loaded.turns[0]?.stats, "the stored stats");
    assert.equal(read.thinkingTokens, 21);
    assert.equal("savedTokens" in read, false);
    assert.equal(read.savedEstimate, undefined);
    assert.deepEqual(log.lines, []);
  });

  it("keeps the two readable turns when one of three is malformed, and logs which one and why", () => {
    const { log, store } = storeWith({ version: 1, turns: [turn("a", "first"), { ...turn("b", "second"), status: "exploded" }, turn("c", "third")] });
    const loaded = store.load();
    assert.deepEqual(loaded.turns.map((t) => t.id), ["a", "c"]);
    assert.deepEqual(loaded.keptAside, { key: `${UNREADABLE_KEY_PREFIX}2026-12-01T10:00:00.000Z`, unreadableTurns: 1, storedTurns: 3 });
    const warning = must(log.lines.find((line) => line.startsWith("warn:")), "a warning in the log");
    assert.match(warning, /1 of 3 saved chat turns could not be read/);
    assert.match(warning, /turn 2 \("second"\): status: /);
    assert.match(warning, /selfBraking\.conversation\.unreadable\.2026-12-01T10:00:00\.000Z/);
  });

  it("keeps unreadable data aside under its own key, and the next save does not overwrite it", async () => {
    const unreadable = { version: 1, turns: "not a list" };
    const { memento, store } = storeWith(unreadable);
    const loaded = store.load();
    assert.deepEqual(loaded.turns, []);
    const key = must(loaded.keptAside, "the data kept aside").key;
    store.save(singleConversation([turn("n", "a new question")]));
    await settled();
    assert.deepEqual(memento.get(key), unreadable);
    assert.deepEqual(must(memento.get<{ conversations: { turns: Turn[] }[] }>(CONVERSATION_KEY), "the saved chat").conversations[0]?.turns.map((t) => t.question), ["a new question"]);
    store.save(singleConversation([]));
    await settled();
    assert.deepEqual(memento.get(key), unreadable, "still there after a second save");
  });

  it("keeps the whole stored value aside when some turns are unreadable, and says so only once", async () => {
    const stored = { version: 1, turns: [turn("a", "first"), 42] };
    const { memento, log, store } = storeWith(stored);
    const first = store.load();
    assert.equal(first.keptAside?.unreadableTurns, 1);
    await settled();
    assert.deepEqual(asideKeys(memento).map((k) => memento.get(k)), [stored]);
    // the next window finds the readable turns only: nothing to report, nothing copied again
    const second = new ConversationStore(memento, log, () => AT).load();
    assert.deepEqual(second.turns.map((t) => t.id), ["a"]);
    assert.equal(second.keptAside, undefined);
    assert.equal(asideKeys(memento).length, 1);
  });

  it("never reuses a key: a second copy in the same millisecond gets its own", async () => {
    const { memento, log, store } = storeWith("garbage");
    const first = must(store.load().keptAside, "the first copy").key;
    await settled();
    await memento.update(CONVERSATION_KEY, "more garbage");
    const second = must(new ConversationStore(memento, log, () => AT).load().keptAside, "the second copy").key;
    await settled();
    assert.notEqual(first, second);
    assert.deepEqual([memento.get(first), memento.get(second)], ["garbage", "more garbage"]);
  });

  it("does not write over stored data it could not keep aside", async () => {
    const stored = { version: 1, turns: [{ id: "" }] };
    const { memento, log, store } = storeWith(stored);
    memento.failWrites = (key) => key.startsWith(UNREADABLE_KEY_PREFIX);
    store.load();
    store.save(singleConversation([turn("n", "new")]));
    await settled();
    assert.deepEqual(memento.get(CONVERSATION_KEY), stored);
    assert.ok(log.lines.some((line) => /^error: Could not keep the unreadable saved chat aside \(Error: disk full/.test(line)), log.lines.join("\n"));
  });

  it("says why a chat saved by a newer version cannot be read", () => {
    const { log, store } = storeWith({ version: 3, turns: [], conversations: [] });
    const loaded = store.load();
    assert.equal(loaded.keptAside?.unreadableTurns, undefined);
    assert.match(log.lines.join("\n"), /saved in format 3 by a newer version of Self-Braking Reasoner \(this one reads format 2\)/);
  });

  it("treats a turn that repeats an earlier turn's id as unreadable (the session finds turns by id)", () => {
    const { store } = storeWith({ version: 1, turns: [turn("a", "first"), turn("a", "impostor")] });
    const loaded = store.load();
    assert.deepEqual(loaded.turns.map((t) => t.question), ["first"]);
    assert.equal(loaded.keptAside?.unreadableTurns, 1);
  });

  it("tells the user how much could not be read and that it was kept", () => {
    assert.equal(
      keptAsideNotice({ key: "k", unreadableTurns: 1, storedTurns: 3 }),
      "Self-Braking: 1 of 3 saved chat turns could not be read. It was kept aside, not deleted; the log says where and why.",
    );
    assert.match(keptAsideNotice({ key: "k", unreadableTurns: undefined, storedTurns: undefined }), /^Self-Braking: The saved chat of this workspace could not be read\. It was kept aside/);
  });

  it("reads a format-1 chat as one conversation titled by its first question, and saves it as format 2", async () => {
    const { memento, store } = storeWith({ version: 1, turns: [turn("a", "What is the derivative of x^2?"), turn("b", "and of x^3?")] });
    const loaded = store.load();
    assert.equal(loaded.chats.conversations.length, 1);
    assert.equal(loaded.chats.conversations[0]?.title, "What is the derivative of x^2?");
    store.save(loaded.chats);
    await settled();
    assert.equal(must(memento.get<{ version: number }>(CONVERSATION_KEY), "saved").version, 2);
  });

  it("keeps several conversations, the one on show, and the code each question carried", async () => {
    const { memento, log, store } = storeWith(undefined);
    const code = [{ kind: "selection" as const, label: "src/a.py", language: "python", startLine: 3, endLine: 4, text: "def f():\n    return 1\n" }];
    store.save({
      currentId: "c2",
      conversations: [
        { id: "c2", title: "second chat", updatedAt: 20, turns: [turn("x", "explain f")], code: { x: code } },
        { id: "c1", title: "first chat", updatedAt: 10, turns: [turn("a", "first")], code: {} },
      ],
    });
    await settled();
    const loaded = new ConversationStore(memento, log).load();
    assert.equal(loaded.chats.currentId, "c2");
    assert.deepEqual(loaded.chats.conversations.map((c) => [c.id, c.title, c.turns.length]), [["c2", "second chat", 1], ["c1", "first chat", 1]]);
    assert.deepEqual(loaded.chats.conversations[0]?.code["x"], code);
    assert.deepEqual(loaded.turns.map((t) => t.question), ["explain f"]);
  });

  it("keeps a turn whose attached code cannot be read, without the code, and keeps the stored value aside", () => {
    const { log, store } = storeWith({ version: 2, currentId: "c1", conversations: [{ id: "c1", title: "t", updatedAt: 1, turns: [turn("a", "q")], code: { a: [{ kind: "weird" }] } }] });
    const loaded = store.load();
    assert.deepEqual(loaded.turns.map((t) => t.id), ["a"]);
    assert.deepEqual(loaded.chats.conversations[0]?.code, {});
    assert.equal(loaded.keptAside?.unreadableTurns, 1);
    assert.match(log.lines.join("\n"), /"q"\): the code attached to it could not be read/);
  });

  it("treats a conversation whose id repeats an earlier one's as unreadable, and keeps the stored value aside", () => {
    const { store } = storeWith({
      version: 2,
      currentId: "c1",
      conversations: [
        { id: "c1", title: "one", updatedAt: 2, turns: [turn("a", "first")] },
        { id: "c1", title: "impostor", updatedAt: 1, turns: [turn("b", "second")] },
      ],
    });
    const loaded = store.load();
    assert.deepEqual(loaded.chats.conversations.map((c) => c.title), ["one"]);
    assert.equal(loaded.keptAside?.unreadableTurns, 1);
  });
});
