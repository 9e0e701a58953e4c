import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCodeDrafts, findCodeDraftsIn, readDraft, type CodeDraft } from "../../../../../src/core/answers/code";
import { parsePython } from "../../../../../src/core/answers/code/pythonParse";
import { must } from "../../../../harness/must";

/** The one draft `code` reads as when written unfenced. */
function draftOf(code: string): CodeDraft {
  return must(readDraft({ text: code, start: 0, form: "unfenced" }), "a draft");
}

const fence = (lang: string, code: string): string => "```" + lang + "\n" + code + "\n```";

const CHUNKED_SUM = [
  "def chunked_sum(values, size):",
  "    totals = []",
  "    for start in range(0, len(values), size):",
  "        totals.append(sum(values[start:start + size]))",
  "    return totals",
].join("\n");

describe("python drafts: finding them", () => {
  it("finds a fenced block with its language, names and offsets", () => {
    const thinking = `I will write it now.\n\n${fence("python", CHUNKED_SUM)}\n\nThat should do.`;
    const drafts = findCodeDrafts(thinking);
    assert.equal(drafts.length, 1);
    const d = must(drafts[0], "the draft");
    assert.equal(d.form, "fenced");
    assert.equal(d.language, "python");
    assert.deepEqual(d.names, ["chunked_sum"]);
    assert.equal(d.complete, true);
    assert.equal(thinking.slice(d.start, d.end), CHUNKED_SUM);
  });

  it("finds unfenced code that starts at column 0 and ends at the first line of prose", () => {
    const thinking = `So the function is:\n\n${CHUNKED_SUM}\n\nLet me trace it on [1, 2, 3] with size 2.`;
    const d = must(findCodeDrafts(thinking)[0], "the draft");
    assert.equal(d.form, "unfenced");
    assert.equal(thinking.slice(d.start, d.end), CHUNKED_SUM);
    assert.deepEqual(d.names, ["chunked_sum"]);
  });

  it("keeps a definition whose body has blank lines in it as one draft (it spans steps)", () => {
    const code = [
      "def normalise(rows):",
      "    cleaned = [r.strip() for r in rows]",
      "",
      "    cleaned = [r for r in cleaned if r]",
      "",
      "",
      "    return sorted(set(cleaned))",
    ].join("\n");
    const thinking = `Draft:\n\n${code}\n\nNow check the empty case.`;
    const drafts = findCodeDraftsIn(thinking).filter((d) => d.definitions.length > 0);
    assert.equal(drafts.length, 1);
    assert.equal(thinking.slice(must(drafts[0], "draft").start, must(drafts[0], "draft").end), code);
  });

  it("keeps a fenced block with blank lines whole", () => {
    const code = "import math\n\n\ndef area(r):\n\n    return math.pi * r ** 2";
    const d = must(findCodeDrafts(fence("py", code))[0], "the draft");
    assert.equal(d.text, code);
    assert.deepEqual(d.names, ["area"]);
  });

  it("reads decorators, classes with methods, nested functions and async definitions", () => {
    const code = [
      "import functools",
      "",
      "@functools.lru_cache(maxsize=None)",
      "def ways(n):",
      "    def step(k):",
      "        return ways(k) if k >= 0 else 0",
      "    return 1 if n == 0 else step(n - 1) + step(n - 2)",
      "",
      "class Counter:",
      "    def __init__(self):",
      "        self.n = 0",
      "",
      "    def bump(self, by=1):",
      "        self.n += by",
      "        return self.n",
      "",
      "async def fetch_all(urls):",
      "    return [await get(u) for u in urls]",
    ].join("\n");
    const d = must(findCodeDrafts(code)[0], "the draft");
    assert.deepEqual(d.names, ["ways", "Counter", "fetch_all"]);
    assert.deepEqual(
      d.definitions.map((x) => x.kind),
      ["function", "class", "function"],
    );
    assert.equal(d.complete, true);
  });

  it("reads a thinking that is indented as a whole relative to its indentation", () => {
    const indented = CHUNKED_SUM.split("\n").map((l) => `        ${l}`).join("\n");
    const thinking = `        So the code is:\n\n${indented}\n\n        Wait, is size ever 0?`;
    const d = must(findCodeDrafts(thinking).find((x) => x.definitions.length > 0), "the draft");
    assert.equal(d.key, draftOf(CHUNKED_SUM).key);
  });

  it("splits a run that defines the same function twice into two drafts", () => {
    const second = CHUNKED_SUM.replace("return totals", "return totals or [0]");
    const drafts = findCodeDrafts(`${CHUNKED_SUM}\n\n# better:\n${second}\n\nDone.`).filter((d) => d.definitions.length > 0);
    assert.equal(drafts.length, 2);
    assert.equal(must(drafts[0], "first").key, draftOf(CHUNKED_SUM).key);
    assert.equal(must(drafts[1], "second").key, draftOf(second).key);
  });
});

