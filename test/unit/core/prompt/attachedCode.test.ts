import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attachmentHeading, composeQuestion, fencedAttachment } from "../../../../src/core/prompt/attachedCode";
import type { AttachedCode } from "../../../../src/core/prompt/attachedCode";

const selection: AttachedCode = { kind: "selection", label: "src/merge.py", language: "python", startLine: 10, endLine: 12, text: "def merge(a, b):\n    return sorted(a + b)\n" };
const file: AttachedCode = { kind: "file", label: "README.md", language: "markdown", startLine: 1, endLine: 3, text: "# Title\n```js\nx()\n```" };

describe("attached code in the prompt", () => {
  it("heads a selection with its path and line range, a file with its path", () => {
    assert.equal(attachmentHeading(selection), "src/merge.py (lines 10–12)");
    assert.equal(attachmentHeading({ ...selection, endLine: 10 }), "src/merge.py (line 10)");
    assert.equal(attachmentHeading(file), "README.md");
  });

  it("fences the code with its language, closing on a line of its own", () => {
    assert.equal(fencedAttachment(selection), "src/merge.py (lines 10–12):\n```python\ndef merge(a, b):\n    return sorted(a + b)\n```");
  });

  it("uses a fence longer than any backtick run inside the code, so the code cannot end it", () => {
    const text = fencedAttachment(file);
    assert.ok(text.startsWith("README.md:\n````markdown\n"));
    assert.ok(text.endsWith("\n````"));
    assert.equal(text.split("\n").filter((l) => l === "````").length, 1);
  });

  it("puts the attachments first, in order, then the question; no attachment leaves the question as it is", () => {
    assert.equal(composeQuestion("Why?", []), "Why?");
    const composed = composeQuestion("Does merge keep duplicates?", [selection, file]);
    assert.ok(composed.indexOf("src/merge.py") < composed.indexOf("README.md"));
    assert.ok(composed.endsWith("\n\nDoes merge keep duplicates?"));
    assert.ok(composed.includes("    return sorted(a + b)\n```\n\nREADME.md:"));
  });
});
