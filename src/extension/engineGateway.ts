import { join } from "node:path";
import * as vscode from "vscode";
import type { AskHandle } from "../engine/client/askHandle";
import { EngineClient } from "../engine/client/engineClient";
import type { EngineState } from "../engine/client/engineClient";
import type { AskEvent, AskRequest, LoadConfig } from "../engine/common/types";
import type { EngineInfo } from "../protocol";
import type { Configuration } from "./configuration";
import type { EngineConnection, RunningAsk } from "./chat/engineConnection";

interface GatewayAsk extends RunningAsk {
  readonly handle: AskHandle;
}

/**
 * The chat's connection to the engine process (dist/engine.js, a child process so that a native
 * crash cannot take the editor down). The process starts on the first question, never at
 * activation, and stops after the idle time in `selfBraking.model.idleUnloadMinutes`.
 */
export class EngineGateway implements EngineConnection, vscode.Disposable {
  private client: EngineClient | undefined;
  private clientIdleMinutes = -1;
  private readonly info = new vscode.EventEmitter<EngineInfo>();
  readonly onEngineInfo = this.info.event;

  constructor(
    private readonly extensionPath: string,
    private readonly configuration: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  ask(load: LoadConfig, request: AskRequest, onEvent: (event: AskEvent) => void): RunningAsk {
    const client = this.clientFor(load);
    return this.wrap(client.ask(request), onEvent);
  }

  continueThinking(load: LoadConfig, previous: RunningAsk, onEvent: (event: AskEvent) => void): RunningAsk {
    this.clientFor(load);
    const handle = "handle" in previous ? (previous as GatewayAsk).handle : undefined;
    if (!handle) throw new Error("That answer cannot continue thinking.");
    return this.wrap(handle.continueThinking(), onEvent);
  }

  private wrap(handle: AskHandle, onEvent: (event: AskEvent) => void): GatewayAsk {
    handle.onEvent(onEvent);
    return { handle, result: handle.result, answerNow: () => handle.answerNow(), cancel: () => handle.cancel() };
  }

  /** The engine client; recreated (when idle) if the idle-unload setting changed. */
  private clientFor(load: LoadConfig): EngineClient {
    const idleMinutes = this.configuration.settings["model.idleUnloadMinutes"];
    if (this.client && this.clientIdleMinutes !== idleMinutes && this.client.state !== "generating") {
      void this.client.dispose();
      this.client = undefined;
    }
    if (!this.client) {
      this.client = new EngineClient(load, {
        enginePath: join(this.extensionPath, "dist", "engine.js"),
        idleUnloadMinutes: idleMinutes,
        onLog: (level, message) => this.log[level === "debug" ? "debug" : level](message),
      });
      this.clientIdleMinutes = idleMinutes;
      this.client.onStateChange((state) => this.stateChanged(state));
    }
    this.client.setLoadConfig(load);
    return this.client;
  }

  private stateChanged(state: EngineState): void {
    if (state === "stopped") {
      this.log.info("Engine stopped; the model is unloaded and its memory freed.");
      this.info.fire({ state: "stopped", summary: "", notes: [], scripted: false });
    }
  }

  dispose(): void {
    void this.client?.dispose();
    this.info.dispose();
  }
}
