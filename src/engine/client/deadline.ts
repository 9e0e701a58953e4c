/**
 * A timer that fires once unless it is cleared first, and can be pushed back: the watchdog's
 * unit. The engine client arms one per thing it waits for (progress from a working engine, the
 * end of a cancelled request, the reply to a control request).
 */
export class Deadline {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly onExpire: () => void,
  ) {
    this.reset();
  }

  /** Starts the wait again from now (something arrived). */
  reset(): void {
    this.clear();
    if (!Number.isFinite(this.ms) || this.ms <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onExpire();
    }, this.ms);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** How long the engine client waits before it decides the engine has stopped responding. */
export interface WatchdogLimits {
  /** Nothing at all from a loading or generating engine for this long (selfBraking.model.stallTimeoutSeconds); 0: never. */
  readonly stallMs: number;
  /** A cancelled request: the engine has said nothing for this long since Stop (and it is stuck for good at three times this). */
  readonly cancelGraceMs: number;
  /** A control request (status, unload) has not been answered within this. */
  readonly controlMs: number;
}
