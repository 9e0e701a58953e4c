/**
 * Closing llama.cpp's backend safely. node-llama-cpp 3.21.1 throws from a failed model load
 * without disposing the half-made model, whose hold on the backend is released only while that
 * model object is alive: once the garbage collector takes it, `Llama.dispose()` waits forever, and
 * in a process with nothing else to do the event loop ends under it. A backend on which a load
 * failed is therefore left open (freed when the engine process exits) instead of awaited.
 */
import type { Llama } from "node-llama-cpp";

const failedLoads = new WeakSet<Llama>();

/** Notes that a model load on this backend failed after node-llama-cpp began making the model. */
export function noteFailedLoad(llama: Llama): void {
  failedLoads.add(llama);
}

/** Closes the backend, or leaves it open when a failed load makes closing it hang; says which. */
export async function releaseBackend(llama: Llama): Promise<"closed" | "left-open"> {
  if (failedLoads.has(llama)) return "left-open";
  await llama.dispose();
  return "closed";
}
