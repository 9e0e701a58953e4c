import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateSaving } from "../../../src/core/brake/savingEstimate";
import { BRAKE_REASONS } from "../../../src/core/vocabulary";
import { brakeBannerText } from "../../../src/webview/format";
import { must } from "../../harness/must";

describe("the brake banner's words (webview)", () => {
  const estimate = must(estimateSaving({ reason: "overthinking", keptTokens: 812 }), "estimate");

  it("a detector brake: what was kept and the estimate, labelled, with its basis in the tooltip", () => {
    const t = brakeBannerText("overthinking", 812, estimate);
    assert.equal(t.headline, "Braked: further thinking looked redundant");
    assert.equal(t.detail, `kept 812 thinking tokens · est. ~${estimate.tokens} more avoided (median of recorded traces)`);
    assert.match(t.tooltip, /Estimate, not a measurement: on \d+ recorded traces the brake braked/);
  });

  it("before the stats arrive: only what was kept", () => {
    assert.equal(brakeBannerText("overthinking", 812, undefined).detail, "kept 812 thinking tokens");
  });

  it("Answer now reads as the user's call, with no saving", () => {
    const t = brakeBannerText("manual", 812, estimate);
    assert.equal(t.headline, "You asked for the answer after 812 thinking tokens");
    assert.equal(t.detail, "");
    assert.match(t.tooltip, /no saving is credited to the brake/);
  });

  it("the budget and a full context claim no saving", () => {
    assert.deepEqual([brakeBannerText("budget", 8192, estimate).headline, brakeBannerText("budget", 8192, estimate).detail], ["Braked: thinking budget reached", "kept 8192 thinking tokens"]);
    assert.equal(brakeBannerText("context", 3000, estimate).detail, "kept 3000 thinking tokens");
  });

  it("nothing headlines a saving other than the detector's estimate", () => {
    for (const reason of BRAKE_REASONS) {
      const t = brakeBannerText(reason, 812, estimate);
      assert.doesNotMatch(`${t.headline} ${t.detail}`, /saved|up to/, reason);
      assert.equal(/avoided/.test(t.detail), reason === "overthinking" || reason === "probe" || reason === "signal", reason);
    }
  });
});
