/** Progress of a download as the user sees it: bytes, speed over the last seconds, time left. */

export interface DownloadProgress {
  /** Bytes on disk for this model so far, resumed bytes included. Never decreases unless the download restarts. */
  readonly receivedBytes: number;
  /** The whole model's size, null while unknown (a split model's later parts, a server that does not say). */
  readonly totalBytes: number | null;
  /** Over the last few seconds of this call (resumed bytes do not count). */
  readonly bytesPerSecond: number;
  /** null while the total or the speed is unknown. */
  readonly secondsLeft: number | null;
  /** Which file of a split model is downloading (1-based). */
  readonly part: { readonly index: number; readonly count: number };
}

const WINDOW_MS = 5000;

/** Accumulates bytes and calls `onProgress` at most every `intervalMs` (and always on flush). */
export class ProgressMeter {
  private received = 0;
  private total: number | null = null;
  private part = { index: 1, count: 1 };
  private samples: Array<{ readonly t: number; readonly bytes: number }> = [];
  /** Bytes received over the network by this call (for the speed). */
  private transferred = 0;
  private lastEmit = Number.NEGATIVE_INFINITY;
  private lastReported = -1;

  constructor(
    private readonly onProgress: ((progress: DownloadProgress) => void) | undefined,
    private readonly intervalMs = 200,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Start (or restart) counting at `receivedBytes` on disk, of `totalBytes`. */
  reset(receivedBytes: number, totalBytes: number | null, part: { index: number; count: number }): void {
    this.received = receivedBytes;
    this.total = totalBytes;
    this.part = part;
    this.lastReported = -1;
    this.emit(true);
  }

  add(bytes: number): void {
    this.received += bytes;
    this.transferred += bytes;
    this.emit(false);
  }

  flush(): void {
    this.emit(true);
  }

  get receivedBytes(): number {
    return this.received;
  }

  private speed(t: number): number {
    this.samples.push({ t, bytes: this.transferred });
    while (this.samples.length > 2 && t - this.samples[1]!.t > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (t - first.t) / 1000;
    return seconds > 0 ? (this.transferred - first.bytes) / seconds : 0;
  }

  private emit(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastEmit < this.intervalMs) return;
    if (force && this.received === this.lastReported) return;
    this.lastEmit = t;
    this.lastReported = this.received;
    const bytesPerSecond = this.speed(t);
    const left = this.total === null ? null : Math.max(0, this.total - this.received);
    const secondsLeft = left === null ? null : left === 0 ? 0 : bytesPerSecond > 0 ? left / bytesPerSecond : null;
    this.onProgress?.({ receivedBytes: this.received, totalBytes: this.total, bytesPerSecond, secondsLeft, part: { ...this.part } });
  }
}
