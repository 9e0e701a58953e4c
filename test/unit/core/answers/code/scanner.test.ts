import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CodeDraftScanner, findCodeDraftsIn, type CodeDraft } from "../../../../../src/core/answers/code";

const THINKING = [
  "We need the running maximum.",
  "",
  "def running_max(xs):",
  "    out, best = [], float('-inf')",
  "",
  "    for x in xs:",
  "        best = max(best, x)",
  "        out.append(best)",
  "    return out",
  "",
  "Let me trace [3, 1, 4]: best goes 3, 3, 4, so out = [3, 3, 4]. Wait, what about an empty list? It returns [].",
  "",
  "```javascript",
  "function runningMax(xs) {",
  "  const out = [];",
  "",
  "  let best = -Infinity;",
  "  for (const x of xs) { best = Math.max(best, x); out.push(best); }",
  "  return out;",
  "}",
  "```",
  "",
  "In C++ the call would be std::partial_sum(v.begin(), v.end(), out.begin(), max_of); fine.",
  "",
  "def running_max(xs):",
  "    # same thing, restated",
  "    out, best = [], float(\"-inf\")",
  "    for x in xs:",
  "        best = max(best, x)",
  "        out.append(best)",
  "    return out",
].join("\n");

const describeDraft = (d: CodeDraft): string => `${d.form}:${d.start}-${d.end}:${d.key}`;

/** Pushes `text` in pieces of the given sizes (cycled) and collects the drafts. */
function streamed(text: string, sizes: readonly number[]): string[] {
  const scanner = new CodeDraftScanner();
  const out: string[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = sizes[k++ % sizes.length] ?? 1;
    out.push(...scanner.push(text.slice(i, i + n)).map(describeDraft));
    i += n;
  }
  out.push(...scanner.finish().map(describeDraft));
  return out;
}

describe("the streaming scanner", () => {
  it("finds the same drafts, at the same offsets, for any chunking", () => {
    const whole = findCodeDraftsIn(THINKING).map(describeDraft);
    assert.ok(whole.length >= 4, `found ${whole.length}`);
    for (const sizes of [[1], [2], [3], [7, 1, 13], [64], [100000]]) {
      assert.deepEqual(streamed(THINKING, sizes), whole, `sizes ${sizes.join(",")}`);
    }
  });

  it("the restated Python function has the first one's key; the JavaScript one is its own", () => {
    const drafts = findCodeDraftsIn(THINKING).filter((d) => d.definitions.length > 0);
    assert.deepEqual(
      drafts.map((d) => d.names[0]),
      ["running_max", "runningMax", "running_max"],
    );
    const [first, js, again] = drafts;
    assert.equal(first?.key, again?.key);
    assert.notEqual(first?.key, js?.key);
    assert.equal(js?.language, "c-like");
  });

  it("reports an unfenced draft once the line after it is complete, and a fence when it closes", () => {
    const scanner = new CodeDraftScanner();
    assert.deepEqual(scanner.push("def f(x):\n    return x + 1\n\n"), []);
    assert.deepEqual(scanner.push("So f adds one"), []);
    const closed = scanner.push(".\n");
    assert.equal(closed.length, 1);
    assert.equal(closed[0]?.end, "def f(x):\n    return x + 1".length);
    assert.deepEqual(scanner.push("```python\ndef g():\n    return 2\n"), []);
    assert.equal(scanner.push("```\n").length, 1);
  });

  it("closes what is open at finish()", () => {
    const scanner = new CodeDraftScanner();
    scanner.push("```python\ndef g():\n    return 2");
    const drafts = scanner.finish();
    assert.equal(drafts.length, 1);
    assert.equal(drafts[0]?.complete, true);
  });

  it("findCodeDraftsIn gives absolute offsets from a starting point", () => {
    const prefix = "Some earlier thinking.\n\n";
    const text = `${prefix}def h(y):\n    return y * 2\n\nok`;
    const [d] = findCodeDraftsIn(text, prefix.length);
    assert.equal(text.slice(d?.start ?? 0, d?.end ?? 0), "def h(y):\n    return y * 2");
  });

  it("drops blocks past the size limits unread", () => {
    const body = Array.from({ length: 50 }, (_, i) => `    v${i} = ${i}`).join("\n");
    const text = `def big():\n${body}\n\nDone.`;
    assert.equal(findCodeDraftsIn(text, 0, { maxDraftLines: 20 }).filter((d) => d.definitions.length > 0).length, 0);
    assert.equal(findCodeDraftsIn(text).filter((d) => d.definitions.length > 0).length, 1);
  });

  it("handles hostile input in linear time", () => {
    const hostile: Record<string, string> = {
      "open brackets": "f(".repeat(100000),
      "close brackets": "a)".repeat(100000),
      "calls on one long line": "x = foo(a, b) + bar(c) and so on ".repeat(6000),
      "floor divisions": "a // b ".repeat(30000),
      quotes: "'\"`".repeat(40000),
      "an unclosed python body": "def f(x):\n" + "    y = (x +\n".repeat(20000),
      "an unclosed C body": "int f() {\n" + "  {\n".repeat(20000),
      "fence openers": "```python\n".repeat(20000),
      "code lines": "a_b = c // 2\n".repeat(20000),
      "block headers": "for i in range(n):\n".repeat(20000),
      "backticks": "`a(b)` ".repeat(30000),
      "generics": "a<".repeat(50000) + "(x)",
      "a long typed head": ("int " + "a ".repeat(3000) + "b(" + ")".repeat(2000) + "\n").repeat(10),
    };
    for (const [what, text] of Object.entries(hostile)) {
      const t0 = performance.now();
      findCodeDraftsIn(text);
      const ms = performance.now() - t0;
      assert.ok(ms < 3000, `${what}: ${ms.toFixed(0)} ms for ${text.length} characters`);
    }
  });

  it("reads deep nesting without overflowing the stack", () => {
    const nested = (n: number): string => `def f():\n    return ${"(".repeat(n)}1${")".repeat(n)}\n\nok`;
    const [d] = findCodeDraftsIn(nested(150));
    assert.equal(d?.complete, true);
    assert.deepEqual(d?.names, ["f"]);
    // CPython refuses more than 200 nested brackets; so does the parser here, well before 5,000
    const [deep] = findCodeDraftsIn(nested(5000));
    assert.equal(deep?.complete, false);
  });
});
