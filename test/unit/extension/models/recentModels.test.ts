import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RecentModels } from "../../../../src/extension/models/recentModels";
import { MemoryMemento } from "../helpers/memoryMemento";

describe("models used before", () => {
  it("keeps the ten latest, newest first, each once, and ignores what is not a list of paths", async () => {
    const memento = new MemoryMemento();
    const recent = new RecentModels(memento);
    for (let i = 0; i < 12; i++) await recent.remember(`/m/${i}.gguf`);
    await recent.remember("/m/5.gguf");
    await recent.remember("");
    assert.deepEqual(recent.list(), ["/m/5.gguf", "/m/11.gguf", "/m/10.gguf", "/m/9.gguf", "/m/8.gguf", "/m/7.gguf", "/m/6.gguf", "/m/4.gguf", "/m/3.gguf", "/m/2.gguf"]);
    await memento.update("selfBraking.recentModels", { not: "a list" });
    assert.deepEqual(recent.list(), []);
  });
});
