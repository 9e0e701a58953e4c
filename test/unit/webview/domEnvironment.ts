/**
 * A browser-like global environment for the webview's rendering code in node:test: a jsdom
 * window whose globals (window, document, Node, …) are installed on globalThis. DOMPurify binds
 * to `window` when it is imported, so install this BEFORE importing the module under test
 * (import it dynamically afterwards).
 */
import { JSDOM } from "jsdom";

const GLOBALS = ["window", "document", "Node", "Element", "HTMLElement", "DocumentFragment", "NodeFilter", "DOMParser", "navigator", "getComputedStyle"] as const;

let dom: JSDOM | undefined;

export function installDom(): JSDOM {
  if (dom) return dom;
  dom = new JSDOM("<!doctype html><html><head></head><body></body></html>", { pretendToBeVisual: true });
  const target = globalThis as Record<string, unknown>;
  const window = dom.window as unknown as Record<string, unknown>;
  for (const name of GLOBALS) {
    Object.defineProperty(target, name, { value: name === "window" ? dom.window : window[name], configurable: true, writable: true });
  }
  return dom;
}

/** A container in the jsdom document holding `fragment`, for querying. */
export function mount(fragment: DocumentFragment): HTMLElement {
  const root = document.createElement("div");
  root.append(fragment);
  return root;
}