describe("python drafts: completeness", () => {
  it("a block cut mid-body is not complete", () => {
    for (const cut of [
      "def total(xs):\n    s = 0\n    for x in xs:",
      "def total(xs):\n    return sum(\n        x for x in xs",
      "class Stack:\n    def push(self, item):",
      "def total(xs:",
    ]) {
      const d = must(findCodeDrafts(fence("python", cut))[0], "the draft");
      assert.equal(d.complete, false, cut);
    }
  });

  it("an unfenced run cut mid-body and followed by prose is not complete", () => {
    const d = must(findCodeDrafts("def total(xs):\n    s = 0\n    for x in xs:\nHmm, wait.")[0], "the draft");
    assert.equal(d.complete, false);
    assert.deepEqual(d.names, ["total"]);
  });

  it("drops a broken trailing top-level line but never cuts into a body", () => {
    const thinking = `${CHUNKED_SUM}\n\nfrom helpers import (\n\nThat import is not needed.`;
    const d = must(findCodeDrafts(thinking).find((x) => x.definitions.length > 0), "the draft");
    assert.equal(d.complete, true);
    assert.equal(d.text, CHUNKED_SUM);
  });

  it("a try without except or finally does not parse (lezer accepts it, CPython does not)", () => {
    assert.equal(parsePython("try:\n    x = 1\n").parses, false);
    assert.equal(parsePython("try:\n    x = 1\nexcept ValueError:\n    x = 2\n").parses, true);
    assert.equal(parsePython('print "old style"\n').parses, false);
  });
});

describe("python drafts: cosmetic restatements have the same key", () => {
  const base = draftOf(CHUNKED_SUM);
  const restatements: Record<string, string> = {
    comments: CHUNKED_SUM.replace("    totals = []", "    totals = []  # one total per chunk\n    # walk the chunks"),
    docstring: CHUNKED_SUM.replace("    totals = []", '    """Sum each chunk of `size` values."""\n    totals = []'),
    "blank lines and trailing spaces": CHUNKED_SUM.split("\n").join("   \n\n"),
    "indentation width": CHUNKED_SUM.replace(/^( {4})+/gm, (m) => "  ".repeat(m.length / 4)),
    tabs: CHUNKED_SUM.replace(/^( {4})+/gm, (m) => "\t".repeat(m.length / 4)),
    "a line continuation": CHUNKED_SUM.replace("    return totals", "    return \\\n        totals"),
  };
  for (const [what, code] of Object.entries(restatements)) {
    it(what, () => assert.equal(draftOf(code).key, base.key));
  }

  it("quote style, escaped quotes and string prefixes", () => {
    const a = draftOf(`def greet(name):\n    return 'it\\'s ' + name + u"!"`);
    const b = draftOf(`def greet(name):\n    return "it's " + name + '!'`);
    const c = draftOf(`def greet(name):\n    return """it's """ + name + "!"`);
    assert.equal(a.key, b.key);
    assert.equal(b.key, c.key);
  });

  it("an unknown escape and its doubled backslash are the same string, as in Python", () => {
    const a = draftOf("def pattern(k):\n    return k.replace('\\*', '.*')");
    const b = draftOf("def pattern(k):\n    return k.replace('\\\\*', '.*')");
    const raw = draftOf("def pattern(k):\n    return k.replace(r'\\*', '.*')");
    assert.equal(a.key, b.key);
    assert.equal(a.key, raw.key);
  });

  it("a docstring-only body equals pass; statements joined by ; equal separate lines", () => {
    assert.equal(draftOf('def todo():\n    """Later."""').key, draftOf("def todo():\n    pass").key);
    assert.equal(draftOf("def swap(a, b):\n    t = a; a = b; b = t\n    return a, b").key, draftOf("def swap(a, b):\n    t = a\n    a = b\n    b = t\n    return a, b").key);
  });

  it("imports and example calls around the definitions do not change the key", () => {
    const withExtras = `import itertools\n\n${CHUNKED_SUM}\n\nprint(chunked_sum([1, 2, 3], 2))`;
    assert.equal(draftOf(withExtras).key, base.key);
  });

  it("the order of definitions does not change the key", () => {
    const helper = "def half(n):\n    return n // 2";
    assert.equal(draftOf(`${helper}\n\n${CHUNKED_SUM}`).key, draftOf(`${CHUNKED_SUM}\n\n${helper}`).key);
  });
});

describe("python drafts: real changes have a different key", () => {
  const base = draftOf(CHUNKED_SUM).key;
  const revisions: Record<string, string> = {
    "an operator": CHUNKED_SUM.replace("start + size", "start + size - 1"),
    "a literal": CHUNKED_SUM.replace("range(0,", "range(1,"),
    "a name": CHUNKED_SUM.replace("totals.append", "results.append"),
    "a string's content": CHUNKED_SUM.replace("totals = []", "totals = ['x']"),
    "a statement moved out of the loop": CHUNKED_SUM.replace("        totals.append", "    totals.append"),
    "a guard added": CHUNKED_SUM.replace("    totals = []", "    if size <= 0:\n        return []\n    totals = []"),
  };
  for (const [what, code] of Object.entries(revisions)) {
    it(what, () => assert.notEqual(draftOf(code).key, base));
  }

  it("a decorator added", () => {
    assert.notEqual(draftOf(`@staticmethod\n${CHUNKED_SUM}`).key, base);
  });
});
