/** Helpers for the extension-host tests: our extension and its manifest. */
import * as vscode from "vscode";

export const EXTENSION_ID = "self-braking.self-braking";

export interface Manifest {
  readonly contributes: {
    readonly commands: readonly { command: string; title: string; category?: string }[];
    readonly views?: Record<string, readonly { id: string }[]>;
    readonly viewsContainers?: { activitybar?: readonly { id: string }[] };
    readonly configuration: { properties: Record<string, { default?: unknown; type?: string | string[] }> };
  };
}

export function ourExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

export function manifest(): Manifest {
  return ourExtension().packageJSON as Manifest;
}

/** Activates the extension (idempotent) and resolves once it is active. */
export async function activated(): Promise<vscode.Extension<unknown>> {
  const extension = ourExtension();
  await extension.activate();
  return extension;
}
