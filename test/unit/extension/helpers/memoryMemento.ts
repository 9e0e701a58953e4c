import type { StoreLog, StoreMemento } from "../../../../src/extension/conversationStore";

/**
 * `vscode.Memento` in memory: values go through JSON as VS Code stores them; `failWrites` makes
 * `update` reject for the keys it matches (a storage failure).
 */
export class MemoryMemento implements StoreMemento {
  readonly values = new Map<string, string>();
  failWrites: (key: string) => boolean = () => false;

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const stored = this.values.get(key);
    return stored === undefined ? defaultValue : (JSON.parse(stored) as T);
  }

  update(key: string, value: unknown): Promise<void> {
    if (this.failWrites(key)) return Promise.reject(new Error(`disk full (writing ${key})`));
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

/** A log that records what it was told. */
export function recordingLog(): StoreLog & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (message: string) => void lines.push(`warn: ${message}`),
    error: (message: string | Error) => void lines.push(`error: ${String(message)}`),
  };
}

/** Lets every queued promise callback run (the store chains its writes). */
export const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
