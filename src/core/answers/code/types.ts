/** What a piece of code written in a model's thinking is taken to be. */

/** The language a draft is read as: Python by its syntax tree, C-like by tokens and brackets. */
export type DraftLanguage = "python" | "c-like" | "unknown";

/**
 * How the code was written:
 * - `fenced`: a ``` block;
 * - `unfenced`: definitions written straight into the thinking (Python `def`/`class`/`import`/
 *   decorators with an indented body; a C-like function, class or struct with its braced body);
 * - `line`: a line that is code and nothing else (`total = sum(xs)`, `gmp_randinit_mt(state);`);
 * - `inline`: code inside a sentence, a backticked span or a call written in prose
 *   ("… should be `sm.add_constant(X)` here", "… so it's foo.bar(1, 2); then …").
 */
export type DraftForm = "fenced" | "unfenced" | "line" | "inline";

export interface DraftDefinition {
  /** The function's, class's or struct's name as written (`merge`, `Stack`). */
  readonly name: string;
  readonly kind: "function" | "class";
  /** Its identity under cosmetic changes (see CodeDraft.key). */
  readonly key: string;
}

export interface CodeDraft {
  readonly language: DraftLanguage;
  readonly form: DraftForm;
  /** The code as written (a fence's content without the fence lines). */
  readonly text: string;
  /** Offsets in the scanned text (the thinking), `end` exclusive; JavaScript string indices. */
  readonly start: number;
  readonly end: number;
  /** Top-level functions and classes it defines, in order of appearance. */
  readonly names: readonly string[];
  readonly definitions: readonly DraftDefinition[];
  /**
   * For code that defines nothing: what it is about — the name it assigns or declares
   * (`x` in `x = f(1)`, `seed` in `mpz_class seed(time(nullptr));`), else the call it makes
   * (`StatUtils.percentile`); null when neither can be told.
   */
  readonly subject: string | null;
  /**
   * Python: it parses. C-like: its brackets balance and, for definitions, a body was opened and
   * closed. A block cut off mid-body is not complete.
   */
  readonly complete: boolean;
  /**
   * Identity under cosmetic changes: comments, docstrings, blank lines, indentation width,
   * trailing whitespace and quote style do not change it; any change to names, operators,
   * literals or (in Python) block structure does. When the draft defines functions or classes,
   * the key is made of those definitions only (sorted), so imports, examples and test calls
   * around them do not change it.
   */
  readonly key: string;
}

/**
 * How a later draft stands to the anchored one (`relateDrafts`):
 * - `same`: the same key — a restatement;
 * - `restates`: every definition it writes is in the anchor with the same key (a partial
 *   restatement: one function of several, written out again unchanged); for code that defines
 *   nothing, one is written inside the other (`foo(1)` and `x = foo(1);`);
 * - `revises`: it writes a definition of a name the anchor defines with a different body, or
 *   adds definitions to the anchor's; for code that defines nothing, the same subject with a
 *   different key;
 * - `unrelated`: nothing in common (another helper, an example call, a test).
 */
export type DraftRelation = "same" | "restates" | "revises" | "unrelated";
