import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextSliceSize, SLICE_TARGET_MS } from "../../../../../src/engine/process/generation/promptSlices";

describe("prompt slice sizes", () => {
  it("double while a slice is quick, up to the batch size", () => {
    assert.equal(nextSliceSize(64, SLICE_TARGET_MS / 4, 512), 128);
    assert.equal(nextSliceSize(256, 10, 512), 512);
    assert.equal(nextSliceSize(512, 10, 512), 512);
  });

  it("hold between half the target and half as long again, so noise does not shrink them", () => {
    assert.equal(nextSliceSize(256, SLICE_TARGET_MS * 0.6, 512), 256);
    assert.equal(nextSliceSize(256, SLICE_TARGET_MS * 1.4, 512), 256);
  });

  it("halve when a slice keeps Stop waiting too long, down to a floor", () => {
    assert.equal(nextSliceSize(256, SLICE_TARGET_MS * 2, 512), 128);
    assert.equal(nextSliceSize(16, SLICE_TARGET_MS * 10, 512), 16);
  });

  it("never exceed a small batch size", () => {
    assert.equal(nextSliceSize(64, 1, 32), 32);
  });
});
