/**
 * The commands of server mode: Use a Server… (the address, then the model), Select Server
 * Model… (the server's `/v1/models`), Set Server API Key… and Clear Server API Key. The key is
 * read from a password box into secret storage and goes nowhere else.
 */
import * as vscode from "vscode";
import { apiKeyProblem, checkServerUrl, redactServerUrl, serverHost } from "../../core/settings/serverUrl";
import { COMMAND_IDS } from "../commandIds";
import type { Configuration } from "../configuration";
import { listServerModels } from "./serverModels";
import type { ServerModelsResult } from "./serverModels";
import { serverOrigin } from "./serverKeys";
import type { ServerKeys } from "./serverKeys";

export interface ServerCommandDependencies {
  readonly configuration: Configuration;
  readonly keys: ServerKeys;
  readonly log: vscode.LogOutputChannel;
  /** Connects to the chosen server and model now, with progress in the chat and the status bar. */
  readonly loadNow: () => void;
}

/** Listing models is quick on any working server: the picker does not wait the whole question timeout. */
const LIST_TIMEOUT_SECONDS = 30;

const SET_KEY = "Set API Key…";
const TRY_AGAIN = "Try Again";
const OPEN_SETTINGS = "Open Settings";
const USE_SERVER = "Use a Server…";

/** "Self-Braking: Use a Server…": the server's address, checked as the setting is, then its model. */
async function useServer(deps: ServerCommandDependencies): Promise<void> {
  const { configuration } = deps;
  const current = configuration.settings["server.url"];
  const entered = await vscode.window.showInputBox({
    title: "Use a server (1/2): its address",
    prompt: "The base address of llama-server, vLLM or another OpenAI-compatible server. The brake runs here, on the thinking it streams.",
    placeHolder: "http://gpu-box:8080",
    value: current,
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === "") return "Give the server's address, such as http://gpu-box:8080.";
      const checked = checkServerUrl(value);
      return checked.ok ? undefined : `It must be ${checked.expected}.`;
    },
  });
  if (entered === undefined) return;
  const checked = checkServerUrl(entered);
  if (!checked.ok || checked.url === "") return;
  // another server: the model named for the last one may not exist there
  const model = serverOrigin(checked.url) !== serverOrigin(current) ? "" : configuration.settings["server.model"];
  if (model !== configuration.settings["server.model"]) await configuration.update("server.model", model);
  await configuration.update("server.url", checked.url);
  await configuration.update("engine", "server");
  deps.log.info(`Engine set to the server at ${redactServerUrl(checked.url)}.`);
  // what was just written, not what the settings say yet (they are read again when VS Code reports the change)
  await selectServerModel(deps, "Use a server (2/2): its model", { url: checked.url, model });
}

