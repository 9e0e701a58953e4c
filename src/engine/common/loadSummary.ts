/**
 * What a loaded model runs on, as one line for people: the backend always with what it means
 * ("Vulkan (GPU)", "Vulkan (software renderer — runs on the CPU)", "CPU"), the devices, the
 * layers offloaded, the context and the threads. The chat header and `self-braking ask` show it.
 */
import type { LoadReport } from "./types";

const BACKEND_NAMES: Record<LoadReport["backend"], string> = { cuda: "CUDA", vulkan: "Vulkan", metal: "Metal", cpu: "CPU", server: "Server" };

/** The parts of the line, in order (join them with " · "). */
export function loadSummaryParts(report: LoadReport): string[] {
  const parts: string[] = [];
  if (report.server) {
    parts.push(`${report.server.api === "llama-server" ? "llama-server" : "server"} ${report.server.host}`, report.server.model);
    if (report.contextSize > 0) parts.push(`context ${report.contextSize}`);
    return parts;
  }
  if (report.backend === "cpu") {
    parts.push("CPU");
  } else {
    parts.push(`${BACKEND_NAMES[report.backend]} (${report.device.note})`);
    if (report.gpuDevices.length > 0) parts.push(report.gpuDevices.join(", "));
    parts.push(`${report.layersOffloaded}/${report.layersTotal} layers ${report.device.kind === "gpu" ? "on GPU" : "offloaded"}`);
  }
  parts.push(`context ${report.contextSize}`);
  parts.push(`${report.threads} thread${report.threads === 1 ? "" : "s"}`);
  return parts;
}

export function loadedIn(report: LoadReport): string {
  // a no-break space keeps the unit with its number when the line wraps
  return `loaded in ${(report.timings.totalMs / 1000).toFixed(1)}\u00a0s`;
}
