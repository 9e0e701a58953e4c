import * as vscode from "vscode";
import { formatBytes } from "../../core/format";
import { checkGgufFile } from "../../engine/common/ggufHeader";
import { CATALOGUE } from "../../engine/models/catalogue";
import type { CatalogueEntry } from "../../engine/models/catalogue";
import { discoverModels } from "../../engine/models/discovery";
import type { DiscoveredModel, ModelSource } from "../../engine/models/discovery";
import type { Configuration } from "../configuration";
import { modelFilePath } from "../modelFile";
import { downloadFolder } from "./downloadFolder";
import { downloadWithProgress } from "./modelDownload";
import { ramFit } from "./fitBadge";
import type { FitView } from "./fitBadge";
import { engineFitViews } from "./engineFit";
import type { EngineFits, RankedFitView } from "./engineFit";
import type { RecentModels } from "./recentModels";
import { COMMAND_IDS } from "../commandIds";
import { serverStatus, serverModelName } from "../server/serverStatus";

const SOURCE_NAMES: Record<ModelSource, string> = {
  lmstudio: "LM Studio",
  ollama: "Ollama",
  huggingface: "Hugging Face cache",
  "node-llama-cpp": "node-llama-cpp",
  downloads: "downloaded here",
  recent: "used before",
};

export interface ModelPickerDependencies {
  readonly configuration: Configuration;
  readonly log: vscode.LogOutputChannel;
  readonly recent: RecentModels;
  readonly globalStorage: vscode.Uri;
  /** The engine's fit estimates (a first estimate from RAM alone shows until they arrive). */
  readonly fits: EngineFits;
  /** Loads the chosen model now, with progress in the chat and the status bar. */
  readonly loadNow: () => void;
}

type PickItem = vscode.QuickPickItem &
  (
    | { readonly kind?: undefined; readonly pick: "local"; readonly model: DiscoveredModel }
    | { readonly pick: "catalogue"; readonly entry: CatalogueEntry }
    | { readonly pick: "browse" | "uri" | "server" | "serverModel" }
    | { readonly kind: vscode.QuickPickItemKind.Separator }
  );

function separator(label: string): PickItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

function facts(model: DiscoveredModel): string {
  const f = model.facts;
  return [f?.sizeLabel, f?.quantization, formatBytes(model.sizeBytes), f?.chatTemplateThinks === false ? "no thinking segment" : null].filter((x): x is string => !!x).join(" · ");
}

/**
 * "Self-Braking: Select Model": the models on this machine, the recommended ones to download, a
 * file or URI of your own, or a server. In server mode the server's model comes first; picking a
 * file runs it on this machine again.
 */
