/** Every command this extension registers; package.json's `contributes.commands` lists exactly these. */
export const COMMAND_IDS = {
  chooseModel: "selfBraking.chooseModel",
  openSettings: "selfBraking.openSettings",
  showLog: "selfBraking.showLog",
  stop: "selfBraking.stop",
  answerNow: "selfBraking.answerNow",
  newChat: "selfBraking.newChat",
} as const;

export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS];

export const CHAT_VIEW_ID = "selfBraking.chat";
export const GENERATING_CONTEXT_KEY = "selfBraking.generating";
