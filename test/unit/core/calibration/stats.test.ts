import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { median, pairedDifference } from "../../../../src/core/calibration/stats";
import { seededShuffle } from "../../../../src/core/calibration/random";

const repeat = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);

describe("paired difference", () => {
  it("is exactly 0 with no discordant pairs", () => {
    const d = pairedDifference([true, false, true], [true, false, true]);
    assert.deepEqual(d, { points: 0, low: 0, high: 0, lost: 0, gained: 0 });
  });

  it("excludes 0 when every change is a loss, and includes it when losses and gains balance", () => {
    const base = repeat(40, true);
    const lossy = [...repeat(8, false), ...repeat(32, true)];
    const d = pairedDifference(base, lossy, { seed: 3 });
    assert.equal(d.points, -20);
    assert.equal(d.lost, 8);
    assert.ok(d.low < -20 && d.high < 0, JSON.stringify(d));
    const mixedBase = [...repeat(3, true), ...repeat(3, false), ...repeat(34, true)];
    const mixedTest = [...repeat(3, false), ...repeat(3, true), ...repeat(34, true)];
    const m = pairedDifference(mixedBase, mixedTest, { seed: 3 });
    assert.equal(m.points, 0);
    assert.ok(m.low < 0 && m.high > 0, JSON.stringify(m));
  });

  it("narrows with more problems and is the same for the same seed", () => {
    const small = pairedDifference([...repeat(2, true), ...repeat(18, true)], [...repeat(2, false), ...repeat(18, true)], { seed: 1 });
    const large = pairedDifference(repeat(200, true), [...repeat(20, false), ...repeat(180, true)], { seed: 1 });
    assert.ok(large.high - large.low < small.high - small.low);
    assert.deepEqual(pairedDifference(repeat(20, true), [false, ...repeat(19, true)], { seed: 9 }), pairedDifference(repeat(20, true), [false, ...repeat(19, true)], { seed: 9 }));
  });

  it("rejects unpaired samples", () => {
    assert.throws(() => pairedDifference([true], [true, false]));
  });
});

describe("helpers", () => {
  it("median and seeded shuffle", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(median([]), 0);
    const items = Array.from({ length: 10 }, (_, i) => i);
    assert.deepEqual(seededShuffle(items, 5), seededShuffle(items, 5));
    assert.notDeepEqual(seededShuffle(items, 5), items);
    assert.deepEqual([...seededShuffle(items, 5)].sort((a, b) => a - b), items);
  });
});
