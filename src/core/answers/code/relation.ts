/**
 * How two drafts stand to each other, for anchoring the brake on code (see DraftRelation):
 * the anchor is the current draft; a restatement (the same key, some of its definitions written
 * out again unchanged, or for snippets one written inside the other: `foo(1)` and `x = foo(1);`)
 * confirms it; a draft that changes one of its definitions, or a
 * snippet about the same subject with different code, revises it; anything else is unrelated
 * and neither confirms nor resets.
 */
import type { CodeDraft, DraftRelation } from "./types";

/** The same code under cosmetic changes. */
export function sameDraft(a: CodeDraft, b: CodeDraft): boolean {
  return a.key === b.key;
}

/** How `next` stands to the `anchor` draft. */
export function relateDrafts(anchor: CodeDraft, next: CodeDraft): DraftRelation {
  if (anchor.key === next.key) return "same";
  if (anchor.definitions.length === 0 || next.definitions.length === 0) {
    if (anchor.definitions.length > 0 || next.definitions.length > 0) return "unrelated";
    if (containsCode(anchor, next) || containsCode(next, anchor)) return "restates";
    return anchor.subject !== null && anchor.subject === next.subject ? "revises" : "unrelated";
  }
  const anchorKeys = new Map<string, string[]>();
  for (const d of anchor.definitions) anchorKeys.set(d.name, [...(anchorKeys.get(d.name) ?? []), d.key]);
  let shared = false;
  let changed = false;
  let added = false;
  for (const d of next.definitions) {
    const keys = anchorKeys.get(d.name);
    if (keys === undefined) added = true;
    else {
      shared = true;
      if (!keys.includes(d.key)) changed = true;
    }
  }
  if (!shared) return "unrelated";
  if (changed || added) return "revises";
  return "restates";
}

/** `next` changes the anchor: the same function, class or subject with different code. */
export function revises(anchor: CodeDraft, next: CodeDraft): boolean {
  return relateDrafts(anchor, next) === "revises";
}

/** `next` confirms the anchor: the same code, or some of its definitions again, unchanged. */
export function confirms(anchor: CodeDraft, next: CodeDraft): boolean {
  const relation = relateDrafts(anchor, next);
  return relation === "same" || relation === "restates";
}

/** Every definition of `part` is in `whole` with the same key (the judge's "same definitions" test). */
export function coversDefinitions(whole: CodeDraft, part: CodeDraft): boolean {
  if (part.definitions.length === 0) return false;
  const keys = new Set(whole.definitions.map((d) => d.key));
  return part.definitions.every((d) => keys.has(d.key));
}

/**
 * The code of `part` appears whole inside `whole` (token for token: `np.zeros(n)` is in
 * `m = np.zeros(n)` and in `f(np.zeros(n), 2)`), as the judge's whitespace-free text match finds it.
 */
export function containsCode(whole: CodeDraft, part: CodeDraft): boolean {
  if (part.key === "") return false;
  return ` ${whole.key} `.includes(` ${part.key} `);
}
