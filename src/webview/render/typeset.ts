/**
 * Typesets TeX with KaTeX into DOM nodes (KaTeX builds elements and sets their styles through
 * the CSSOM, which the page's CSP allows; no HTML string is parsed). Untrusted input: `trust`
 * is off, so `\href`, `\url`, `\includegraphics` and the `\html…` commands render as inert red
 * command names; sizes and macro expansions are capped; formulas that are too long or nest too
 * deeply are not given to KaTeX at all. Any error leaves the caller to show the source text.
 */
import katex from "katex";
import { MAX_TEX_CHARS, MAX_TEX_EXPANSIONS, MAX_TEX_NESTING, MAX_TEX_SIZE_EM } from "./limits";
import { texNesting } from "./mathSyntax";

const OPTIONS = {
  throwOnError: true,
  trust: false,
  strict: "ignore",
  maxSize: MAX_TEX_SIZE_EM,
  maxExpand: MAX_TEX_EXPANSIONS,
  output: "htmlAndMathml",
} as const;

/** Elements and attributes that KaTeX never makes without `trust`: if one shows up, the output is not used. */
const UNSAFE_ELEMENTS = "a, img, iframe, object, embed, script, style, form, input, button, foreignObject, use, image";

function isInert(root: ParentNode): boolean {
  if (root.querySelector(UNSAFE_ELEMENTS)) return false;
  for (const element of root.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || name === "href" || name === "src" || name.endsWith(":href")) return false;
      if (name === "style" && /url\(|expression|javascript:/i.test(attribute.value)) return false;
    }
  }
  return true;
}

/** Rendered formulas, reused while an answer streams and is rendered again each frame. */
const cache = new Map<string, DocumentFragment | null>();
const CACHE_ENTRIES = 500;

function typesetUncached(tex: string, display: boolean): DocumentFragment | null {
  if (tex.length > MAX_TEX_CHARS || texNesting(tex) > MAX_TEX_NESTING) return null;
  const holder = document.createElement("span");
  try {
    katex.render(tex, holder, { ...OPTIONS, displayMode: display });
  } catch {
    // a parse error, too many expansions, or a stack overflow on input KaTeX cannot handle
    return null;
  }
  if (!isInert(holder)) return null;
  const fragment = document.createDocumentFragment();
  fragment.append(...holder.childNodes);
  return fragment;
}

/**
 * The typeset formula as a fresh fragment (a `.katex` or `.katex-display` element), or null when
 * it cannot be typeset (malformed, refused by the limits): then show its source instead.
 */
export function typeset(tex: string, display: boolean): DocumentFragment | null {
  const key = `${display ? "D" : "I"}${tex}`;
  let rendered = cache.get(key);
  if (rendered === undefined) {
    rendered = typesetUncached(tex, display);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, rendered);
  }
  return rendered === null ? null : (rendered.cloneNode(true) as DocumentFragment);
}
