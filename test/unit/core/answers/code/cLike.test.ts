import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCodeDrafts, readDraft, type CodeDraft } from "../../../../../src/core/answers/code";
import { must } from "../../../../harness/must";

const fence = (lang: string, code: string): string => "```" + lang + "\n" + code + "\n```";

function fenced(lang: string, code: string): CodeDraft {
  return must(findCodeDrafts(fence(lang, code))[0], `a ${lang} draft`);
}

const CPP = [
  "#include <vector>",
  "",
  "int longest_run(const std::vector<int>& v) {",
  "    int best = 0, cur = 0;",
  "    for (size_t i = 0; i < v.size(); ++i) {",
  "        cur = (i > 0 && v[i] == v[i - 1]) ? cur + 1 : 1;",
  "        best = std::max(best, cur);",
  "    }",
  "    return best;",
  "}",
].join("\n");

const JAVA = [
  "public class Inventory {",
  "    private final Map<String, Integer> counts = new HashMap<>();",
  "",
  "    public void add(String item, int n) {",
  "        counts.merge(item, n, Integer::sum);",
  "    }",
  "",
  "    public int count(String item) {",
  '        return counts.getOrDefault(item, 0);',
  "    }",
  "}",
].join("\n");

const TS = [
  "export function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {",
  "  const seen = new Set<string>();",
  "  return items.filter((t) => {",
  "    const k = key(t);",
  "    if (seen.has(k)) return false;",
  "    seen.add(k);",
  "    return true;",
  "  });",
  "}",
].join("\n");

const JS_ARROW = "const clamp = (x, lo, hi) => {\n  return Math.min(hi, Math.max(lo, x));\n};";

const GO = [
  "func (q *Queue) Pop() (int, bool) {",
  "\tif len(q.items) == 0 {",
  "\t\treturn 0, false",
  "\t}",
  "\tv := q.items[0]",
  "\tq.items = q.items[1:]",
  "\treturn v, true",
  "}",
].join("\n");

const RUST = [
  "pub fn parse_pair(s: &str) -> Option<(i32, i32)> {",
  "    let (a, b) = s.split_once(',')?;",
  '    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))',
  "}",
  "",
  "impl Display for Point {",
  "    fn fmt(&self, f: &mut Formatter) -> fmt::Result {",
  '        write!(f, "({}, {})", self.x, self.y)',
  "    }",
  "}",
].join("\n");

describe("C-like drafts: names and completeness", () => {
  const cases: Array<[string, string, string[]]> = [
    ["cpp", CPP, ["longest_run"]],
    ["java", JAVA, ["Inventory"]],
    ["ts", TS, ["dedupe"]],
    ["js", JS_ARROW, ["clamp"]],
    ["go", GO, ["Pop"]],
    ["rust", RUST, ["parse_pair", "Point"]],
  ];
  for (const [lang, code, names] of cases) {
    it(`${lang}: fenced`, () => {
      const d = fenced(lang, code);
      assert.equal(d.language, "c-like");
      assert.deepEqual(d.names, names);
      assert.equal(d.complete, true);
    });
    it(`${lang}: unfenced in prose`, () => {
      const thinking = `Here is my attempt.\n\n${code}\n\nNow let me test it on a small input.`;
      const d = must(findCodeDrafts(thinking).find((x) => x.definitions.length > 0), "the draft");
      assert.equal(d.form, "unfenced");
      assert.deepEqual(d.names, names);
      assert.equal(d.complete, true);
      assert.equal(d.key, fenced(lang, code).key);
    });
  }

  it("a brace on its own line (Allman style) still opens the body", () => {
    const code = "static int Twice(int x)\n{\n    return 2 * x;\n}";
    const d = must(findCodeDrafts(`${code}\n\nThat doubles.`)[0], "the draft");
    assert.deepEqual(d.names, ["Twice"]);
    assert.equal(d.complete, true);
  });

  it("a body cut off is not complete, fenced or not", () => {
    const cut = CPP.split("\n").slice(0, 7).join("\n");
    assert.equal(fenced("cpp", cut).complete, false);
    const d = must(findCodeDrafts(`${cut}\nWait, I should handle an empty vector first.`)[0], "the draft");
    assert.equal(d.complete, false);
  });

  it("a prose line at the head's indentation ends an unclosed body", () => {
    const thinking = "int f(int x) {\n    return x +\nHmm, that is not right at all.\n\nint f(int x) {\n    return x + 1;\n}\n\nGood.";
    const drafts = findCodeDrafts(thinking);
    assert.deepEqual(
      drafts.filter((d) => d.definitions.length > 0).map((d) => d.complete),
      [false, true],
    );
  });

  it("control statements at the top level are not definitions", () => {
    const d = must(readDraft({ text: "if (x > 0) {\n  y = 1;\n}", start: 0, form: "fenced", language: "c-like" }), "a draft");
    assert.deepEqual(d.names, []);
  });
});

describe("C-like drafts: cosmetic restatements and revisions", () => {
  it("comments, whitespace and indentation do not change the key", () => {
    const base = fenced("cpp", CPP).key;
    const cosmetic = CPP.replace("    int best = 0, cur = 0;", "  int best=0,cur=0; // running counts\n  /* scan once */")
      .replace(/^ {8}/gm, "\t\t");
    assert.equal(fenced("cpp", cosmetic).key, base);
    assert.equal(fenced("java", JAVA.replace(/\n\n/g, "\n").replace("{\n", "{ // holds counts\n")).key, fenced("java", JAVA).key);
  });

  it("JavaScript strings in either quote are the same; a one-character char literal keeps its quotes", () => {
    const a = fenced("js", "function hello(n) {\n  return 'hi ' + n;\n}");
    const b = fenced("js", 'function hello(n) {\n  return "hi " + n;\n}');
    assert.equal(a.key, b.key);
    const c = fenced("cpp", "char sep() {\n  return ',';\n}");
    const s = fenced("cpp", 'const char* sep() {\n  return ",";\n}');
    assert.notEqual(c.key, s.key);
  });

  it("a changed body changes the key and keeps the names", () => {
    const base = fenced("go", GO);
    const changed = fenced("go", GO.replace("q.items[1:]", "q.items[:len(q.items)-1]"));
    assert.notEqual(changed.key, base.key);
    assert.deepEqual(changed.names, base.names);
    assert.notEqual(fenced("rust", RUST.replace("split_once(',')", "split_once(';')")).key, fenced("rust", RUST).key);
    assert.notEqual(fenced("ts", TS.replace("return false", "return true")).key, fenced("ts", TS).key);
  });

  it("the definitions of a class stay one definition; a struct's name is read", () => {
    const d = fenced("cpp", "struct Point {\n  int x, y;\n};\n\nint dot(Point a, Point b) { return a.x * b.x + a.y * b.y; }");
    assert.deepEqual(d.names, ["Point", "dot"]);
  });
});