/** "Self-Braking: Select Server Model…": the ids the server lists, the current one marked; the one picked is written to `selfBraking.server.model`. */
export async function selectServerModel(deps: ServerCommandDependencies, title = "Select the server's model", chosen?: { readonly url: string; readonly model: string }): Promise<void> {
  const { configuration, keys, log } = deps;
  const settings = configuration.settings;
  const url = chosen?.url ?? settings["server.url"];
  if (url === "") {
    const choice = await vscode.window.showInformationMessage("No server address is set (selfBraking.server.url).", USE_SERVER);
    if (choice === USE_SERVER) await useServer(deps);
    return;
  }
  await keys.ready;
  const host = serverHost(url);
  const result: ServerModelsResult = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Asking ${host} for its models…` }, () =>
    listServerModels({ url, apiKey: keys.keyFor(url), timeoutSeconds: Math.min(settings["server.timeoutSeconds"], LIST_TIMEOUT_SECONDS) }),
  );
  if (!result.ok) {
    log.warn(`Listing the models of ${redactServerUrl(url)} failed: ${result.message}`);
    const elsewhere = result.reason === "unauthorized" && keys.origin !== undefined && keys.keyFor(url) === undefined ? ` (The API key kept is for ${keys.origin}, not for this server.)` : "";
    const actions = result.reason === "unauthorized" ? [SET_KEY, TRY_AGAIN] : [TRY_AGAIN, OPEN_SETTINGS];
    const choice = await vscode.window.showErrorMessage(`Could not list the models of ${host}: ${result.message}${elsewhere}`, ...actions);
    if (choice === SET_KEY) {
      if (await setServerApiKey(deps, url)) await selectServerModel(deps, title, chosen);
    } else if (choice === TRY_AGAIN) await selectServerModel(deps, title, chosen);
    else if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand(COMMAND_IDS.openSettings, "selfBraking.server.url");
    return;
  }
  const current = chosen?.model ?? settings["server.model"];
  type Item = vscode.QuickPickItem & { readonly id: string; readonly local?: true };
  const items: Item[] = [
    ...result.models.map((id): Item => ({ id, label: `${id === current ? "$(check) " : ""}${id}`, ...(id === current ? { description: "current" } : {}) })),
    {
      id: "",
      label: `${current === "" ? "$(check) " : ""}The server's own model`,
      description: current === "" ? "current" : "",
      detail: "Ask for no model by name: the server's only model, or its first (selfBraking.server.model empty).",
    },
    { id: "", label: "", kind: vscode.QuickPickItemKind.Separator },
    { id: "", local: true, label: "$(library) A Model on This Machine…", detail: "Select Model…: run a GGUF file here instead of on the server." },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: result.models.length === 0 ? `${host} lists no models by name` : `The models ${host} serves (${result.models.length})`,
    matchOnDescription: true,
  });
  if (!picked || picked.kind === vscode.QuickPickItemKind.Separator) return;
  if (picked.local) {
    await vscode.commands.executeCommand(COMMAND_IDS.selectModel);
    return;
  }
  if (picked.id !== current) await configuration.update("server.model", picked.id);
  if (configuration.settings.engine !== "server") await configuration.update("engine", "server");
  log.info(`Server model set to ${picked.id === "" ? "the server's own" : picked.id} on ${redactServerUrl(url)}.`);
  deps.loadNow();
}

/** "Self-Braking: Set Server API Key…": a password box; kept for the configured server's origin; empty clears. True when a key was set. */
async function setServerApiKey(deps: ServerCommandDependencies, serverUrl?: string): Promise<boolean> {
  const { configuration, keys, log } = deps;
  const url = serverUrl ?? configuration.settings["server.url"];
  const origin = serverOrigin(url);
  if (url === "" || origin === undefined) {
    const choice = await vscode.window.showWarningMessage("Give the server's address first: the API key is kept for one server and sent only to it.", USE_SERVER);
    if (choice === USE_SERVER) await useServer(deps);
    return false;
  }
  await keys.ready;
  const has = keys.keyFor(url) !== undefined;
  const key = await vscode.window.showInputBox({
    title: `API key for ${origin}`,
    prompt: "Kept in VS Code's secret storage, never in settings, and sent only to this server (Authorization: Bearer). Leave empty to clear it.",
    placeHolder: has ? "A key is set: type a new one, or leave empty to clear it" : "The server's API key",
    password: true,
    ignoreFocusOut: true,
    validateInput: apiKeyProblem,
  });
  if (key === undefined) return false;
  const trimmed = key.trim();
  if (trimmed === "") {
    await keys.clear();
    log.info("Server API key cleared.");
    void vscode.window.showInformationMessage("The server API key was cleared.");
    return false;
  }
  await keys.set(url, trimmed);
  log.info(`Server API key set for ${origin}.`);
  void vscode.window.showInformationMessage(`The API key for ${origin} is kept in VS Code's secret storage.`);
  return true;
}

async function clearServerApiKey(deps: ServerCommandDependencies): Promise<void> {
  await deps.keys.clear();
  deps.log.info("Server API key cleared.");
  void vscode.window.showInformationMessage("The server API key was cleared from VS Code's secret storage.");
}

export function registerServerCommands(deps: ServerCommandDependencies): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMAND_IDS.useServer, () => useServer(deps)),
    vscode.commands.registerCommand(COMMAND_IDS.selectServerModel, () => selectServerModel(deps)),
    vscode.commands.registerCommand(COMMAND_IDS.setServerApiKey, () => setServerApiKey(deps)),
    vscode.commands.registerCommand(COMMAND_IDS.clearServerApiKey, () => clearServerApiKey(deps)),
  ];
}
