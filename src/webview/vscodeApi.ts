import type { WebviewToHost } from "../protocol";

interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

/** The page's handle on its host; `acquireVsCodeApi` may only be called once per page. */
export function getVsCodeApi<State>(): VsCodeApi<State> {
  return acquireVsCodeApi<State>();
}

export type { VsCodeApi };
