import * as vscode from "vscode";
import { ChatViewProvider } from "./chatViewProvider";
import { CHAT_VIEW_ID } from "./commandIds";
import { registerCommands } from "./commands";
import { Configuration } from "./configuration";
import { modelStatus } from "./modelFile";
import { StatusBar } from "./statusBar";

/**
 * Activation wires settings, commands, the chat view and the status bar. It must stay cheap:
 * node-llama-cpp is only loaded (in the engine process) when a model is first needed.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel("Self-Braking Reasoner", { log: true });
  const configuration = new Configuration(log);
  const chat = new ChatViewProvider(context.extensionUri, configuration, log);
  const statusBar = new StatusBar();

  const refreshStatus = async (): Promise<void> => statusBar.showModel(await modelStatus(configuration.settings["model.path"]));
  void refreshStatus();

  context.subscriptions.push(
    log,
    configuration,
    chat,
    statusBar,
    configuration.onDidChange(() => void refreshStatus()),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    ...registerCommands({ configuration, log }),
  );
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
