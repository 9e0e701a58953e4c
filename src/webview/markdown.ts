import DOMPurify from "dompurify";
import MarkdownIt from "markdown-it";

/**
 * Model output is untrusted: markdown-it renders with raw HTML disabled, then DOMPurify
 * sanitises the result into a fragment (no HTML string ever reaches innerHTML). Remote images
 * are blocked by the page's CSP anyway; they are dropped here so nothing even tries.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    const href = node.getAttribute("href") ?? "";
    if (!/^https?:\/\//i.test(href)) node.removeAttribute("href");
    node.setAttribute("rel", "noopener noreferrer");
    node.setAttribute("title", href);
  }
  if (node.tagName === "IMG") node.remove();
});

export function renderMarkdown(text: string): DocumentFragment {
  return DOMPurify.sanitize(markdown.render(text), {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "img"],
    FORBID_ATTR: ["style", "id", "class"],
  });
}
