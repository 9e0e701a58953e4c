/**
 * Bounds on the work one rendered answer may cause. Model output is untrusted: a hostile or
 * runaway answer must not freeze the page, so each costly step has a ceiling; past it the text
 * is shown as it is.
 */

/** The longest TeX source (between the delimiters) that is typeset; longer formulas stay text. */
export const MAX_TEX_CHARS = 5_000;

/** The deepest nesting of groups (`{…}`, `\left…\right`, `\begin…\end`) a formula may have. */
export const MAX_TEX_NESTING = 40;

/** KaTeX's cap on user-given sizes (`\rule{1000em}{…}`), in ems. */
export const MAX_TEX_SIZE_EM = 20;

/** KaTeX's cap on macro expansions per formula (`\def` bombs stop there with an error). */
export const MAX_TEX_EXPANSIONS = 1_000;

/** Formulas recognised in one text; the ones after that are left as their source text. */
export const MAX_FORMULAS = 1_000;

/** Code longer than this is shown without highlighting (an answer is rendered again each frame while it streams). */
export const MAX_HIGHLIGHT_CHARS = 20_000;

/** A fence's language as shown and posted back (the protocol's limit for a language name). */
export const MAX_LANGUAGE_CHARS = 64;
