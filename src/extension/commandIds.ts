import { CODE_ACTION_COMMANDS } from "./codeActions/ids";

/** Every command this extension registers; package.json's `contributes.commands` lists exactly these. */
export const COMMAND_IDS = {
  chooseModel: "selfBraking.chooseModel",
  openSettings: "selfBraking.openSettings",
  showLog: "selfBraking.showLog",
  stop: "selfBraking.stop",
  answerNow: "selfBraking.answerNow",
  newChat: "selfBraking.newChat",
  askAboutSelection: "selfBraking.askAboutSelection",
  attachCurrentFile: "selfBraking.attachCurrentFile",
  addFile: "selfBraking.addFile",
  openPanel: "selfBraking.openPanel",
  useDemoModel: "selfBraking.useDemoModel",
  selectModel: "selfBraking.selectModel",
  useServer: "selfBraking.useServer",
  selectServerModel: "selfBraking.selectServerModel",
  setServerApiKey: "selfBraking.setServerApiKey",
  clearServerApiKey: "selfBraking.clearServerApiKey",
  downloadModel: "selfBraking.downloadModel",
  keepSettingsForModel: "selfBraking.keepSettingsForModel",
  useGlobalSettings: "selfBraking.useGlobalSettings",
  calibrate: "selfBraking.calibrate",
  showCalibration: "selfBraking.showCalibration",
  ...CODE_ACTION_COMMANDS,
} as const;

export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS];

export const CHAT_VIEW_ID = "selfBraking.chat";
/** The chat as an editor tab (a webview panel VS Code restores after a reload). */
export const CHAT_PANEL_TYPE = "selfBraking.chatPanel";
export const GENERATING_CONTEXT_KEY = "selfBraking.generating";
