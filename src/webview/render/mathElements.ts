/**
 * Turns math placeholders and formulas into typeset DOM, or into their source text when they
 * cannot be typeset.
 */
import { h } from "../dom";
import type { Formula } from "./mathPlugin";
import { MATH_INLINE_CLASS } from "./mathPlugin";
import { typeset } from "./typeset";

/**
 * Typesets every placeholder (`[data-math]`, from the markdown plugin, already sanitised) in
 * `root`, taking the formulas from the render's env. A formula that fails keeps its source
 * text: inline as a plain text node, a display formula as the text of its (scrolling) block.
 */
export function typesetPlaceholders(root: DocumentFragment, formulas: readonly Formula[]): void {
  for (const placeholder of root.querySelectorAll<HTMLElement>("[data-math]")) {
    const formula = formulas[Number(placeholder.dataset["math"])];
    placeholder.removeAttribute("data-math");
    if (!formula) continue;
    const rendered = typeset(formula.tex, formula.display);
    if (rendered) {
      placeholder.replaceChildren(rendered);
    } else if (placeholder.tagName === "DIV") {
      placeholder.classList.add("math-source");
      placeholder.textContent = formula.source;
    } else {
      placeholder.replaceWith(document.createTextNode(formula.source));
    }
  }
}

/** A formula in running text (the thinking): `span.math-inline` with the typeset formula, or its source as text. */
export function inlineFormula(tex: string, source: string): Node {
  const rendered = typeset(tex, false);
  return rendered ? h("span", { class: MATH_INLINE_CLASS }, rendered) : document.createTextNode(source);
}
