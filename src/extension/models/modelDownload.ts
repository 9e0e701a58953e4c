import * as vscode from "vscode";
import { formatBytes, formatDuration } from "../../core/format";
import { downloadModel, isDownloadError } from "../../engine/models/download";
import type { DownloadProgress } from "../../engine/models/download";

function progressText(p: DownloadProgress): string {
  const total = p.totalBytes !== null ? ` of ${formatBytes(p.totalBytes)}` : "";
  const speed = p.bytesPerSecond > 0 ? ` · ${formatBytes(p.bytesPerSecond)}/s` : "";
  const left = p.secondsLeft !== null && Number.isFinite(p.secondsLeft) ? ` · ${formatDuration(p.secondsLeft)} left` : "";
  const part = p.part.count > 1 ? ` (part ${p.part.index} of ${p.part.count})` : "";
  return `${formatBytes(p.receivedBytes)}${total}${speed}${left}${part}`;
}

/**
 * Downloads a model with a cancellable progress notification (size, speed, time left). Resolves
 * to the finished file's path, or undefined when the user cancelled (the partial file stays and
 * the next download of the same file resumes it) or it failed (the error was shown).
 */
export async function downloadWithProgress(source: string, folder: string, label: string, log: vscode.LogOutputChannel, expectedSize?: number): Promise<string | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading ${label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      try {
        const result = await downloadModel({
          source,
          destinationDir: folder,
          signal: abort.signal,
          ...(expectedSize !== undefined ? { expectedSize } : {}),
          onProgress: (p) => {
            const percent = p.totalBytes ? (100 * p.receivedBytes) / p.totalBytes : 0;
            progress.report({ message: progressText(p), increment: Math.max(0, percent - reported) });
            reported = Math.max(reported, percent);
          },
          onNotice: (notice) => log.info(`download: ${notice.message}`),
        });
        log.info(`Downloaded ${source} to ${result.path} (${formatBytes(result.bytes)})`);
        return result.path;
      } catch (error) {
        if (isDownloadError(error) && error.code === "cancelled") {
          void vscode.window.showInformationMessage(`Download of ${label} stopped. The part already downloaded is kept: downloading it again resumes where it stopped.`);
          return undefined;
        }
        const message = error instanceof Error ? error.message : String(error);
        log.warn(`Download of ${source} failed: ${message}`);
        const choice = await vscode.window.showErrorMessage(`Could not download ${label}: ${message}`, "Choose a Local File…");
        if (choice) await vscode.commands.executeCommand("selfBraking.chooseModel");
        return undefined;
      }
    },
  );
}
