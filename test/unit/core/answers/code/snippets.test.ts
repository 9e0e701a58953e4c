import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCodeDrafts, readDraft, type CodeDraft } from "../../../../../src/core/answers/code";
import { findSnippetSpans } from "../../../../../src/core/answers/code/snippets";
import { must } from "../../../../harness/must";

/** The snippets found in one line of prose, as text. */
function spansIn(line: string): string[] {
  return findSnippetSpans(line).map((s) => line.slice(s.from, s.to));
}

const snippet = (code: string): CodeDraft => must(readDraft({ text: code, start: 0, form: "line" }), "a snippet");

describe("snippets inside prose", () => {
  it("finds a call chain with its arguments", () => {
    assert.deepEqual(spansIn("So the missing call is queue.push_back(item.clone()); after that we return."), ["queue.push_back(item.clone())"]);
  });

  it("takes an assignment and a declared type that cannot be English", () => {
    assert.deepEqual(spansIn("Maybe HashMap<String, Integer> index = new HashMap<>(); would be enough."), [
      "HashMap<String, Integer> index = new HashMap<>()",
    ]);
    assert.deepEqual(spansIn("so maybe total_ms = elapsed.count() * 1000 fits"), ["total_ms = elapsed.count() * 1000"]);
  });

  it("does not take an English word for a declared type", () => {
    assert.deepEqual(spansIn("Then push(item) adds it."), ["push(item)"]);
    assert.deepEqual(spansIn("So Then fetch(url) runs."), ["fetch(url)"]);
  });

  it("takes backticked code and leaves plain backticked words alone", () => {
    assert.deepEqual(spansIn("Use `df.dropna(axis=1)` rather than `dropna`."), ["df.dropna(axis=1)"]);
  });

  it("takes code operands after an operator, not English words", () => {
    assert.deepEqual(spansIn("It is stats.mean(xs) / TOTAL_COUNT overall."), ["stats.mean(xs) / TOTAL_COUNT"]);
    assert.deepEqual(spansIn("It is stats.mean(xs) - which is fine."), ["stats.mean(xs)"]);
  });

  it("a line that is code and nothing else is a whole-line snippet", () => {
    const spans = findSnippetSpans("    mpz_class seed(time(nullptr));  // seed from the clock");
    assert.equal(spans.length, 1);
    assert.equal(must(spans[0], "span").wholeLine, true);
    const plain = findSnippetSpans("weights = np.ones((n, 1)) / n");
    assert.equal(must(plain[0], "span").wholeLine, true);
    assert.equal(must(findSnippetSpans("i = width // 2")[0], "span").wholeLine, true);
    assert.deepEqual(findSnippetSpans("x = 5"), []);
  });
});

describe("snippet drafts in the thinking", () => {
  it("groups consecutive code lines, across single blank lines, into one line draft", () => {
    const thinking = [
      "The missing lines should be:",
      "",
      "lo = bisect.bisect_left(keys, start)",
      "",
      "hi = bisect.bisect_right(keys, end)",
      "return values[lo:hi]",
      "",
      "That returns the slice.",
    ].join("\n");
    const lines = findCodeDrafts(thinking).filter((d) => d.form === "line");
    assert.equal(lines.length, 1);
    const d = must(lines[0], "the group");
    assert.equal(thinking.slice(d.start, d.end), "lo = bisect.bisect_left(keys, start)\n\nhi = bisect.bisect_right(keys, end)\nreturn values[lo:hi]");
  });

  it("joins a Python block header with its indented lines", () => {
    const thinking = "So:\n\nfor i, row in enumerate(grid):\n    totals[i] = sum(row)\n\nDone.";
    const d = must(findCodeDrafts(thinking).find((x) => x.form === "line"), "the group");
    assert.equal(d.language, "python");
    assert.equal(d.complete, true);
    assert.equal(d.text, "for i, row in enumerate(grid):\n    totals[i] = sum(row)");
  });

  it("a snippet's key ignores spacing, a trailing ; or , and comments", () => {
    assert.equal(snippet("sm.OLS(y_train, X_train)").key, snippet("sm.OLS( y_train,X_train );  // fit").key);
    assert.equal(snippet("percentile(times, 95.0d),").key, snippet("percentile(times, 95.0d)").key);
    assert.notEqual(snippet("percentile(times, 99.0d)").key, snippet("percentile(times, 95.0d)").key);
  });

  it("// in Python-like code divides; in words it comments", () => {
    assert.notEqual(snippet("mid = lo + (hi - lo) // 2").key, snippet("mid = lo + (hi - lo)").key);
    assert.equal(snippet("mid = lo + (hi - lo); // the middle").key, snippet("mid = lo + (hi - lo)").key);
  });

  it("the subject is the assigned name, else the call", () => {
    assert.equal(snippet("self.mask = rng.binomial(1, p, shape)").subject, "self.mask");
    assert.equal(snippet("Gson gson = new Gson()").subject, "gson");
    assert.equal(snippet("StatUtils.percentile(xs, 50.0)").subject, "StatUtils.percentile");
    assert.equal(snippet("boost::regex expr(\"a+\")").subject, "expr");
  });

  it("snippets can be switched off", () => {
    assert.deepEqual(findCodeDrafts("call foo.bar(1) now", { snippets: false }), []);
  });
});
