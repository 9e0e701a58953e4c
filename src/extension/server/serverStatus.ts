import type { Settings } from "../../core/settings/registry";
import { serverHost } from "../../core/settings/serverUrl";
import type { ModelStatus } from "../../protocol";

/** Where the model stands in server mode, as the chat page and the status bar show it: the server (and the model asked for), or no address yet. */
export function serverStatus(settings: Settings): Extract<ModelStatus, { kind: "server" | "serverNotConfigured" }> {
  const url = settings["server.url"];
  if (url === "") return { kind: "serverNotConfigured" };
  return { kind: "server", url, host: serverHost(url), model: settings["server.model"] };
}

/**
 * What per-model settings and calibrations are kept by for a server's model:
 * `server:http://gpu-box:8080#Qwen3-32B` (never a file path, so never a local model's).
 */
export function serverModelKey(settings: Settings): string {
  const url = settings["server.url"].trim().replace(/\/+$/, "");
  return url === "" ? "" : `server:${url}#${settings["server.model"]}`;
}

/** How a server's model is named to people: "Qwen3-32B on gpu-box:8080", or "the model of gpu-box:8080". */
export function serverModelName(status: Extract<ModelStatus, { kind: "server" }>): string {
  return status.model !== "" ? `${status.model} on ${status.host}` : `the model of ${status.host}`;
}
