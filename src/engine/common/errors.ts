/**
 * Errors the engine reports. Each has a stable `code` (the UI can react to it) and a message a
 * user can act on. They cross the process boundary as plain objects (see protocol.ts).
 */

export const ENGINE_ERROR_CODES = [
  "model-path-missing",
  "file-not-found",
  "not-gguf",
  "unsupported-architecture",
  "no-chat-template",
  /** node-llama-cpp's thought budget was asked for, but the model's chat format has no thought segment it recognises. */
  "no-thought-segment",
  "too-large-for-memory",
  "context-overflow",
  "backend-unavailable",
  "load-failed",
  "engine-crashed",
  "engine-unresponsive",
  "engine-start-failed",
  "cancelled",
  "busy",
  "not-loaded",
  "continue-unavailable",
  /** The server could not be reached, closed the connection, or stopped sending (timeout). */
  "server-unreachable",
  /** The server answered with an error status or refused the API key. */
  "server-error",
  /** The URL answers, but not as an OpenAI-compatible server (no /v1/models list). */
  "not-a-server",
  "protocol",
  "internal",
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export interface EngineErrorData {
  readonly code: EngineErrorCode;
  readonly message: string;
  /** Numbers or names behind the message (sizes in bytes, token counts, the path…). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export class EngineError extends Error implements EngineErrorData {
  override readonly name = "EngineError";
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, string | number | boolean | null>>,
  ) {
    super(message);
  }

  toData(): EngineErrorData {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: EngineErrorData): EngineError {
    return new EngineError(data.code, data.message, data.details);
  }
}

/** Any thrown value as engine error data (unknown errors become `internal`). */
export function toEngineErrorData(error: unknown): EngineErrorData {
  if (error instanceof EngineError) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", message: `The engine failed: ${message}` };
}

