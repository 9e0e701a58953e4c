/**
 * Syntax highlighting of fenced code with highlight.js: only the fence's language (no guessing),
 * from a fixed set of common languages. highlight.js returns an HTML string; it is sanitised
 * again (only `<span>` with highlight.js classes) before it becomes DOM, and the result must read
 * exactly as the code did or it is not used.
 */
import DOMPurify from "dompurify";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import csharp from "highlight.js/lib/languages/csharp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { MAX_HIGHLIGHT_CHARS } from "./limits";

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
// Each grammar brings its own aliases (py, js, ts, sh, c++, cs, html, yml, md, rs, golang…); these are the other names models write.
hljs.registerAliases(["shell", "console", "terminal"], { languageName: "bash" });
hljs.registerAliases(["py3", "python3"], { languageName: "python" });
hljs.registerAliases(["node"], { languageName: "javascript" });
hljs.registerAliases(["svg", "vue"], { languageName: "xml" });

/** The fence languages highlighted (names and aliases); anything else is shown as plain text. */
export function isHighlighted(language: string): boolean {
  return language !== "" && hljs.getLanguage(language) !== undefined;
}

/** A class token highlight.js emits: `hljs-keyword`, and the scope suffixes of `hljs-title function_`. */
const HLJS_CLASS = /^(?:hljs-[a-z0-9_-]+|[a-z]+_+)$/;

const purify = DOMPurify(window);
purify.addHook("uponSanitizeAttribute", (_node, data) => {
  if (data.attrName !== "class") return;
  const kept = data.attrValue.split(/\s+/).filter((token) => HLJS_CLASS.test(token));
  if (kept.length === 0) data.keepAttr = false;
  else data.attrValue = kept.join(" ");
});

const HLJS_SANITIZE = {
  ALLOWED_TAGS: ["span", "#text"],
  ALLOWED_ATTR: ["class"],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  KEEP_CONTENT: true,
  RETURN_DOM_FRAGMENT: true as const,
};

/** Highlighted code, reused while an answer streams (finished blocks do not change). */
const cache = new Map<string, DocumentFragment | null>();
const CACHE_ENTRIES = 100;

function highlightUncached(code: string, language: string): DocumentFragment | null {
  if (!isHighlighted(language) || code.length > MAX_HIGHLIGHT_CHARS) return null;
  let html: string;
  try {
    html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
  const fragment = purify.sanitize(html, HLJS_SANITIZE);
  // the highlighted code must read exactly as the code itself
  return fragment.textContent === code ? fragment : null;
}

/**
 * The code as highlighted `<span class="hljs-…">` nodes and text, or null when the language is
 * not one highlighted here (show the code as plain text).
 */
export function highlightCode(code: string, language: string): DocumentFragment | null {
  const key = `${language}\n${code}`;
  let highlighted = cache.get(key);
  if (highlighted === undefined) {
    highlighted = highlightUncached(code, language);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, highlighted);
  }
  return highlighted === null ? null : (highlighted.cloneNode(true) as DocumentFragment);
}
