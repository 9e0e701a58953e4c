/**
 * The server's base address (`selfBraking.server.url`, `ask --server`): checked the same way in
 * the settings, the editor's input box and the CLI. A secret never belongs in it: the API key has
 * its own store, and a URL is shown, logged and written to settings files.
 */

/** `credentials`: a user name or password in the address (the key has its own place); `form`: anything else. */
export type ServerUrlCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: "form" | "credentials"; readonly expected: string };

const EXAMPLE = "http://gpu-box:8080";

/** What is wrong with a server address, as the end of "it must be …"; the trimmed address when nothing is. Empty is valid (not set). */
export function checkServerUrl(raw: string): ServerUrlCheck {
  const text = raw.trim();
  if (text === "") return { ok: true, url: "" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "form", expected: `an http:// or https:// address such as ${EXAMPLE}` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "form", expected: `an http:// or https:// address such as ${EXAMPLE}` };
  if (url.username !== "" || url.password !== "" || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(text)) {
    return { ok: false, reason: "credentials", expected: "an address without a user name or password in it: put the API key in Self-Braking: Set Server API Key…, not in the URL" };
  }
  if (/[?#]/.test(text)) return { ok: false, reason: "form", expected: `the server's base address without a ?query or #fragment, such as ${EXAMPLE}` };
  if (url.hostname === "") return { ok: false, reason: "form", expected: `an http:// or https:// address such as ${EXAMPLE}` };
  return { ok: true, url: text };
}

/** The address with anything that may be a secret (user name, password, query, fragment) masked, for messages and logs. */
export function redactServerUrl(raw: string): string {
  return raw.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@").replace(/[?#].*$/s, (m) => `${m[0]}***`);
}

/** `gpu-box:8080` of `http://gpu-box:8080/v1` (the host as people name a server); the address itself when it does not parse. */
export function serverHost(url: string): string {
  try {
    return new URL(url.trim()).host;
  } catch {
    return url.trim();
  }
}

/** The longest API key accepted (the engine protocol's bound). */
export const MAX_API_KEY_CHARS = 10_000;

/** Why this text cannot be an API key (it becomes an HTTP header); undefined when it can. Never repeats the text. */
export function apiKeyProblem(key: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key.trim())) return "An API key is one line of text, without line breaks or control characters.";
  if (key.trim().length > MAX_API_KEY_CHARS) return "This is longer than any API key (at most 10,000 characters).";
  return undefined;
}
