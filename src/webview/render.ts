import type { ModelStatus, ViewState } from "../protocol";
import { h } from "./dom";

export type Action = { type: "chooseModel" } | { type: "openSettings"; query?: string };

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function button(label: string, action: Action, primary = true): HTMLButtonElement {
  const b = h("button", { type: "button", class: primary ? "primary" : "secondary", "data-action": action.type }, label);
  if (action.type === "openSettings" && action.query) b.dataset["query"] = action.query;
  return b;
}

function modelSection(model: ModelStatus): HTMLElement {
  switch (model.kind) {
    case "notConfigured":
      return h(
        "section",
        { class: "first-run", "data-state": "notConfigured" },
        h("h2", {}, "No model configured"),
        h("p", {}, "Self-Braking Reasoner runs a reasoning model (a GGUF file such as a DeepSeek-R1 distill, QwQ or Qwen3) on this machine and brakes its thinking when further thinking is redundant."),
        h("p", {}, "Choose a GGUF model file to start."),
        button("Choose GGUF Model File…", { type: "chooseModel" }),
      );
    case "missing":
      return h(
        "section",
        { class: "first-run", "data-state": "missing" },
        h("h2", {}, "Model file not found"),
        h("p", { class: "error" }, model.message),
        button("Choose GGUF Model File…", { type: "chooseModel" }),
        button("Open Settings", { type: "openSettings", query: "selfBraking.model.path" }, false),
      );
    case "ready":
      return h(
        "section",
        { class: "model", "data-state": "ready" },
        h("h2", {}, model.fileName),
        h("p", { class: "muted", title: model.path }, `${formatBytes(model.sizeBytes)} · ${model.path}`),
        button("Change Model…", { type: "chooseModel" }, false),
      );
  }
}

function brakeSummary(state: ViewState): HTMLElement {
  const mode =
    state.brakeMode === "adaptive"
      ? `Adaptive brake at overthink score ${state.threshold.toFixed(2)}`
      : state.brakeMode === "budget"
        ? "Thinking budget only"
        : "Brake off";
  return h("p", { class: "brake-summary muted" }, mode, " · ", button("Brake Settings", { type: "openSettings", query: "selfBraking.brake" }, false));
}

export function renderState(root: HTMLElement, state: ViewState): void {
  const problems =
    state.settingProblems.length > 0
      ? h("section", { class: "problems", role: "alert" }, ...state.settingProblems.map((p) => h("p", { class: "error" }, p)))
      : null;
  root.replaceChildren(...[problems, modelSection(state.model), brakeSummary(state)].filter((n): n is HTMLElement => n !== null));
}

/** The action a click asks for, read from the nearest `data-action` button. */
export function actionFromClick(target: EventTarget | null): Action | undefined {
  if (!(target instanceof Element)) return undefined;
  const el = target.closest<HTMLElement>("[data-action]");
  if (!el) return undefined;
  const type = el.dataset["action"];
  if (type === "chooseModel") return { type };
  if (type === "openSettings") return el.dataset["query"] ? { type, query: el.dataset["query"] } : { type };
  return undefined;
}
