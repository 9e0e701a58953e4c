import type { ModelStatus, ViewState } from "../protocol";
import { SETTINGS } from "../core/settings/registry";
import type { BrakeMode } from "../core/vocabulary";
import { h } from "./dom";
import { formatBytes } from "./format";

const THRESHOLD = SETTINGS["brake.threshold"];

/** The brake-mode menu, in the order shown (a Record over the vocabulary: every mode has an entry). */
const BRAKE_MODE_LABELS = { adaptive: "Adaptive brake", budget: "Budget only", off: "Brake off" } as const satisfies Record<BrakeMode, string>;
const BRAKE_MODE_MENU = Object.entries(BRAKE_MODE_LABELS) as [BrakeMode, string][];

function button(label: string, action: string, primary = true, data: Record<string, string> = {}): HTMLButtonElement {
  const attributes: Record<string, string> = { type: "button", class: primary ? "primary" : "secondary", "data-action": action };
  for (const [key, value] of Object.entries(data)) attributes[`data-${key}`] = value;
  return h("button", attributes, label);
}

/** A model the chat can ask: a file on this machine, or a server. */
export type UsableModel = Extract<ModelStatus, { kind: "ready" | "server" }>;

/** Shown instead of the chat while no usable model file (or, in server mode, no server address) is configured. */
export function firstRunView(model: Exclude<ModelStatus, UsableModel>): HTMLElement {
  if (model.kind === "notConfigured") {
    return h(
      "section",
      { class: "first-run", "data-state": "notConfigured" },
      h("h2", {}, "No model configured"),
      h("p", {}, "Self-Braking Reasoner runs a reasoning model (a GGUF file such as a DeepSeek-R1 distill, QwQ or Qwen3) on this machine and brakes its thinking when further thinking has become redundant."),
      h("p", {}, "Pick a model: the ones already on this machine (LM Studio, Ollama, the Hugging Face cache), a recommended one to download, or a GGUF file of your own. Or try the brake first with the scripted demo model."),
      button("Select a Model…", "selectModel"),
      button("Choose GGUF Model File…", "chooseModel", false),
      button("Try the Scripted Demo Model", "useDemoModel", false),
      h("p", { class: "muted" }, "The demo model is a tiny scripted GGUF that replays one fixed transcript through real llama.cpp: it shows the brake at work, but it is not a language model and does not answer your question."),
      h("p", { class: "muted" }, "Or let a server you run elsewhere (llama-server, vLLM or any OpenAI-compatible server) run the model: the brake works the same, on the thinking it streams."),
      button("Use a Server…", "useServer", false),
    );
  }
  if (model.kind === "serverNotConfigured") {
    return h(
      "section",
      { class: "first-run", "data-state": "serverNotConfigured" },
      h("h2", {}, "No server address"),
      h("p", {}, "The model is set to run on a server (selfBraking.engine is \"server\"), but no server address is set."),
      button("Use a Server…", "useServer"),
      button("Select a Local Model…", "selectModel", false),
      button("Open Settings", "openSettings", false, { query: "selfBraking.server.url" }),
    );
  }
  return h(
    "section",
    { class: "first-run", "data-state": model.kind },
    h("h2", {}, model.kind === "missing" ? "Model file not found" : "This file cannot be used as a model"),
    h("p", { class: "error" }, model.message),
    button("Select a Model…", "selectModel"),
    button(model.kind === "missing" ? "Choose GGUF Model File…" : "Choose Another GGUF File…", "chooseModel", false),
    button("Open Settings", "openSettings", false, { query: "selfBraking.model.path" }),
  );
}

