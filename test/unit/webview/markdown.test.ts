/**
 * The chat's rendered answers and thinking in jsdom: math for every delimiter kind and a bare
 * \boxed, currency kept as text, malformed TeX shown as its source, highlighted code blocks with
 * their toolbar, tables, links.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { must } from "../../harness/must";
import type * as Markdown from "../../../src/webview/markdown";
import { installDom, mount } from "./domEnvironment";

// a type-only import (erased): the module itself is imported once the DOM is installed
let render: typeof Markdown;

before(async () => {
  installDom();
  render = await import("../../../src/webview/markdown");
});

const answer = (text: string): HTMLElement => mount(render.renderMarkdown(text));
const thinking = (text: string): HTMLElement => mount(render.renderThinkingText(text));

/** The visible text of the typeset formulas (KaTeX's HTML part, not its MathML copy). */
function typesetText(root: HTMLElement): string[] {
  // without KaTeX's zero-width spaces (struts for Safari)
  return [...root.querySelectorAll(".katex-html")].map((k) => (k.textContent ?? "").replace(/\u200b/g, ""));
}

const DELIMITERS: readonly (readonly [string, string, boolean])[] = [
  ["$…$", "The square is $x^2$.", false],
  ["$$…$$", "Speed: $$\\frac{120}{1.5}$$", true],
  ["\\(…\\)", "Sum \\(a+b\\) here.", false],
  ["\\[…\\]", "Then \\[c=d\\] holds.", true],
  ["bare \\boxed{…}", "So the answer is \\boxed{80}.", false],
];

for (const [surface, renderText] of [
  ["the answer", answer],
  ["the thinking", thinking],
] as const) {
  describe(`math in ${surface} (webview)`, () => {
    for (const [kind, text, display] of DELIMITERS) {
      it(`typesets ${kind}`, () => {
        const root = renderText(text);
        assert.equal(root.querySelectorAll(".katex").length, 1, root.innerHTML);
        // in the answer display math is a block; the thinking keeps every formula inline
        assert.equal(root.querySelectorAll(".katex-display").length, display && surface === "the answer" ? 1 : 0);
        assert.ok(!(root.textContent ?? "").includes(text.match(/[$\\][^ ]*/)![0]), "the delimiters are not shown as text");
      });
    }

    it("keeps \\boxed{80}'s 80 inside the box", () => {
      const root = renderText("Final: \\boxed{80}");
      const box = must(root.querySelector(".katex .fbox, .katex .boxpad"), "KaTeX's box");
      assert.ok(box);
      assert.deepEqual(typesetText(root), ["80"]);
    });

    it("keeps currency as text", () => {
      const root = renderText("It costs $5 and $10, or US$7.");
      assert.equal(root.querySelectorAll(".katex").length, 0);
      assert.match(root.textContent ?? "", /It costs \$5 and \$10, or US\$7\./);
    });

    it("shows malformed TeX as its source text", () => {
      for (const source of ["$\\frac{1$", "\\[ \\left( \\]", "$\\undefinedmacro{x}$"]) {
        const root = renderText(`before ${source} after`);
        assert.equal(root.querySelectorAll(".katex").length, 0, source);
        assert.equal(root.textContent?.trim(), `before ${source} after`);
      }
    });
  });
}

describe("math and code in the answer (webview)", () => {
  it("reads nothing inside code spans and code blocks as math", () => {
    const root = answer("`$x$` and `\\boxed{1}`\n\n```\n$y$ \\(z\\)\n```\n\n    $$w$$");
    assert.equal(root.querySelectorAll(".katex").length, 0);
    assert.equal(root.querySelector("p code")?.textContent, "$x$");
    assert.deepEqual([...root.querySelectorAll("pre > code")].map((c) => c.textContent), ["$y$ \\(z\\)", "$$w$$"]);
  });

  it("typesets a display block over several lines, and one that interrupts a paragraph", () => {
    const root = answer("The integral:\n$$\n\\int_0^1 x\\,dx\n= \\frac12\n$$\nand more.");
    const block = must(root.querySelector("div.math-display"), "display block");
    assert.ok(block.querySelector(".katex-display"));
    assert.match(root.textContent ?? "", /and more\./);
  });

  it("keeps markdown around math: emphasis inside a formula is TeX, outside it is markdown", () => {
    const root = answer("*bold* $a_1 * b_2 * c$ _x_");
    assert.equal(root.querySelectorAll(".katex").length, 1);
    assert.equal(root.querySelectorAll("em").length, 2);
  });

  it("an escaped dollar is a dollar", () => {
    const root = answer("\\$5 and \\$x\\$");
    assert.equal(root.querySelectorAll(".katex").length, 0);
    assert.equal(root.textContent?.trim(), "$5 and $x$");
  });

  it("leaves no placeholder data in the DOM", () => {
    const root = answer("$x$ $$y$$ $\\frac{1$\n\n```python\nx = 1\n```");
    assert.equal(root.querySelectorAll("[data-math], [data-code]").length, 0);
  });
});

