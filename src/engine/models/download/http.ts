/**
 * One GET with redirects, over node:http / node:https, returning the response once its headers
 * are in (the body is left to the caller). Connection failures become DownloadErrors (offline),
 * the caller's abort becomes cancelled.
 */
import { request as httpRequest } from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { DownloadError, LOCAL_FILE_HINT } from "./errors";
import { checkUrl } from "./source";

export interface GetOptions {
  readonly headers: OutgoingHttpHeaders;
  readonly signal?: AbortSignal;
  /** Give up when the connection is silent this long (headers or body). */
  readonly idleTimeoutMs: number;
  /** Sent as `Authorization: Bearer …`, only to the host of the first URL. */
  readonly token?: string;
}

export interface OpenResponse {
  readonly response: IncomingMessage;
  /** The URL that answered, after redirects. */
  readonly finalUrl: string;
}

const MAX_REDIRECTS = 10;
const NETWORK_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "EPIPE", "ENETDOWN", "EHOSTDOWN", "ESOCKETTIMEDOUT"]);

export function cancelled(cause?: unknown): DownloadError {
  return new DownloadError("cancelled", "The download was cancelled. The part already downloaded is kept: start it again to resume.", { resumable: true, cause });
}

/** A failure before any response: no network, no DNS, refused, timed out. */
export function offline(url: string, cause: unknown): DownloadError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? "";
  const host = safeHost(url);
  const what =
    code === "ENOTFOUND" || code === "EAI_AGAIN"
      ? `the name ${host} could not be resolved (no network, or DNS is not answering)`
      : code === "ECONNREFUSED"
        ? `${host} refused the connection`
        : code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT"
          ? `${host} did not answer in time`
          : `the connection to ${host} failed (${code || (cause instanceof Error ? cause.message : String(cause))})`;
  return new DownloadError("offline", `Cannot download the model: ${what}. Check the internet connection (and any proxy or firewall), then try again. ${LOCAL_FILE_HINT}`, {
    resumable: true,
    details: { url, code },
    cause,
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function isNetworkError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && NETWORK_CODES.has(code);
}

function getOnce(url: URL, options: GetOptions, headers: OutgoingHttpHeaders): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { method: "GET", headers, signal: options.signal });
    request.setTimeout(options.idleTimeoutMs, () => {
      const error = Object.assign(new Error(`no data for ${Math.round(options.idleTimeoutMs / 1000)} s`), { code: "ETIMEDOUT" });
      request.destroy(error);
    });
    request.once("response", resolve);
    request.once("error", reject);
    request.end();
  });
}

/** GET `url`, following redirects (https, or http to this machine only). */
export async function openGet(url: string, options: GetOptions): Promise<OpenResponse> {
  let current = checkUrl(url);
  const firstHost = current.host;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: OutgoingHttpHeaders = { "user-agent": "self-braking-downloader", "accept-encoding": "identity", ...options.headers };
    if (options.token && current.host === firstHost) headers.authorization = `Bearer ${options.token}`;
    let response: IncomingMessage;
    try {
      response = await getOnce(current, options, headers);
    } catch (error) {
      if (options.signal?.aborted) throw cancelled(error);
      throw offline(current.href, error);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && status !== 304 && location) {
      response.resume();
      response.destroy();
      try {
        current = checkUrl(new URL(location, current).href);
      } catch (error) {
        throw new DownloadError("http", `The server redirected the download to an address that is not allowed (${location}). ${LOCAL_FILE_HINT}`, { status, details: { url, location }, cause: error });
      }
      continue;
    }
    return { response, finalUrl: current.href };
  }
  throw new DownloadError("http", `The download of ${url} was redirected more than ${MAX_REDIRECTS} times. ${LOCAL_FILE_HINT}`, { details: { url } });
}

/** A typed error for a status the download cannot use. Consumes nothing: the caller discards the body. */
export function statusError(url: string, status: number, statusMessage: string | undefined, huggingFace: boolean): DownloadError {
  const details = { url, status };
  if (status === 401 || status === 403) {
    const why = huggingFace
      ? "This model is gated on Hugging Face: sign in there, accept its licence on the model page, and give a Hugging Face access token (or pick an ungated model)."
      : "The server needs credentials or refuses this file: the model may need an access token or accepting its licence first.";
    return new DownloadError("gated", `The download was refused (HTTP ${status}). ${why} ${LOCAL_FILE_HINT}`, { status, details });
  }
  if (status === 404 || status === 410) {
    return new DownloadError("not-found", `The model file was not found (HTTP ${status}) at ${url}. Check the repository and file name (they are case-sensitive). ${LOCAL_FILE_HINT}`, { status, details });
  }
  if (status === 429) {
    return new DownloadError("http", `The server is limiting requests (HTTP 429). Wait a minute and try again; the part already downloaded is kept. ${LOCAL_FILE_HINT}`, { status, details, resumable: true });
  }
  const text = statusMessage ? ` ${statusMessage}` : "";
  const server = status >= 500 ? " The server has a problem; try again later (the part already downloaded is kept)." : "";
  return new DownloadError("http", `The download failed: the server answered HTTP ${status}${text}.${server} ${LOCAL_FILE_HINT}`, { status, details, resumable: status >= 500 });
}
