import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBytes, formatDuration, formatTokens } from "../../../src/core/format";
import { formatBytes as webviewFormatBytes, formatTokens as webviewFormatTokens } from "../../../src/webview/format";

describe("formatBytes", () => {
  it("uses binary units with one decimal above a KiB", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1023), "1023 B");
    assert.equal(formatBytes(1536), "1.5 KiB");
    assert.equal(formatBytes(30 * 1024 ** 2), "30.0 MiB");
    assert.equal(formatBytes(3.8 * 1024 ** 3), "3.8 GiB");
    assert.equal(formatBytes(2 * 1024 ** 5), "2048.0 TiB");
    assert.equal(formatBytes(Number.NaN), "NaN");
  });
  it("is the one the views use", () => {
    assert.equal(webviewFormatBytes, formatBytes);
    assert.equal(webviewFormatTokens, formatTokens);
  });
});

describe("formatTokens", () => {
  it("is exact below 10,000 and in thousands above", () => {
    assert.equal(formatTokens(0), "0");
    assert.equal(formatTokens(9999), "9999");
    assert.equal(formatTokens(10_000), "10.0k");
    assert.equal(formatTokens(12_345), "12.3k");
  });

  it("says a time left rounded up to whole seconds, never as 60 of a smaller unit", () => {
    assert.equal(formatDuration(3.2), "4 s");
    assert.equal(formatDuration(59.2), "1 min 0 s");
    assert.equal(formatDuration(119.6), "2 min 0 s");
    assert.equal(formatDuration(185), "3 min 5 s");
    assert.equal(formatDuration(7190), "2 h 0 min");
    assert.equal(formatDuration(4320), "1 h 12 min");
  });
});
