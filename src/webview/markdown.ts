import DOMPurify from "dompurify";
import MarkdownIt from "markdown-it";
import { codeBlock } from "./render/codeBlock";
import { MAX_LANGUAGE_CHARS } from "./render/limits";
import { inlineFormula, typesetPlaceholders } from "./render/mathElements";
import type { MathEnv } from "./render/mathPlugin";
import { MATH_DISPLAY_CLASS, MATH_INLINE_CLASS, mathPlugin } from "./render/mathPlugin";
import { splitMath } from "./render/mathSyntax";
import { tableAlignPlugin, TABLE_ALIGN_CLASSES } from "./render/tableAlign";

/**
 * Model output is untrusted: markdown-it renders with raw HTML disabled, then DOMPurify
 * sanitises the result into a fragment (no HTML string ever reaches innerHTML). Remote images
 * are blocked by the page's CSP anyway; they are dropped here so nothing even tries.
 *
 * After sanitising, the fragment is finished with trusted DOM calls only: math placeholders are
 * typeset with KaTeX (render/typeset.ts), and code (`pre[data-code]`) becomes a code block with
 * a toolbar and highlighting (render/codeBlock.ts). Placeholders carry only an index into the
 * render's env; the TeX, the code and its language are taken from there.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
markdown.use(mathPlugin);
markdown.use(tableAlignPlugin);

interface CodeSource {
  readonly code: string;
  readonly language: string;
}

/** The render's env: the formulas (mathPlugin) and the code blocks, in placeholder order. */
type RenderEnv = MathEnv & { code: CodeSource[] };

/**
 * Fenced and indented code: a `pre` whose `data-code` is the block's index in the env. The
 * language and the exact code stay out of the sanitiser (classes are not trusted to it, and it
 * drops attribute values such as `"></script>`); the code block is built from the env after.
 */
markdown.renderer.rules.fence = (tokens, idx, _options, env) => {
  const token = tokens[idx]!;
  const info = markdown.utils.unescapeAll(token.info).trim();
  const language = (info.split(/\s+/)[0] ?? "").slice(0, MAX_LANGUAGE_CHARS);
  return codeHtml(env as RenderEnv, token.content, language);
};
markdown.renderer.rules.code_block = (tokens, idx, _options, env) => codeHtml(env as RenderEnv, tokens[idx]!.content, "");

function codeHtml(env: RenderEnv, content: string, language: string): string {
  const code = content.endsWith("\n") ? content.slice(0, -1) : content;
  const index = env.code.push({ code, language }) - 1;
  return `<pre data-code="${index}"><code>${markdown.utils.escapeHtml(code)}</code></pre>\n`;
}

/** The only classes the sanitiser keeps: the math placeholders and table alignment. */
const ALLOWED_CLASSES = new Set([MATH_INLINE_CLASS, MATH_DISPLAY_CLASS, ...TABLE_ALIGN_CLASSES]);

DOMPurify.addHook("uponSanitizeAttribute", (_node, data) => {
  if (data.attrName !== "class") return;
  const kept = data.attrValue.split(/\s+/).filter((token) => ALLOWED_CLASSES.has(token));
  if (kept.length === 0) data.keepAttr = false;
  else data.attrValue = kept.join(" ");
});

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    const href = node.getAttribute("href") ?? "";
    if (/^https?:\/\//i.test(href)) {
      node.setAttribute("title", href);
    } else {
      // a refused address is not echoed into the title either
      node.removeAttribute("href");
      node.removeAttribute("title");
    }
    node.setAttribute("rel", "noopener noreferrer");
  }
  if (node.tagName === "IMG") node.remove();
});

const SANITIZE = {
  RETURN_DOM_FRAGMENT: true as const,
  FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "img"],
  FORBID_ATTR: ["style", "id"],
  // the placeholders' indexes into the env; no other data-* attribute
  ALLOW_DATA_ATTR: false,
  ADD_ATTR: ["data-math", "data-code"],
};

/** An answer: markdown with math, highlighted code blocks and tables, sanitised. */
export function renderMarkdown(text: string): DocumentFragment {
  const env: RenderEnv = { code: [] };
  const fragment = DOMPurify.sanitize(markdown.render(text, env), SANITIZE);
  typesetPlaceholders(fragment, env.math ?? []);
  for (const pre of fragment.querySelectorAll<HTMLElement>("pre[data-code]")) {
    const source = env.code[Number(pre.dataset["code"])];
    if (source) pre.replaceWith(codeBlock(source.code, source.language));
    else pre.removeAttribute("data-code");
  }
  return fragment;
}

/** The thinking: plain text (no markdown) with its formulas typeset inline. */
export function renderThinkingText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const segment of splitMath(text)) {
    fragment.append(segment.kind === "text" ? document.createTextNode(segment.text) : inlineFormula(segment.tex, segment.source));
  }
  return fragment;
}
