/** The checks a finished partial file must pass before it is renamed to .gguf. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { formatBytes } from "../../../core/format";
import { checkGgufFile } from "../../common/ggufHeader";
import { DownloadError, LOCAL_FILE_HINT } from "./errors";

export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export function normaliseSha256(value: string): string {
  const hex = value.trim().toLowerCase().replace(/^sha256:/, "");
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new DownloadError("invalid-source", `"${value}" is not a SHA-256 checksum (64 hexadecimal digits).`, { details: { sha256: value } });
  return hex;
}

export interface VerifyExpectations {
  /** The size the server announced, when it did. */
  readonly announcedBytes: number | null;
  readonly expectedBytes?: number;
  readonly sha256?: string;
  readonly signal?: AbortSignal;
}

/** Throws size / checksum / not-gguf; the caller deletes the partial. Returns the size (and the hash when one was checked). */
export async function verifyDownloadedFile(path: string, fileName: string, expect: VerifyExpectations): Promise<{ bytes: number; sha256: string | null }> {
  const bytes = (await stat(path)).size;
  for (const [wanted, what] of [
    [expect.announcedBytes, "the server announced"],
    [expect.expectedBytes, "was expected"],
  ] as const) {
    if (wanted != null && bytes !== wanted) {
      throw new DownloadError("size", `The downloaded ${fileName} has ${formatBytes(bytes)} (${bytes} bytes) but ${formatBytes(wanted)} (${wanted} bytes) ${what}. The file was deleted; try the download again. ${LOCAL_FILE_HINT}`, {
        details: { fileName, bytes, expectedBytes: wanted },
      });
    }
  }
  let sha256: string | null = null;
  if (expect.sha256 !== undefined) {
    sha256 = await sha256OfFile(path, expect.signal);
    if (sha256 !== expect.sha256) {
      throw new DownloadError("checksum", `The downloaded ${fileName} is damaged or is not the expected file: its SHA-256 is ${sha256}, not ${expect.sha256}. The file was deleted; try the download again. ${LOCAL_FILE_HINT}`, {
        details: { fileName, sha256, expectedSha256: expect.sha256 },
      });
    }
  }
  const header = await checkGgufFile(path);
  if (!header.ok) {
    const problem = typeof header.details.problem === "string" ? header.details.problem : header.message;
    throw new DownloadError("not-gguf", `The downloaded ${fileName} is not a usable GGUF model (${problem}). The server may have sent an error page instead of the model. The file was deleted. ${LOCAL_FILE_HINT}`, {
      details: { fileName, bytes, problem },
    });
  }
  return { bytes, sha256 };
}