/** The code-block contract the page's click handler relies on. */
function assertCodeBlock(block: Element, language: string, code: string): void {
  assert.equal(block.tagName, "DIV");
  assert.equal(block.className, "code-block");
  assert.equal(block.getAttribute("data-lang"), language);
  const [toolbar, pre] = [...block.children];
  assert.equal(toolbar?.className, "code-toolbar");
  assert.equal(pre?.tagName, "PRE");
  const label = must(toolbar.querySelector(":scope > span.code-lang"), "language label");
  assert.equal(label.textContent, language);
  const buttons = [...toolbar.querySelectorAll(":scope > button")];
  assert.deepEqual(
    buttons.map((b) => [b.getAttribute("type"), b.getAttribute("data-action"), b.getAttribute("data-code-action"), b.textContent]),
    [
      ["button", "codeAction", "copy", "Copy"],
      ["button", "codeAction", "insert", "Insert"],
      ["button", "codeAction", "apply", "Apply"],
      ["button", "codeAction", "newFile", "New File"],
    ],
  );
  for (const b of buttons) {
    assert.ok((b.getAttribute("title") ?? "") !== "" && (b.getAttribute("aria-label") ?? "") !== "");
  }
  const codeElement = must(pre.querySelector(":scope > code"), "pre > code");
  assert.equal(codeElement.textContent, code);
}

describe("code blocks in the answer (webview)", () => {
  const PYTHON = 'def merge(a, b):\n    """Merge."""\n    return sorted(a + b)  # simple\n\n\nprint(merge([1], [2]))';
  const TYPESCRIPT = "export function twice(x: number): number {\n  const y = x * 2;\n  return y;\n}\n";

  it("highlights python and keeps the block's DOM contract, code exactly as fenced", () => {
    const root = answer(`Here:\n\n\`\`\`python\n${PYTHON}\n\`\`\``);
    const block = must(root.querySelector(".code-block"), "code block");
    assertCodeBlock(block, "python", PYTHON);
    const code = must(block.querySelector("pre > code"), "code");
    assert.equal(code.className, "hljs language-python");
    for (const cls of ["hljs-keyword", "hljs-string", "hljs-comment"]) assert.ok(code.querySelector(`.${cls}`), cls);
    assert.equal(code.querySelector(".hljs-keyword")?.textContent, "def");
  });

  it("highlights typescript, and the final newline inside the fence is kept", () => {
    const root = answer(`\`\`\`ts\n${TYPESCRIPT}\n\`\`\``);
    const block = must(root.querySelector(".code-block"), "code block");
    assertCodeBlock(block, "ts", TYPESCRIPT);
    const code = must(block.querySelector("pre > code"), "code");
    assert.equal(code.className, "hljs language-ts");
    assert.ok(code.querySelector(".hljs-keyword"));
    assert.ok(code.querySelector(".hljs-built_in, .hljs-type"), "number is a type");
    // only spans with highlight.js classes inside the code
    for (const element of code.querySelectorAll("*")) {
      assert.equal(element.tagName, "SPAN");
      assert.equal(element.attributes.length, 1);
      for (const token of element.classList) assert.match(token, /^hljs-|^[a-z]+_+$/);
    }
  });

  it("highlights the common languages and their aliases", () => {
    for (const language of ["python", "py", "javascript", "js", "typescript", "json", "bash", "sh", "shell", "c", "cpp", "c++", "csharp", "java", "go", "rust", "sql", "yaml", "xml", "html", "css", "markdown", "diff"]) {
      const root = answer(`\`\`\`${language}\nx\n\`\`\``);
      assert.match(root.querySelector("pre > code")?.className ?? "", /^hljs language-/, language);
    }
  });

  it("an unknown language or none: plain text, the label empty for none, the buttons kept", () => {
    const unknown = answer("```brainfuck\n+[--->++<]>+.\n```");
    const block = must(unknown.querySelector(".code-block"), "code block");
    assertCodeBlock(block, "brainfuck", "+[--->++<]>+.");
    assert.equal(block.querySelector("pre > code")?.className, "");
    assert.equal(block.querySelectorAll("pre span").length, 0);

    const none = answer("```\nplain <b>text</b>\n```");
    assertCodeBlock(must(none.querySelector(".code-block"), "code block"), "", "plain <b>text</b>");
    assert.equal(none.querySelectorAll("b").length, 0);
  });

  it("an indented code block gets the same block, without a language", () => {
    const root = answer("Text\n\n    x = 1\n    y = 2\n");
    assertCodeBlock(must(root.querySelector(".code-block"), "code block"), "", "x = 1\ny = 2");
  });

  it("code that highlight.js would break is shown as it is (HTML in code)", () => {
    const code = "<script>alert('x')</script>\n<div class=\"a\">&amp;</div>";
    const root = answer(`\`\`\`html\n${code}\n\`\`\``);
    assertCodeBlock(must(root.querySelector(".code-block"), "code block"), "html", code);
    assert.equal(root.querySelectorAll("script, div.a").length, 0);
  });
});

