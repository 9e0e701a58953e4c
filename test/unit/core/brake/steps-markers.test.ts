import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMarkerCounter, SBT_MARKERS } from "../../../../src/core/brake/markers";
import { splitSteps, StepSegmenter } from "../../../../src/core/brake/steps";

function segment(text: string, sizes: readonly number[]): { texts: string[]; ends: number[] } {
  const s = new StepSegmenter();
  const texts: string[] = [];
  const ends: number[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = sizes[k++ % sizes.length] ?? 1;
    for (const step of s.push(text.slice(i, i + n))) {
      texts.push(step.text);
      ends.push(step.end);
    }
    i += n;
  }
  return { texts, ends };
}

describe("step segmentation", () => {
  const text = "a\n\nbb\n\n\nccc\n\n\n\nd\ne\n\nlast";
  const expected = text.split("\n\n").slice(0, -1);
  it("splits like text.split('\\n\\n') for any chunking", () => {
    for (const sizes of [[1], [2], [3], [5, 1, 2], [100]]) {
      const got = segment(text, sizes);
      assert.deepEqual(got.texts, expected, `sizes ${sizes.join(",")}`);
    }
  });
  it("reports the offset just past each separator", () => {
    const got = segment(text, [1]);
    assert.deepEqual(got.ends, [3, 7, 13, 15, 20]);
    assert.equal(text.slice(0, got.ends[1]), "a\n\nbb\n\n");
  });
  it("splits a whole text into every split('\\n\\n') piece, the last ending at the text's end", () => {
    const reference = (t: string): { text: string; end: number }[] => {
      let pos = 0;
      return t.split("\n\n").map((piece) => {
        pos += piece.length + 2;
        return { text: piece, end: Math.min(pos, t.length) };
      });
    };
    const texts = [text, "", "\n", "\n\n", "\n\n\n", "a\n\n", "\n\na", "a\n\n\n\n\nb\n"];
    for (let seed = 1; seed <= 200; seed++) {
      let t = "";
      for (let i = 0, x = seed; i < 30; i++, x = (x * 48271) % 2147483647) t += x % 3 === 0 ? "a" : "\n";
      texts.push(t);
    }
    for (const t of texts) assert.deepEqual(splitSteps(t), reference(t), JSON.stringify(t));
    assert.deepEqual(splitSteps(text).slice(0, -1).map((s) => s.end), [3, 7, 13, 15, 20]);
  });
});

describe("marker lexicon", () => {
  const counter = createMarkerCounter(SBT_MARKERS);
  it("has the 26 SBT markers", () => {
    assert.equal(SBT_MARKERS.length, 26);
  });
  it("matches whole words, case-insensitively, longest first", () => {
    assert.deepEqual(counter.count("Wait, let me just double-check. WAIT. Maybe I should consider x."), { markers: 4, markerWords: 1 + 5 + 1 + 4, words: 12 });
    assert.deepEqual(counter.count("awaiting a checkup; butter"), { markers: 0, markerWords: 0, words: 4 });
    assert.deepEqual(counter.count("Hmmm and hmm"), { markers: 2, markerWords: 2, words: 3 });
  });
  it("accepts a custom list", () => {
    assert.deepEqual(createMarkerCounter(["Oops"]).count("oops, wait"), { markers: 1, markerWords: 1, words: 2 });
    assert.deepEqual(createMarkerCounter([]).count("wait"), { markers: 0, markerWords: 0, words: 1 });
  });
});
