/**
 * The one error a download throws. Its code says what happened; its message says it for the user,
 * with what to do next. `resumable` is true when the partial file was kept and calling
 * downloadModel again continues where this attempt stopped.
 */
export const DOWNLOAD_ERROR_CODES = [
  /** The source is not a URL or `hf:` URI this downloader takes. */
  "invalid-source",
  /** No connection: DNS failure, refused, unreachable, or no answer before the timeout. */
  "offline",
  /** 401 or 403: a gated model (a token, or accepting the licence on the hub) or a refused request. */
  "gated",
  /** 404 or 410. */
  "not-found",
  /** Any other HTTP status the download cannot use. */
  "http",
  /** Not enough free space in the destination folder (checked first, or the disk filled up). */
  "disk-full",
  /** The caller's AbortSignal fired. The partial file is kept. */
  "cancelled",
  /** The connection ended before the whole file came. The partial file is kept. */
  "incomplete",
  /** The remote file kept changing while it was being downloaded. */
  "changed-remote",
  /** The file's SHA-256 is not the one expected. */
  "checksum",
  /** The file's size is not the one expected (or the one the server announced). */
  "size",
  /** The downloaded file is not a usable GGUF model. */
  "not-gguf",
  /** Another download into the same file is running in this process. */
  "busy",
  /** Reading or writing the destination folder failed. */
  "filesystem",
] as const;

export type DownloadErrorCode = (typeof DOWNLOAD_ERROR_CODES)[number];

/** Said at the end of every message where another way to a model helps. */
export const LOCAL_FILE_HINT = "You can choose a local GGUF file instead.";

export interface DownloadErrorOptions {
  readonly resumable?: boolean;
  readonly status?: number;
  readonly details?: Readonly<Record<string, string | number>>;
  readonly cause?: unknown;
}

export class DownloadError extends Error {
  readonly code: DownloadErrorCode;
  /** The partial file was kept: calling downloadModel again resumes it. */
  readonly resumable: boolean;
  /** The HTTP status, when a response caused it. */
  readonly status: number | undefined;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(code: DownloadErrorCode, message: string, options: DownloadErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DownloadError";
    this.code = code;
    this.resumable = options.resumable ?? false;
    this.status = options.status;
    this.details = options.details ?? {};
  }
}

export function isDownloadError(error: unknown): error is DownloadError {
  return error instanceof DownloadError;
}
