/** The thinking of a recorded output: after the first `<think>` (or from the start) up to the first `</think>`. */

export interface SplitTrace {
  readonly thinking: string;
  /** The text after `</think>` ("" when the thinking never closed). */
  readonly answer: string;
  readonly closed: boolean;
}

export function splitTrace(trace: string): SplitTrace {
  const open = trace.indexOf("<think>");
  const body = open >= 0 ? trace.slice(open + "<think>".length) : trace;
  const close = body.indexOf("</think>");
  if (close < 0) return { thinking: body, answer: "", closed: false };
  return { thinking: body.slice(0, close), answer: body.slice(close + "</think>".length), closed: true };
}
