/**
 * Full-width forms (`４２`, `（Ｃ）`, `＝`), which models writing Chinese or Japanese sometimes use, read
 * as their ASCII letters. Each maps one UTF-16 unit to one, so offsets into the text stay valid.
 */
const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/g;

export function foldFullWidth(text: string): string {
  FULL_WIDTH.lastIndex = 0;
  if (!FULL_WIDTH.test(text)) return text;
  return text.replace(FULL_WIDTH, (c) => (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}
