import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { CalibrationProblem } from "../../../../src/core/calibration/problems";
import { makeRecording } from "../../../../src/core/calibration/recording";
import { modelKey, RecordingStore, serverModelCacheKey } from "../../../../src/engine/calibration/recordingStore";

describe("the recordings cache", () => {
  it("keys a server's model by host and name, safely for a folder name, and apart from other servers and models", () => {
    const key = serverModelCacheKey("http://gpu-box:8080", "Qwen3-32B/Q4_K_M");
    assert.match(key, /^server-gpu-box_8080-Qwen3-32B_Q4_K_M-[0-9a-f]{12}$/);
    assert.equal(serverModelCacheKey("http://gpu-box:8080", "Qwen3-32B/Q4_K_M"), key, "stable");
    assert.notEqual(serverModelCacheKey("http://other:8080", "Qwen3-32B/Q4_K_M"), key);
    assert.notEqual(serverModelCacheKey("http://gpu-box:8080", "QwQ-32B"), key);
    assert.match(serverModelCacheKey("not a url", "m"), /^server-server-m-/);
    assert.ok(!serverModelCacheKey("http://h:1", "../../etc").includes("/"));
  });

  it("keeps a server's recordings in a folder of their own and reads them back", () => {
    const root = mkdtempSync(join(tmpdir(), "sb-store-"));
    const problems: CalibrationProblem[] = [
      { id: "p1", question: "1 + 1?", answer: "2", kind: "math" },
      { id: "p2", question: "2 + 2?", answer: "4", kind: "math" },
    ];
    const set = { key: "gsm8k", problems };
    const key = serverModelCacheKey("http://gpu-box:8080", "m");
    const store = new RecordingStore(root, key, [set]);
    assert.equal(store.pending().length, 2);
    store.add(set, makeRecording(problems[0] as CalibrationProblem, { model: "m", thinking: "1 + 1 = 2.", answer: "The answer is 2." }));
    const again = new RecordingStore(root, key, [set]);
    assert.deepEqual(again.pending().map((p) => p.problem.id), ["p2"]);
    assert.equal(again.recordings()[0]?.correct, true);
    const file = join(root, "model.gguf");
    writeFileSync(file, "x");
    new RecordingStore(root, modelKey(file), [set]);
    assert.deepEqual(readdirSync(root).sort(), [key, modelKey(file), "model.gguf"].sort());
  });
});