describe("tables, links and images in the answer (webview)", () => {
  it("renders a table with its header, cells and alignment classes (no inline style)", () => {
    const root = answer("| Quantity | Value |\n|:---|---:|\n| distance | 120 km |\n| time | $1.5$ h |");
    const table = must(root.querySelector("table"), "table");
    assert.deepEqual([...table.querySelectorAll("th")].map((c) => c.textContent), ["Quantity", "Value"]);
    const cells = [...table.querySelectorAll("tbody tr")].map((row) => [...row.querySelectorAll("td")]);
    assert.deepEqual(cells.map((row) => row.length), [2, 2]);
    assert.deepEqual([cells[0]![0]!.textContent, cells[0]![1]!.textContent, cells[1]![0]!.textContent], ["distance", "120 km", "time"]);
    assert.ok(cells[1]![1]!.querySelector(".katex"), "math in a cell");
    assert.deepEqual([...table.querySelectorAll("th")].map((c) => c.className), ["align-left", "align-right"]);
    assert.equal(table.querySelectorAll("[style]").length - table.querySelectorAll(".katex [style]").length, 0);
  });

  it("keeps http(s) links with rel=noopener and a title, drops other addresses and images", () => {
    const root = answer("[site](https://example.com/a) <http://example.org> https://example.net/b [mail](mailto:a@b.c) ![img](https://example.com/x.png)");
    const links = [...root.querySelectorAll("a")];
    assert.deepEqual(
      links.filter((a) => a.hasAttribute("href")).map((a) => a.getAttribute("href")),
      ["https://example.com/a", "http://example.org", "https://example.net/b"],
    );
    for (const a of links) assert.equal(a.getAttribute("rel"), "noopener noreferrer");
    for (const a of links.filter((l) => l.hasAttribute("href"))) assert.equal(a.getAttribute("title"), a.getAttribute("href"));
    assert.equal(root.querySelectorAll("img").length, 0);
  });

  it("drops classes and ids that markdown could not have made", () => {
    const root = answer("# Title {#id .cls}\n\ntext");
    assert.equal(root.querySelectorAll("[id]").length, 0);
  });
});

describe("the thinking (webview)", () => {
  it("is plain text: markdown stays as written, only math is typeset", () => {
    const text = "**not bold** and # not a heading\n$x^2$ then `$y$`";
    const root = thinking(text);
    assert.equal(root.querySelectorAll("strong, h1, code").length, 0);
    assert.equal(root.querySelectorAll(".katex").length, 1);
    assert.equal(root.querySelectorAll("span.math-inline").length, 1);
    assert.match(root.textContent ?? "", /^\*\*not bold\*\* and # not a heading\n/);
    assert.match(root.textContent ?? "", /then `\$y\$`$/);
  });
});