export function modelBar(state: ViewState & { model: UsableModel }): HTMLElement {
  const { model, engine } = state;
  const server = model.kind === "server";
  const engineLine =
    engine.state === "loading"
      ? server
        ? "Connecting to the server…"
        : `Loading${engine.loadProgress !== undefined ? ` ${Math.round(engine.loadProgress * 100)} %` : "…"}`
      : engine.state === "loaded"
        ? engine.summary
        : engine.state === "crashed"
          ? `Engine stopped: ${engine.summary}`
          : engine.loadError !== undefined
            ? `${server ? "Could not use the server" : "Could not load the model"}: ${engine.loadError}`
            : server
              ? "Connects on the first question"
              : "Loads on the first question";
  const name =
    model.kind === "server"
      ? [
          h("strong", { title: model.url }, model.model !== "" ? model.model : "The server's model"),
          h("span", { class: "muted", title: model.url }, ` · server ${model.host}`),
          " ",
          h("button", { type: "button", class: "secondary small", "data-action": "selectServerModel", title: "Select another of the server's models (Select Model… for a model on this machine)" }, "Switch…"),
        ]
      : [
          h("strong", { title: model.path }, model.fileName),
          " ",
          h("button", { type: "button", class: "secondary small", "data-action": "selectModel", title: "Switch to another model (on this machine or to download)" }, "Switch…"),
          h("span", { class: "muted" }, ` ${formatBytes(model.sizeBytes)}`),
        ];
  return h(
    "section",
    { class: "model-bar", "data-engine": engine.state, "data-model": model.kind },
    h(
      "div",
      { class: "model-name" },
      ...name,
      engine.scripted ? h("span", { class: "badge", title: "A scripted demo model: it replays a fixed transcript, it is not a language model." }, "scripted demo") : null,
    ),
    h("div", { class: engine.loadError !== undefined && engine.state === "stopped" ? "error engine-line" : "muted engine-line" }, engineLine),
    ...engine.notes.map((note) => h("div", { class: "note" }, note)),
  );
}

/** The brake controls: mode and the threshold slider (writes the settings). */
export function brakeBar(state: ViewState): HTMLElement {
  const mode = h("select", { "data-control": "brakeMode", "aria-label": "Brake mode", title: "Brake mode" });
  for (const [value, label] of BRAKE_MODE_MENU) {
    const option = h("option", { value }, label);
    option.selected = value === state.brakeMode;
    mode.append(option);
  }
  const slider = h("input", {
    type: "range",
    // the setting's whole range, so that touching the slider never rewrites a valid value
    min: String(THRESHOLD.minimum),
    max: String(THRESHOLD.maximum),
    step: "0.01",
    value: String(state.threshold),
    "data-control": "threshold",
    "aria-label": "Brake threshold (overthink score)",
    title: "Lower brakes earlier and saves more tokens; higher waits longer.",
  });
  slider.disabled = state.brakeMode !== "adaptive";
  const value = h("output", { class: "threshold-value" }, state.threshold.toFixed(2));
  return h(
    "section",
    { class: "brake-bar" },
    mode,
    h("label", { class: "threshold" }, "τ ", slider, value),
    ...modelSettingsNote(state),
  );
}

const PROFILE_KEY_NAMES: Record<ViewState["modelSettings"][number], string> = { "brake.threshold": "threshold", "brake.mode": "brake mode", "brake.signal": "end-of-thinking signal", "model.contextSize": "context size" };

/** "For this model: threshold, brake mode" with Use Global, when the model keeps its own settings. */
function modelSettingsNote(state: ViewState): HTMLElement[] {
  if (state.modelSettings.length === 0) return [];
  const names = state.modelSettings.map((key) => PROFILE_KEY_NAMES[key]).join(", ");
  return [
    h(
      "div",
      { class: "model-settings muted", title: "This model keeps its own values for these settings (calibration or Keep Brake Settings for This Model); the controls above change them for this model only." },
      `For this model: ${names} `,
      h("button", { type: "button", class: "secondary small", "data-action": "useGlobalSettings", title: "Use your settings for this model too" }, "Use Global"),
    ),
  ];
}

export function problemsView(problems: readonly string[]): HTMLElement | null {
  if (problems.length === 0) return null;
  return h("section", { class: "problems", role: "alert" }, ...problems.map((p) => h("p", { class: "error" }, p)));
}
