import { randomBytes } from "node:crypto";

/** A fresh nonce for one render of a webview: 128 random bits, base64. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export interface WebviewPageParts {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  readonly cspSource: string;
  /** Webview URIs (already converted with `asWebviewUri`). */
  readonly scriptUri: string;
  /** Stylesheets in cascade order (KaTeX's, then ours). */
  readonly styleUris: readonly string[];
  readonly nonce: string;
  readonly title: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The chat page: a strict CSP (nothing but our own stylesheet, images from our origin, and the
 * one bundled script carrying this render's nonce), no inline script or style.
 */
export function renderWebviewHtml(parts: WebviewPageParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${parts.cspSource}`,
    `img-src ${parts.cspSource} data:`,
    `font-src ${parts.cspSource}`,
    `script-src 'nonce-${parts.nonce}'`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeAttribute(uri)}">`).join("\n")}
<title>${escapeAttribute(parts.title)}</title>
</head>
<body>
<main id="app"><p class="loading">Loading…</p></main>
<script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}
