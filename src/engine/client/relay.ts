/**
 * The replies to a request whose handler is not ready yet: kept in order (and the process's end,
 * if it comes) until a handler takes them over. Used when the engine streams a continuation the
 * client had not expected: nothing it sends may be lost while the client gets ready for it.
 */
import type { EngineError } from "../common/errors";
import type { MessageHandler } from "./engineProcess";

type Reply = Parameters<MessageHandler["onMessage"]>[0];

export class Relay implements MessageHandler {
  private readonly held: Reply[] = [];
  private ended: EngineError | null = null;
  private handler: MessageHandler | null = null;

  onMessage(message: Reply): void {
    if (this.handler) this.handler.onMessage(message);
    else this.held.push(message);
  }

  onExit(error: EngineError): void {
    if (this.handler) this.handler.onExit(error);
    else this.ended = error;
  }

  /** Holds what comes from now on, starting with `message`, until the next {@link handOver}. */
  hold(message: Reply): void {
    this.handler = null;
    this.held.push(message);
  }

  /** `handler` gets what was held, in order, then everything that follows. */
  handOver(handler: MessageHandler): void {
    this.handler = handler;
    for (const message of this.held.splice(0)) {
      if (this.handler !== handler) return; // the handler held again while replaying
      handler.onMessage(message);
    }
    if (this.ended && this.handler === handler) handler.onExit(this.ended);
  }
}
