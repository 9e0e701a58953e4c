import * as vscode from "vscode";
import { ChatSession } from "./chat/chatSession";
import { ChatPages } from "./chatPages";
import { CodeActions } from "./codeActions/codeActions";
import { checkNextQuestion } from "./chat/contextCheck";
import { CHAT_PANEL_TYPE, CHAT_VIEW_ID, GENERATING_CONTEXT_KEY } from "./commandIds";
import { registerCommands } from "./commands";
import { Configuration } from "./configuration";
import { ConversationStore, keptAsideNotice } from "./conversationStore";
import { EngineGateway } from "./engineGateway";
import { currentModelKey, currentModelStatus } from "./modelFile";
import { loadConfigFrom } from "./chat/askRequest";
import { RecentModels } from "./models/recentModels";
import { EffectiveSettings } from "./models/effectiveSettings";
import { ModelProfiles } from "./models/modelProfiles";
import { StatusBar } from "./statusBar";
import { CalibrationStore } from "./calibration/calibrationStore";
import { registerCalibrationCommands } from "./calibration/calibrationCommands";
import { ServerKeys } from "./server/serverKeys";
import { registerServerCommands } from "./server/serverCommands";

/**
 * Activation wires settings, commands, the chat view and the status bar. It stays cheap:
 * the engine process (and node-llama-cpp inside it) starts only when a question is asked.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel("Self-Braking Reasoner", { log: true });
  const configuration = new Configuration(log);
  const statusBar = new StatusBar();
  const store = new ConversationStore(context.workspaceState, log);
  // the server API key: secret storage only, read now so that it is at hand when a question starts
  const serverKeys = new ServerKeys(context.secrets, (message) => log.warn(message));
  const engine = new EngineGateway(context.extensionUri.fsPath, configuration, log, serverKeys);
  const restored = store.load();
  if (restored.keptAside) {
    void vscode.window.showWarningMessage(keptAsideNotice(restored.keptAside), "Show Log").then((choice) => {
      if (choice === "Show Log") log.show(true);
    });
  }

  const profiles = new ModelProfiles(context.globalState);
  const effective = new EffectiveSettings(configuration, profiles);
  const calibrations = new CalibrationStore(context.globalState);
  const session: ChatSession = new ChatSession(
    engine,
    {
      post: (message) => pages.post(message),
      generatingChanged: (generating) => {
        void vscode.commands.executeCommand("setContext", GENERATING_CONTEXT_KEY, generating);
        void pages.pushState();
      },
      turnChanged: (turn) => statusBar.showTurn(turn, session.generating),
      engineChanged: (info) => {
        statusBar.showEngine(info);
        void pages.pushState();
      },
      stateChanged: () => void pages.pushState(),
      save: (chats) => store.save(chats),
    },
    () => effective.settings,
    restored.chats,
    (question, attachments, history) => checkNextQuestion(effective.settings, session.loadedContextTokens, question, attachments, history).problem ?? undefined,
  );
  const codeActions = new CodeActions(log);
  // the session's sink reaches the pages only once a question runs, after this line
  const pages = new ChatPages(context.extensionUri, configuration, log, session, codeActions, effective);
  engine.onEngineInfo((info) => session.setEngineInfo(info));
  // the saving shown after a brake rests on this model's calibration once it has one
  session.savingRatioFor = () => calibrations.savingRatio(currentModelKey(configuration.settings));

  const recent = new RecentModels(context.globalState);
  const refreshModel = async (): Promise<void> => {
    const status = await currentModelStatus(configuration.settings);
    statusBar.showModel(status);
    if (status.kind === "ready") await recent.remember(status.path);
  };
  void refreshModel();
  void vscode.commands.executeCommand("setContext", GENERATING_CONTEXT_KEY, false);

  context.subscriptions.push(
    log,
    codeActions,
    configuration,
    session,
    pages,
    statusBar,
    engine,
    serverKeys,
    configuration.onDidChange(() => void refreshModel()),
    profiles.onDidChange(() => void pages.pushState()),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, pages),
    vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, pages),
    ...registerCalibrationCommands({
      extensionUri: context.extensionUri,
      engine,
      effective,
      profiles,
      store: calibrations,
      isGenerating: () => session.generating,
      // a server's model has no calibration (they are kept by model file)
      currentModelKey: () => currentModelKey(configuration.settings),
      log,
    }),
    ...registerServerCommands({ configuration, keys: serverKeys, log, loadNow: () => session.loadNow() }),
    ...registerCommands({
      configuration,
      log,
      session,
      pages,
      storageUri: context.globalStorageUri,
      extensionUri: context.extensionUri,
      effective,
      models: {
        configuration,
        log,
        recent,
        globalStorage: context.globalStorageUri,
        // fits are for files on this machine, whatever runs the model now
        fits: { file: (path) => engine.fit(loadConfigFrom({ ...effective.settings, engine: "local" }), path), machine: () => engine.machine(loadConfigFrom({ ...effective.settings, engine: "local" })) },
        loadNow: () => session.loadNow(),
      },
    }),
  );
  const loadStart = (globalThis as { __selfBrakingLoadStart?: number }).__selfBrakingLoadStart;
  const loading = loadStart !== undefined ? ` (bundle loaded in ${(started - loadStart).toFixed(1)} ms)` : "";
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms${loading}`);
}

export function deactivate(): void {
  // Everything, the engine process included, is disposed through context.subscriptions.
}
