/** A model found by a source but not yet read: its files and the names the source gives it. */
import type { ModelSource } from "./types";

export interface Candidate {
  readonly source: ModelSource;
  /** The file to load (a split model's first shard). */
  readonly path: string;
  /** Every file the model needs, in order (the shard names for a split model). */
  readonly expected: readonly string[];
  /** The store's own name for it (Ollama's model:tag, a Hugging Face repository). */
  readonly storeName: string | null;
  /** The name shown when the header has none. */
  readonly fallbackName: string;
  /** Set when the source already knows the model cannot be used (an unreadable Ollama manifest). */
  readonly problem?: string;
  /** What to say when the (single) file is missing, instead of the generic sentence. */
  readonly missingProblem?: string;
}
