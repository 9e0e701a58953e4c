import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { minimalEdit } from "../../../../src/extension/codeActions/minimalEdit";

function apply(before: string, after: string): string {
  const edit = minimalEdit(before, after);
  return before.slice(0, edit.start) + edit.text + before.slice(edit.end);
}

describe("minimalEdit", () => {
  it("replaces only the part that differs", () => {
    assert.deepEqual(minimalEdit("a\nb\nc\n", "a\nB\nc\n"), { start: 2, end: 3, text: "B" });
    assert.deepEqual(minimalEdit("same", "same"), { start: 4, end: 4, text: "" });
  });

  it("handles insertions, deletions and repeated text", () => {
    for (const [before, after] of [["abc", "abXc"], ["abXc", "abc"], ["aaa", "aaaa"], ["", "new"], ["old", ""], ["x\n\n", "x\n\n\n"]] as const) {
      assert.equal(apply(before, after), after, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
  });

  it("never splits a CRLF or a surrogate pair", () => {
    const crlf = minimalEdit("a\r\nb", "a\nb");
    assert.equal(apply("a\r\nb", "a\nb"), "a\nb");
    assert.ok(crlf.start <= 1, JSON.stringify(crlf));
    const emoji = minimalEdit("x\u{1F600}", "x\u{1F601}");
    assert.equal(emoji.start, 1);
    assert.equal(emoji.text, "\u{1F601}");
  });
});
