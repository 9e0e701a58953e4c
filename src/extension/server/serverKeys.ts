import type * as vscode from "vscode";
import { apiKeyProblem } from "../../core/settings/serverUrl";

/** The SecretStorage entry: `{"origin": "http://gpu-box:8080", "key": "…"}`. */
export const API_KEY_SECRET = "selfBraking.server.apiKey";

/** What the engine gateway needs: the key for a server, known at once once the store has been read. */
export interface ServerKeySource {
  /** The stored key has been read (a question asked before waits for {@link ready}). */
  readonly loaded: boolean;
  readonly ready: Promise<void>;
  /** The key set for this server's origin; none for any other server. */
  keyFor(url: string): string | undefined;
}

type Secrets = Pick<vscode.SecretStorage, "get" | "store" | "delete" | "onDidChange">;

interface StoredKey {
  readonly origin: string;
  readonly key: string;
}

/** Scheme, host and port (`http://gpu-box:8080`): what a key is bound to. */
export function serverOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function parseStored(raw: string | undefined): StoredKey | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== "object" || value === null) return undefined;
    const { origin, key } = value as Record<string, unknown>;
    return typeof origin === "string" && typeof key === "string" && key !== "" ? { origin, key } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server API key, in VS Code's SecretStorage only (never in settings, logs or the chat page),
 * bound to the origin of the server it was set for: a server address changed by a workspace's
 * settings does not receive it. Read once at start and again when another window changes it;
 * kept in memory so the key is at hand when a question starts.
 */
export class ServerKeys implements ServerKeySource, vscode.Disposable {
  private stored: StoredKey | undefined;
  private readDone = false;
  /** Counts set/clear: a read that started before one of them does not overwrite what it wrote. */
  private writes = 0;
  private reading: Promise<void>;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: Secrets,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.reading = this.read();
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === API_KEY_SECRET) this.reading = this.read();
    });
  }

  get loaded(): boolean {
    return this.readDone;
  }

  get ready(): Promise<void> {
    return this.reading;
  }

  keyFor(url: string): string | undefined {
    const origin = serverOrigin(url);
    return origin !== undefined && this.stored?.origin === origin ? this.stored.key : undefined;
  }

  /** The server a key is set for, if any (to say that the key belongs to another server). */
  get origin(): string | undefined {
    return this.stored?.origin;
  }

  /** Keeps `key` for the server at `url` (replacing any other); an empty key clears it. */
  async set(url: string, key: string): Promise<void> {
    const origin = serverOrigin(url);
    if (origin === undefined) throw new Error("The API key is kept for one server: set a valid server address first.");
    if (key === "") return this.clear();
    const problem = apiKeyProblem(key);
    if (problem !== undefined) throw new Error(problem);
    const stored = { origin, key };
    this.writes++;
    await this.secrets.store(API_KEY_SECRET, JSON.stringify(stored));
    this.stored = stored;
    this.readDone = true;
  }

  async clear(): Promise<void> {
    this.writes++;
    await this.secrets.delete(API_KEY_SECRET);
    this.stored = undefined;
    this.readDone = true;
  }

  private async read(): Promise<void> {
    const writes = this.writes;
    try {
      const stored = parseStored(await this.secrets.get(API_KEY_SECRET));
      if (writes === this.writes) this.stored = stored;
    } catch (error) {
      // the message of a keyring failure names the keyring, never the key
      if (writes === this.writes) this.stored = undefined;
      this.warn(`The server API key could not be read from VS Code's secret storage (${error instanceof Error ? error.message : String(error)}); questions go to the server without one.`);
    } finally {
      this.readDone = true;
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
