/**
 * Hostile model output in the answer and the thinking: nothing scriptable, clickable to a
 * non-web address, framed, submitted or styled with a URL comes out, and every payload finishes
 * (a generous bound, only a guard against a hang; the times are printed as diagnostics).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { HOSTILE_MARKDOWN } from "./hostileMarkdown";
import type * as Markdown from "../../../src/webview/markdown";
import { installDom, mount } from "./domEnvironment";

// a type-only import (erased): the module itself is imported once the DOM is installed
let render: typeof Markdown;

before(async () => {
  installDom();
  render = await import("../../../src/webview/markdown");
});

const FORBIDDEN_ELEMENTS = "script, iframe, frame, object, embed, form, img, image, input, textarea, select, style, link, meta, base, foreignObject, use, animate, set";
/** Attributes whose values are text the page never interprets as an address (the fence language). */
const TEXT_ATTRIBUTES = new Set(["data-lang"]);
const HANG_GUARD_MS = 5_000;

/** Every way the rendered DOM could run script or leave the page, as readable problems. */
function problems(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll(FORBIDDEN_ELEMENTS)) found.push(`<${element.tagName.toLowerCase()}> element`);
  for (const element of root.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const { name, value } of element.attributes) {
      const lower = name.toLowerCase();
      if (lower.startsWith("on")) found.push(`${lower} attribute on <${tag}>`);
      if (/(^|:)href$|^src$|^action$|^formaction$|^srcdoc$|^xlink:/.test(lower) && !(tag === "a" && lower === "href" && /^https?:\/\//i.test(value))) {
        found.push(`${lower}="${value}" on <${tag}>`);
      }
      if (!TEXT_ATTRIBUTES.has(lower) && /javascript:|vbscript:|data:/i.test(value.replace(/\s+/g, ""))) found.push(`${lower}="${value.slice(0, 60)}" on <${tag}>`);
      if (lower === "style") {
        if (!element.closest(".katex")) found.push(`style outside KaTeX on <${tag}>`);
        if (/url\(|expression|javascript/i.test(value)) found.push(`style "${value}" on <${tag}>`);
      }
    }
  }
  for (const a of root.querySelectorAll("a")) {
    const rel = a.getAttribute("rel") ?? "";
    if (a.hasAttribute("href") && !rel.includes("noopener")) found.push("a link without rel=noopener");
  }
  return found;
}

for (const [surface, renderText] of [
  ["the answer (markdown)", (text: string) => render.renderMarkdown(text)],
  ["the thinking (plain text)", (text: string) => render.renderThinkingText(text)],
] as const) {
  describe(`hostile model output in ${surface} (webview)`, () => {
    for (const [name, payload] of Object.entries(HOSTILE_MARKDOWN)) {
      it(name, (t) => {
        const started = performance.now();
        const root = mount(renderText(payload));
        const ms = performance.now() - started;
        t.diagnostic(`${payload.length} characters in ${ms.toFixed(0)} ms`);
        assert.deepEqual(problems(root), []);
        assert.ok(ms < HANG_GUARD_MS, `took ${ms.toFixed(0)} ms (hang guard ${HANG_GUARD_MS} ms)`);
      });
    }
  });
}

describe("hostile payloads stay visible as inert text (webview)", () => {
  it("raw HTML shows as its text", () => {
    const root = mount(render.renderMarkdown(HOSTILE_MARKDOWN["scriptTag"]!));
    assert.match(root.textContent ?? "", /<script>alert\(1\)<\/script> after/);
  });

  it("a fence language that tries to break out stays the code block's data-lang and label text", () => {
    for (const name of ["fenceLanguageBreakout", "fenceLanguageHandler", "fenceLanguageJavascriptUrl"]) {
      const root = mount(render.renderMarkdown(HOSTILE_MARKDOWN[name]!));
      const block = root.querySelector<HTMLElement>(".code-block");
      assert.ok(block, name);
      const language = block.dataset["lang"] ?? "";
      assert.equal(block.querySelector(".code-lang")?.textContent, language);
      assert.equal(block.querySelector("pre > code")?.textContent, "code");
      assert.equal(block.querySelector("pre > code")?.className, "", "an unknown language is not highlighted");
      assert.ok(language.length > 0 && language.length <= 64);
    }
    const breakout = mount(render.renderMarkdown(HOSTILE_MARKDOWN["fenceLanguageBreakout"]!));
    assert.equal(breakout.querySelector<HTMLElement>(".code-block")?.dataset["lang"], '"><script>alert(1)</script>');
  });

  it("KaTeX without trust shows \\href, \\url, \\htmlData and \\includegraphics as inert command names, never links", () => {
    for (const name of ["katexHref", "katexUrl", "katexHtmlData", "katexHtmlStyle", "katexIncludegraphics"]) {
      const root = mount(render.renderMarkdown(HOSTILE_MARKDOWN[name]!));
      assert.equal(root.querySelectorAll("a, img").length, 0, name);
      // either typeset (the refused command shows as its name) or left as source text
      assert.match(root.textContent ?? "", /\\(href|url|htmlData|htmlStyle|includegraphics)/, name);
    }
  });

  it("formulas past the limits fall back to their source text", () => {
    for (const name of ["nestingBalanced", "nestingBalancedShort", "nestingLeftRight", "longFormula", "expansionDef", "expansionRecursive"]) {
      const root = mount(render.renderMarkdown(HOSTILE_MARKDOWN[name]!));
      assert.equal(root.querySelectorAll(".katex").length, 0, name);
    }
  });

  it("100,000 formulas: the first thousand are typeset, the rest stay text", () => {
    const root = mount(render.renderMarkdown(HOSTILE_MARKDOWN["manyFormulas"]!));
    assert.equal(root.querySelectorAll(".katex").length, 1_000);
    assert.ok((root.textContent ?? "").trimEnd().endsWith("$a$ $a$"), "the formulas past the limit are their source text");
  });
});
