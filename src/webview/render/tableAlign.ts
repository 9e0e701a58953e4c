/**
 * Table column alignment without inline styles (the page's CSP refuses `style="…"` in parsed
 * HTML, and the sanitiser drops it): markdown-it's `style="text-align:…"` on table cells
 * becomes an `align-left|center|right` class that media/markdown.css styles.
 */
import type { MarkdownIt } from "markdown-it";

export const TABLE_ALIGN_CLASSES = ["align-left", "align-center", "align-right"] as const;

export function tableAlignPlugin(md: MarkdownIt): void {
  md.core.ruler.push("table_align", (state) => {
    for (const token of state.tokens) {
      if (token.type !== "th_open" && token.type !== "td_open") continue;
      const style = token.attrGet("style");
      if (style === null) continue;
      const align = /text-align:\s*(left|center|right)/.exec(String(style))?.[1];
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
      if (align) token.attrJoin("class", `align-${align}`);
    }
  });
}
