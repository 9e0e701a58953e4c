/** Turns protocol messages from the parent into engine calls, and engine output into messages. */
import type { Engine } from "./engine";
import { EngineError, toEngineErrorData } from "../common/errors";
import { parseEngineRequest } from "../common/protocol";
import type { EngineMessage, EngineRequest } from "../common/protocol";
import type { GenerationEvent } from "../common/types";
import { EventBatcher } from "./eventBatcher";

export type Send = (message: EngineMessage) => void;

/** How often a loading engine says it is alive. */
const WORKING_BEAT_MS = 1000;

export class RequestHandler {
  /** Loads in progress, by request id (Stop cancels them). */
  private readonly loads = new Map<string, AbortController>();

  constructor(
    private readonly engine: Engine,
    private readonly send: Send,
    private readonly exit: (code: number) => void,
  ) {}

  /** Handles one inbound message. Long operations run in the background so control messages (cancel, answer now) get through. */
  handle(raw: unknown): void {
    const parsed = parseEngineRequest(raw);
    if (!parsed.ok) {
      const id = typeof raw === "object" && raw !== null && "id" in raw && typeof raw.id === "string" ? raw.id : null;
      this.send({ kind: "error", id, error: { code: "protocol", message: `The engine received an ${parsed.problem}` } });
      return;
    }
    void this.dispatch(parsed.value).catch((error: unknown) => {
      this.send({ kind: "error", id: parsed.value.id, error: toEngineErrorData(error) });
    });
  }

  private sinkFor(id: string): { push: (event: GenerationEvent) => void; flush: () => void } {
    const batcher = new EventBatcher((event) => this.send({ kind: "event", id, event }));
    return { push: (event) => batcher.push(event), flush: () => batcher.flush() };
  }

  private async dispatch(request: EngineRequest): Promise<void> {
    switch (request.kind) {
      case "load": {
        let last = -1;
        let weightsLoading = false;
        const abort = new AbortController();
        this.loads.set(request.id, abort);
        // Opening a backend or creating the context sends no progress of its own: a beat tells the
        // client's watchdog that this process is alive. Not while the weights load: their own
        // progress shows that, and a beat would hide a weight load that hangs.
        const beat = setInterval(() => {
          if (!weightsLoading) this.send({ kind: "working", id: request.id });
        }, WORKING_BEAT_MS);
        try {
          const report = await this.engine.load(
            request.config,
            (progress) => {
              weightsLoading = progress > 0 && progress < 1;
              // A progress message per percent is plenty.
              const pct = Math.floor(progress * 100);
              if (pct === last) return;
              last = pct;
              this.send({ kind: "loadProgress", id: request.id, progress: Math.min(1, Math.max(0, progress)) });
            },
            abort.signal,
          );
          this.send({ kind: "loaded", id: request.id, report });
        } finally {
          clearInterval(beat);
          this.loads.delete(request.id);
        }
        return;
      }
      case "ask": {
        const sink = this.sinkFor(request.id);
        try {
          const result = await this.engine.ask(request.id, request.request, sink.push);
          sink.flush();
          this.send({ kind: "done", id: request.id, result });
        } finally {
          sink.flush();
        }
        return;
      }
      case "continueThinking": {
        const sink = this.sinkFor(request.id);
        try {
          const result = await this.engine.continueThinking(request.id, request.target, request.extraThinkingTokens, sink.push);
          sink.flush();
          if (result === null) this.send({ kind: "ok", id: request.id });
          else this.send({ kind: "done", id: request.id, result });
        } finally {
          sink.flush();
        }
        return;
      }
      case "answerNow":
        this.engine.answerNow(request.target);
        this.send({ kind: "ok", id: request.id });
        return;
      case "cancel":
        this.loads.get(request.target)?.abort();
        this.engine.cancel(request.target);
        this.send({ kind: "ok", id: request.id });
        return;
      case "unload":
        await this.engine.unload({ releaseBackend: true });
        this.send({ kind: "ok", id: request.id });
        return;
      case "status":
        this.send({ kind: "status", id: request.id, status: this.engine.status() });
        return;
      case "fit":
        this.send({ kind: "fit", id: request.id, fit: await this.engine.fit(request.modelPath, request.options) });
        return;
      case "machine":
        this.send({ kind: "machine", id: request.id, machine: await this.engine.machine(request.gpu) });
        return;
      case "shutdown":
        await this.engine.unload({ releaseBackend: true }).catch(() => undefined);
        this.send({ kind: "ok", id: request.id });
        this.exit(0);
        return;
      default: {
        const never: never = request;
        throw new EngineError("protocol", `unknown request ${JSON.stringify(never)}`);
      }
    }
  }
}