export async function selectModel(deps: ModelPickerDependencies): Promise<void> {
  const { configuration } = deps;
  const onServer = configuration.settings.engine === "server";
  const current = onServer ? "" : modelFilePath(configuration.settings["model.path"]);
  const server = serverStatus(configuration.settings);
  const folder = downloadFolder(configuration.settings, deps.globalStorage);
  const picker = vscode.window.createQuickPick<PickItem>();
  picker.title = "Select a reasoning model";
  picker.placeholder = "Models on this machine, recommended models to download, or a GGUF file of your own";
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.busy = true;
  const head: PickItem[] =
    onServer && server.kind === "server"
      ? [separator("On the server"), { pick: "serverModel", label: `$(check) ${serverModelName(server)}`, description: "Select Server Model…", detail: `${server.url} · the models this server lists` }]
      : [];
  const tail: PickItem[] = [
    separator("Other"),
    { pick: "browse", label: "$(folder-opened) Browse for a GGUF File…" },
    { pick: "uri", label: "$(cloud-download) Download from a URL or hf: URI…" },
    { pick: "server", label: "$(remote) Use a Server…", description: "llama-server, vLLM or any OpenAI-compatible server", detail: "The model runs on the server; the brake runs here, on the thinking it streams." },
  ];
  picker.items = [...head, ...tail];
  picker.show();

  const discovered = await discoverModels({ downloadFolders: [folder], recentFiles: deps.recent.list() }).catch((error: unknown) => {
    deps.log.warn(`Looking for models on this machine failed: ${error instanceof Error ? error.message : String(error)}`);
    return [] as DiscoveredModel[];
  });
  const have = new Set(discovered.map((m) => m.path.split(/[\\/]/).pop()));
  const catalogue = CATALOGUE.filter((entry) => entry.file === null || !have.has(entry.file));
  const usable = discovered.filter((m) => m.problem === null);
  const items = (files: ReadonlyMap<string, RankedFitView>, entries: ReadonlyMap<string, RankedFitView>): PickItem[] => {
    const fileView = (m: DiscoveredModel): FitView => files.get(m.path) ?? ramFit(m.sizeBytes);
    const entryView = (e: CatalogueEntry): FitView => entries.get(e.id) ?? ramFit(e.sizeBytes);
    const rank = (view: FitView): number => ("rank" in view && typeof view.rank === "number" ? view.rank : 99);
    // best fit first, once the engine has said (a stable sort keeps the discovery order otherwise)
    const local = [...discovered].sort((a, b) => (a.problem === null ? rank(fileView(a)) : 100) - (b.problem === null ? rank(fileView(b)) : 100));
    const recommended = [...catalogue].sort((a, b) => rank(entryView(a)) - rank(entryView(b)));
    return [
      ...head,
      separator("On this machine"),
      ...(local.length > 0
        ? local.map((model): PickItem => {
            const view = model.problem === null ? fileView(model) : null;
            return {
              pick: "local",
              model,
              label: `${model.path === current ? "$(check) " : model.problem !== null ? "$(warning) " : ""}${model.displayName}`,
              description: [facts(model), view?.badge].filter((x) => !!x).join(" · "),
              detail: model.problem ?? `${SOURCE_NAMES[model.source]}${model.storeName ? ` (${model.storeName})` : ""} · ${view?.reason ?? ""} ${model.path}`,
            };
          })
        : [{ pick: "browse", label: "No GGUF models found in LM Studio, Ollama, the Hugging Face cache or the download folder", description: "Browse…" } as PickItem]),
      separator("Recommended to download"),
      ...recommended.map((entry): PickItem => {
        const view = entryView(entry);
        return {
          pick: "catalogue",
          entry,
          label: `$(cloud-download) ${entry.displayName}`,
          description: `${entry.sizeVerified ? "" : "~"}${formatBytes(entry.sizeBytes)} · ${entry.quantisation} · ${entry.licence} · ${view.badge}`,
          detail: `${entry.goodFor} ${view.reason}`,
        };
      }),
      ...tail,
    ];
  };
  picker.items = items(new Map(), new Map());
  // the engine's estimates (GPU layers, context, speed) replace the first ones when they arrive
  const contextSize = configuration.settings["model.contextSize"];
  void engineFitViews(deps.fits, usable.map((m) => m.path), catalogue, contextSize).then(
    (views) => {
      picker.items = items(views.files, views.catalogue);
      picker.busy = false;
    },
    (error: unknown) => {
      deps.log.warn(`Fit estimates from the engine failed: ${error instanceof Error ? error.message : String(error)}`);
      picker.busy = false;
    },
  );

  const chosen = await new Promise<PickItem | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]));
    picker.onDidHide(() => resolve(undefined));
  });
  picker.dispose();
  if (!chosen || chosen.kind === vscode.QuickPickItemKind.Separator) return;
  switch (chosen.pick) {
    case "local":
      if (chosen.model.problem !== null) {
        void vscode.window.showErrorMessage(`${chosen.model.displayName} cannot be used: ${chosen.model.problem}`);
        return;
      }
      await useModel(deps, chosen.model.path);
      return;
    case "catalogue": {
      const entry = chosen.entry;
      if (entry.file === null) {
        const open = await vscode.window.showInformationMessage(
          `${entry.displayName} is published as "${entry.uri}", which names a quantisation the Hub resolves to a file; downloading that form is not supported yet. Open the repository to download the ${entry.quantisation} file, then choose it with Browse.`,
          "Open on Hugging Face",
        );
        if (open) await vscode.env.openExternal(vscode.Uri.parse(`https://huggingface.co/${entry.repo}`));
        return;
      }
      const confirm = await vscode.window.showInformationMessage(
        `Download ${entry.displayName} (${entry.sizeVerified ? "" : "about "}${formatBytes(entry.sizeBytes)}, ${entry.licence}) from Hugging Face into ${folder}?`,
        { modal: true, detail: `${entry.uri}\n${chosen.description ?? ""}` },
        "Download",
      );
      if (confirm !== "Download") return;
      const path = await downloadWithProgress(entry.uri, folder, entry.displayName, deps.log);
      if (path) await useModel(deps, path);
      return;
    }
    case "browse":
      await vscode.commands.executeCommand("selfBraking.chooseModel");
      return;
    case "uri":
      await downloadFromUri(deps);
      return;
    case "server":
      await vscode.commands.executeCommand(COMMAND_IDS.useServer);
      return;
    case "serverModel":
      await vscode.commands.executeCommand(COMMAND_IDS.selectServerModel);
      return;
  }
}

/** "Self-Braking: Download Model…": a URL or hf: URI, downloaded into the download folder and selected. */
export async function downloadFromUri(deps: ModelPickerDependencies): Promise<void> {
  const source = await vscode.window.showInputBox({
    title: "Download a GGUF model",
    prompt: "An https URL of a .gguf file, or hf:<user>/<repo>/<file>.gguf",
    placeHolder: "hf:unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
    ignoreFocusOut: true,
    validateInput: (value) => (/^(?:hf:|https?:\/\/)\S+\.gguf(?:#\S+)?$/i.test(value.trim()) ? undefined : "Give an https URL ending in .gguf, or an hf:<user>/<repo>/<file>.gguf URI."),
  });
  if (!source) return;
  const folder = downloadFolder(deps.configuration.settings, deps.globalStorage);
  const path = await downloadWithProgress(source.trim(), folder, source.trim().split(/[\\/]/).pop() ?? "the model", deps.log);
  if (path) await useModel(deps, path);
}

/** Checks the file's header, selects it (on this machine, leaving server mode), remembers it, and loads it now. */
export async function useModel(deps: Pick<ModelPickerDependencies, "configuration" | "log" | "recent" | "loadNow">, path: string): Promise<void> {
  const check = await checkGgufFile(path);
  if (!check.ok) {
    void vscode.window.showErrorMessage(`This file cannot be used as a model: ${check.message}`);
    return;
  }
  await deps.configuration.update("model.path", path);
  await runLocally(deps.configuration);
  await deps.recent.remember(path);
  deps.log.info(`Model set to ${path}`);
  deps.loadNow();
}

/** A model file was chosen: it runs on this machine (`selfBraking.engine: local`), not on the server set before. */
export async function runLocally(configuration: Configuration): Promise<void> {
  if (configuration.settings.engine !== "local") await configuration.update("engine", "local");
}
