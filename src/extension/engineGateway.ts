import * as vscode from "vscode";
import type { EngineInfo } from "../protocol";
import type { AskEvent, AskRequest, LoadConfig } from "../engine/types";
import type { Configuration } from "./configuration";
import type { EngineConnection, RunningAsk } from "./chat/engineConnection";

/** The engine process, started on the first question. (Wired to src/engine/client once it lands.) */
export class EngineGateway implements EngineConnection, vscode.Disposable {
  private readonly info = new vscode.EventEmitter<EngineInfo>();
  readonly onEngineInfo = this.info.event;

  constructor(
    private readonly extensionPath: string,
    private readonly configuration: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  ask(_load: LoadConfig, _request: AskRequest, _onEvent: (event: AskEvent) => void): RunningAsk {
    return this.unavailable();
  }

  continueThinking(_load: LoadConfig, _previous: RunningAsk, _onEvent: (event: AskEvent) => void): RunningAsk {
    return this.unavailable();
  }

  private unavailable(): RunningAsk {
    void this.extensionPath;
    void this.configuration;
    this.log.error("engine not wired yet");
    return { result: Promise.reject(new Error("The engine is not available in this build.")), answerNow: () => undefined, cancel: () => undefined };
  }

  dispose(): void {
    this.info.dispose();
  }
}
