import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_FORMULAS } from "../../../src/webview/render/limits";
import { splitMath, texNesting } from "../../../src/webview/render/mathSyntax";

/** The formulas splitMath finds, as their source text. */
function formulas(text: string): string[] {
  return splitMath(text).flatMap((s) => (s.kind === "math" ? [s.source] : []));
}

describe("finding math in text (webview)", () => {
  it("finds each delimiter kind and a bare \\boxed, with display mode for $$ and \\[", () => {
    const segments = splitMath("a $x^2$ b $$\\frac{120}{1.5}$$ c \\(a+b\\) d \\[c=d\\] e \\boxed{80}.").filter((s) => s.kind === "math");
    assert.deepEqual(
      segments.map((s) => [s.tex, s.display]),
      [["x^2", false], ["\\frac{120}{1.5}", true], ["a+b", false], ["c=d", true], ["\\boxed{80}", false]],
    );
  });

  it("keeps currency as text", () => {
    assert.deepEqual(formulas("It costs $5 and $10."), []);
    assert.deepEqual(formulas("Between $5 and $10, or $7.50 and $8.00 with tax"), []);
    assert.deepEqual(formulas("$ x$ and $x $ are not math"), []);
    assert.deepEqual(formulas("US$5 and US$10, and $x$ is"), ["$x$"]);
  });

  it("does not read math inside code spans and fences, nor an escaped dollar", () => {
    assert.deepEqual(formulas("`$x$` and ``$y$`` and \\$z\\$"), []);
    assert.deepEqual(formulas("```python\nprint('$x$')\n```\nthen $y$"), ["$y$"]);
    assert.deepEqual(formulas("costs $10 `$y$`"), []);
  });

  it("balances the braces of \\boxed and leaves an unclosed one as text", () => {
    assert.deepEqual(formulas("\\boxed{\\text{80 km/h} {x}} done"), ["\\boxed{\\text{80 km/h} {x}}"]);
    assert.deepEqual(formulas("\\boxed{80 and more"), []);
  });

  it("leaves formulas after the limit as text", () => {
    assert.equal(formulas("$a$ ".repeat(MAX_FORMULAS + 10)).length, MAX_FORMULAS);
  });

  it("measures nesting through braces, \\left…\\right and \\begin…\\end, not through \\leftarrow", () => {
    assert.equal(texNesting("{a{b}}"), 2);
    assert.equal(texNesting("\\left( \\left[ x \\right] \\right)"), 2);
    assert.equal(texNesting("\\begin{matrix} a \\end{matrix}"), 2);
    assert.equal(texNesting("\\leftarrow \\leftarrow \\endash"), 0);
    assert.equal(texNesting("\\{ \\{ \\{"), 0);
  });

  it("scans a text of many unclosed openers in linear time", () => {
    const started = performance.now();
    for (const opener of ["\\( ", "$$", "\\[ ", "\\boxed{", "$a "]) splitMath(opener.repeat(100_000));
    assert.ok(performance.now() - started < 5_000, "hang guard");
  });
});
