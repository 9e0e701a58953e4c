import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { watchdogSeconds } from "../../../../src/core/settings/serverTimeout";

describe("the engine watchdog with a server", () => {
  it("waits at least the server timeout and a margin, so the server's own timeout fails first; off stays off", () => {
    assert.equal(watchdogSeconds(60), 60, "no server: the setting as it is");
    assert.equal(watchdogSeconds(60, { timeoutSeconds: 120 }), 135);
    assert.equal(watchdogSeconds(600, { timeoutSeconds: 120 }), 600, "a longer watchdog is kept");
    assert.equal(watchdogSeconds(0, { timeoutSeconds: 120 }), 0);
  });
});
