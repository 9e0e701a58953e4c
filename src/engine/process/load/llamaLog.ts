/**
 * llama.cpp's log lines, routed. One `LlamaLog` per opened backend (node-llama-cpp takes the
 * logger once, in getLlama, and the backend outlives a model): it forwards warnings and errors to
 * the engine's log, feeds the Vulkan start-up lines to `VulkanDeviceLog` (device types), and keeps
 * the error lines of the load in progress so a failed load can say llama.cpp's own reason
 * ("tensor … data is not within the file bounds") instead of node-llama-cpp's bare
 * "Failed to load model".
 */
import { VulkanDeviceLog } from "../hardware/devices";

export type LogFn = (level: "debug" | "info" | "warn" | "error", message: string) => void;
export type LlamaLogSeverity = "debug" | "info" | "warn" | "error";

/** Error lines that only say that something failed, not why: "failed to load model", "failed to read header", "failed to read tensor data". */
const GENERIC = [/^failed to /i, /failed to load model\b/i, /^error loading model\s*$/i];
const KEPT_LINES = 20;

/** llama.cpp's message without its function prefixes ("llama_model_load: error loading model: "). */
export function stripLlamaPrefixes(line: string): string {
  let text = line.trim();
  for (;;) {
    const next = text.replace(/^[a-z_][a-z0-9_]*:\s+/i, "").replace(/^error loading model:\s*/i, "");
    if (next === text) return text;
    text = next;
  }
}

/** The most specific of llama.cpp's error lines: the last that does not merely say "failed to load". */
export function llamaReason(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = stripLlamaPrefixes(lines[i] ?? "");
    if (text.length > 0 && !GENERIC.some((g) => g.test(text))) return text;
  }
  return null;
}

export class LlamaLog {
  readonly vulkan = new VulkanDeviceLog();
  private capture: string[] | null = null;

  constructor(private sink: LogFn) {}

  /** The engine's log for this load (the backend, and so this router, is reused across loads). */
  setSink(sink: LogFn): void {
    this.sink = sink;
  }

  /** node-llama-cpp's logger calls this. Debug and info lines are read for device types, not forwarded. */
  write(severity: LlamaLogSeverity, text: string): void {
    const line = text.trim();
    if (line.length === 0) return;
    if (line.includes("ggml_vulkan")) this.vulkan.feed(line);
    if (severity === "error" && this.capture) {
      this.capture.push(line);
      if (this.capture.length > KEPT_LINES) this.capture.shift();
    }
    if (severity === "warn" || severity === "error") this.sink(severity, `llama.cpp: ${line}`);
  }

  /** Starts keeping error lines (a load begins); returns a function that stops and gives llama.cpp's reason. */
  startCapture(): () => string | null {
    const lines: string[] = [];
    this.capture = lines;
    return () => {
      if (this.capture === lines) this.capture = null;
      return llamaReason(lines);
    };
  }
}
