import * as vscode from "vscode";
import { formatTokens as tokens } from "../core/format";
import type { EngineInfo, ModelStatus, Turn } from "../protocol";
import { engineText, lastAnswerText, serverText } from "./statusBarText";
import { serverModelName } from "./server/serverStatus";
import { CHAT_VIEW_ID, COMMAND_IDS } from "./commandIds";

/** The status-bar item: which model is set up and, while generating, the live token meter. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("selfBraking.status", vscode.StatusBarAlignment.Right, 100);
  private model: ModelStatus = { kind: "notConfigured" };
  private lastTurn: Turn | undefined;
  private engine: EngineInfo | undefined;
  private running: Turn | undefined;

  constructor() {
    this.item.name = "Self-Braking Reasoner";
    this.render();
    this.item.show();
  }

  showModel(model: ModelStatus): void {
    this.model = model;
    this.render(this.running);
  }

  /** The engine's state: a model loading (with its progress) or a load that failed shows here too. */
  showEngine(info: EngineInfo): void {
    this.engine = info;
    this.render(this.running);
  }

  /** The running turn (undefined once it has finished: the meter then shows its totals). */
  showTurn(turn: Turn | undefined, running: boolean): void {
    if (turn) this.lastTurn = turn;
    this.running = running ? turn : undefined;
    this.render(this.running);
  }

  private render(running?: Turn): void {
    const item = this.item;
    item.backgroundColor = undefined;
    const engine = engineText(this.engine, running, this.model.kind === "ready" || this.model.kind === "server", this.model.kind === "server");
    if (engine) {
      item.text = engine.text;
      item.tooltip = engine.tooltip;
      item.command = engine.failed ? COMMAND_IDS.showLog : COMMAND_IDS.stop;
      if (engine.failed) item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
      return;
    }
    if (running) {
      const meter = running.meter;
      const thinkingTokens = meter?.thinkingTokens ?? running.brake?.thinkingTokens ?? 0;
      if (running.promptRead !== undefined && (running.status === "thinking" || running.status === "answering")) {
        const { evaluated, total } = running.promptRead;
        item.text = `$(loading~spin) Reading prompt ${total > 0 ? Math.floor((100 * evaluated) / total) : 100} %`;
      } else if (running.status === "thinking") {
        const score = meter?.score !== null && meter?.score !== undefined ? ` · score ${meter.score.toFixed(2)}${meter.armed ? " armed" : ""}` : "";
        const end = meter?.endOfThinking;
        const signal = end ? ` · end ${(100 * end.probability).toFixed(0)} %` : "";
        item.text = `$(loading~spin) Thinking ${tokens(thinkingTokens)} tok${score}${signal}`;
      } else if (running.status === "answering") {
        item.text = `$(loading~spin) Answering${running.brake ? ` · braked at ${tokens(running.brake.thinkingTokens)} tok` : ""}`;
      } else {
        // the running turn is never "queued" (only waiting turns are; ChatSession test "never shows the running turn as queued")
        item.text = "$(loading~spin) Self-Braking: loading model";
      }
      item.tooltip = running.brakeStoodDown === undefined ? "Generating. Click to stop." : `Generating. ${running.brakeStoodDown} Click to stop.`;
      item.command = COMMAND_IDS.stop;
      return;
    }
    switch (this.model.kind) {
      case "notConfigured":
        item.text = "$(circle-slash) Self-Braking: no model";
        item.tooltip = "No model chosen. Click to pick one (on this machine, to download, or a file of your own).";
        item.command = COMMAND_IDS.selectModel;
        return;
      case "missing":
      case "invalid":
        item.text = this.model.kind === "missing" ? "$(warning) Self-Braking: model missing" : "$(warning) Self-Braking: model unusable";
        item.tooltip = this.model.message;
        item.command = COMMAND_IDS.selectModel;
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
        return;
      case "serverNotConfigured":
      case "server": {
        const stats = this.lastTurn?.stats;
        const server = serverText(this.model, this.engine);
        const last = stats && this.model.kind === "server" ? lastAnswerText(stats, this.lastTurn?.brake ?? null, serverModelName(this.model)) : undefined;
        item.text = last?.text ?? server.text;
        item.tooltip = last?.tooltip ?? server.tooltip;
        item.command = server.warning ? COMMAND_IDS.useServer : `${CHAT_VIEW_ID}.focus`;
        if (server.warning) item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
        return;
      }
      case "ready": {
        const stats = this.lastTurn?.stats;
        item.command = `${CHAT_VIEW_ID}.focus`;
        if (stats) {
          const last = lastAnswerText(stats, this.lastTurn?.brake ?? null, this.model.fileName);
          item.text = last.text;
          item.tooltip = last.tooltip;
        } else if (this.engine?.state === "loaded") {
          // what was loaded where: "CPU", "Vulkan · NVIDIA RTX 4060 · 33/33 layers"
          const [backend = "", ...rest] = this.engine.summary.split(" · ");
          const layers = rest.find((part) => /\blayers\b/.test(part));
          item.text = `$(debug-pause) Self-Braking · ${[backend, layers].filter((p) => p).join(" · ")}`;
          item.tooltip = `Model: ${this.model.fileName}, loaded: ${this.engine.summary}. Click to open the chat.`;
        } else {
          item.text = "$(debug-pause) Self-Braking";
          item.tooltip = `Model: ${this.model.fileName}. Click to open the chat.`;
        }
        return;
      }
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
