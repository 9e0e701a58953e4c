/**
 * Code from the editor that goes with a question, and how it reaches the model: each piece as a
 * fenced block headed by its path and line range, before the question. The extension (for the
 * context check and "Show prompt") and the engine (for the prompt itself) compose it the same way.
 */

export interface AttachedCode {
  readonly kind: "selection" | "file";
  /** Workspace-relative path where there is one, else the file name. */
  readonly label: string;
  /** The editor's language id ("python", "typescript", …); "" when unknown. */
  readonly language: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

/** A fence longer than any run of backticks in the text, so the code cannot close it early. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(Math.max(3, longest + 1));
}

/** "src/app.py (lines 10–24)" or "src/app.py" for a whole file. */
export function attachmentHeading(code: Pick<AttachedCode, "kind" | "label" | "startLine" | "endLine">): string {
  if (code.kind === "file") return code.label;
  return code.startLine === code.endLine ? `${code.label} (line ${code.startLine})` : `${code.label} (lines ${code.startLine}–${code.endLine})`;
}

/** One attachment as the model reads it. */
export function fencedAttachment(code: AttachedCode): string {
  const fence = fenceFor(code.text);
  const body = code.text.endsWith("\n") ? code.text : `${code.text}\n`;
  return `${attachmentHeading(code)}:\n${fence}${code.language}\n${body}${fence}`;
}

/** The user message: the attached code first, then the question (unchanged when nothing is attached). */
export function composeQuestion(question: string, attachments: readonly AttachedCode[]): string {
  if (attachments.length === 0) return question;
  return `${attachments.map(fencedAttachment).join("\n\n")}\n\n${question}`;
}
