/**
 * Streaming `<think>…</think>` splitter. Feed model output in chunks of any size; get the
 * thinking and the answer back as events, with tags that straddle chunks handled.
 *
 * - `startInThinking: true` for chat templates that open `<think>` in the prompt (the output
 *   starts inside the thinking; a `<think>` the model writes anyway at the very start is skipped).
 * - `startInThinking: false`: the output is thinking only if it opens with `<think>` (after
 *   optional whitespace); otherwise it is all answer (a model that does not think).
 */

export type ThinkEvent =
  | { readonly type: "thinking"; readonly text: string }
  | { readonly type: "thinkEnd" }
  | { readonly type: "answer"; readonly text: string };

export interface ThinkParserOptions {
  readonly startInThinking: boolean;
  readonly openTag?: string;
  readonly closeTag?: string;
}

export interface ThinkParser {
  push(chunk: string): ThinkEvent[];
  /** Flushes held-back characters (a partial tag that never completed). */
  end(): ThinkEvent[];
  /** Where the parser is: before any decision, inside the thinking, or in the answer. */
  readonly state: "start" | "thinking" | "answer";
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagSuffix(text: string, tag: string): number {
  const max = Math.min(tag.length - 1, text.length);
  for (let n = max; n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

export function createThinkParser(options: ThinkParserOptions): ThinkParser {
  const open = options.openTag ?? "<think>";
  const close = options.closeTag ?? "</think>";
  let state: "start" | "thinking" | "answer" = "start";
  let held = "";

  function emit(out: ThinkEvent[], type: "thinking" | "answer", text: string): void {
    if (text.length === 0) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.type === type) out[out.length - 1] = { type, text: last.text + text };
    else out.push({ type, text });
  }

  function step(out: ThinkEvent[], final: boolean): void {
    for (;;) {
      if (state === "start") {
        const trimmed = held.replace(/^\s+/, "");
        if (trimmed.startsWith(open)) {
          held = trimmed.slice(open.length);
          state = "thinking";
          continue;
        }
        if (!final && open.startsWith(trimmed)) return; // still could be <think>
        state = options.startInThinking ? "thinking" : "answer";
        continue;
      }
      if (state === "thinking") {
        const at = held.indexOf(close);
        if (at >= 0) {
          emit(out, "thinking", held.slice(0, at));
          out.push({ type: "thinkEnd" });
          held = held.slice(at + close.length);
          state = "answer";
          continue;
        }
        const keep = final ? 0 : partialTagSuffix(held, close);
        emit(out, "thinking", held.slice(0, held.length - keep));
        held = held.slice(held.length - keep);
        return;
      }
      emit(out, "answer", held);
      held = "";
      return;
    }
  }

  return {
    get state() {
      return state;
    },
    push(chunk: string): ThinkEvent[] {
      const out: ThinkEvent[] = [];
      held += chunk;
      step(out, false);
      return out;
    },
    end(): ThinkEvent[] {
      const out: ThinkEvent[] = [];
      step(out, true);
      return out;
    },
  };
}

/** Splits a complete output at once: the same rules as the streaming parser. */
export function splitThinking(output: string, startInThinking: boolean): { thinking: string; answer: string; closed: boolean; hadThinking: boolean } {
  const parser = createThinkParser({ startInThinking });
  const events = [...parser.push(output), ...parser.end()];
  let thinking = "";
  let answer = "";
  let closed = false;
  let hadThinking = false;
  for (const e of events) {
    if (e.type === "thinking") {
      thinking += e.text;
      hadThinking = true;
    } else if (e.type === "answer") answer += e.text;
    else {
      closed = true;
      hadThinking = true;
    }
  }
  return { thinking, answer, closed, hadThinking };
}
