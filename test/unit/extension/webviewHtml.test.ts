import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { createNonce, renderWebviewHtml } from "../../../src/extension/webviewHtml";

const parts = {
  cspSource: "https://file+.vscode-resource.vscode-cdn.net",
  scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js",
  styleUris: ["https://file+.vscode-resource.vscode-cdn.net/ext/dist/katex/katex.min.css", "https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css"],
  nonce: "bm9uY2Utbm9uY2Utbm9uY2U=",
  title: "Self-Braking Reasoner",
};

function csp(html: string): string {
  const match = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(match?.[1], "the page has a CSP meta tag");
  return match[1];
}

describe("chat webview HTML", () => {
  it("has a strict CSP: nothing by default, scripts only with this render's nonce, styles only from the extension", () => {
    const policy = csp(renderWebviewHtml(parts));
    assert.match(policy, /^default-src 'none'/);
    assert.match(policy, new RegExp(`script-src 'nonce-${parts.nonce.replace(/[+/=]/g, "\\$&")}'(;|$)`));
    assert.match(policy, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
  });

  it("loads exactly one script, external and carrying the nonce; no inline script or style", () => {
    const html = renderWebviewHtml(parts);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    const [, attributes, body] = scripts[0] ?? [];
    assert.match(attributes ?? "", new RegExp(`nonce="${parts.nonce}"`));
    assert.match(attributes ?? "", /src="https:\/\/[^"]+\/dist\/webview\.js"/);
    assert.equal(body, "");
    assert.doesNotMatch(html, /<style|\sstyle="|\son[a-z]+="/i);
  });

  it("links every stylesheet, in order, and leaves live-region announcements to the streaming turn", () => {
    const html = renderWebviewHtml(parts);
    const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links, parts.styleUris);
    assert.doesNotMatch(html, /aria-live/);
  });

  it("escapes attribute values", () => {
    const html = renderWebviewHtml({ ...parts, title: `"><script>alert(1)</script>` });
    assert.equal([...html.matchAll(/<script/g)].length, 1);
  });

  it("makes a fresh, unpredictable nonce each render", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
  });
});
