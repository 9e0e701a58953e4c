import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ramFit } from "../../../../src/extension/models/fitBadge";

const GiB = 1024 ** 3;

describe("the picker's first fit estimate (file size against RAM)", () => {
  it("fits when the weights and a quarter more are free, is tight when only the total would hold them, else too big", () => {
    assert.deepEqual(ramFit(4 * GiB, 16 * GiB, 24 * GiB), { badge: "fits in RAM", reason: "needs about 5.0 GiB; 16.0 GiB of RAM is free." });
    assert.equal(ramFit(10 * GiB, 8 * GiB, 24 * GiB).badge, "tight");
    assert.match(ramFit(10 * GiB, 8 * GiB, 24 * GiB).reason, /close other programs, or offload layers to a GPU/);
    assert.deepEqual(ramFit(20 * GiB, 8 * GiB, 16 * GiB), { badge: "too big", reason: "needs about 25.0 GiB, more than this machine's 16.0 GiB of RAM." });
  });
});
