/** The commands and the URI scheme of the code-block actions (package.json contributes the commands). */
export const CODE_ACTION_COMMANDS = {
  /** Accepts the proposed change shown in the active diff (editor title, notification, palette). */
  acceptProposal: "selfBraking.acceptProposal",
  /** Closes the proposed change without applying it. */
  rejectProposal: "selfBraking.rejectProposal",
  /** Internal (hidden from the palette): runs a code-block action as the chat page would: (action, code, language, target?). */
  runCodeAction: "selfBraking.runCodeAction",
} as const;

/** Proposed versions of documents, served read-only by the proposal store. */
export const PROPOSAL_SCHEME = "self-braking-proposal";
