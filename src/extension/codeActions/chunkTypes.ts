/** The shapes the statement scanners (braceChunks.ts, pythonChunks.ts) and chunks.ts share. */

export interface SourceLine {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset just past the line's last character (before its "\n"). */
  readonly end: number;
  readonly text: string;
}

/**
 * A top-level statement: lines `first`..`last` (0-based, inclusive); `header` is its first line
 * of code (below the comments and decorators that belong to it).
 */
export interface Statement {
  first: number;
  last: number;
  header: number;
}

export type ChunkKind = "definition" | "import" | "other";
