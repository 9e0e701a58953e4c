/**
 * The calibration report page: lays out what the host sends (already worded and validated) and
 * posts back which button was pressed. The chart arrives as SVG markup the host drew from the
 * table's numbers; it is sanitised like any markup before it is shown.
 */
import DOMPurify from "dompurify";
import type { CalibrationPageMessage, CalibrationView } from "../../calibrationProtocol";
import { parseCalibrationHostMessage } from "../../calibrationProtocol";
import { h } from "../dom";

interface PageApi {
  postMessage(message: CalibrationPageMessage): void;
  getState(): { axis?: "tokens" | "seconds" } | undefined;
  setState(state: { axis: "tokens" | "seconds" }): void;
}
declare function acquireVsCodeApi(): PageApi;

const vscode = acquireVsCodeApi();
const purify = DOMPurify(window);
let axis: "tokens" | "seconds" = vscode.getState()?.axis ?? "tokens";
let current: CalibrationView | undefined;

function button(label: string, message: CalibrationPageMessage, attributes: Record<string, string> = {}): HTMLButtonElement {
  const b = h("button", { type: "button", ...attributes }, label);
  b.addEventListener("click", () => vscode.postMessage(message));
  return b;
}

function chart(view: CalibrationView): HTMLElement {
  const markup = axis === "seconds" && view.charts.seconds !== null ? view.charts.seconds : view.charts.tokens;
  const figure = h("figure", { class: "chart" });
  figure.append(purify.sanitize(markup, { USE_PROFILES: { svg: true }, RETURN_DOM_FRAGMENT: true }));
  const toggle = h("div", { class: "axis-toggle", role: "group", "aria-label": "Chart axis" });
  const choice = (value: "tokens" | "seconds", label: string): HTMLButtonElement => {
    const b = h("button", { type: "button", class: value === axis ? "secondary selected" : "secondary", "aria-pressed": String(value === axis) }, label);
    b.addEventListener("click", () => {
      axis = value;
      vscode.setState({ axis });
      render();
    });
    return b;
  };
  toggle.append(choice("tokens", "Thinking tokens"));
  if (view.charts.seconds !== null) toggle.append(choice("seconds", "Time (estimated)"));
  return h("section", { class: "chart-section" }, toggle, figure);
}

function table(header: readonly string[], rows: readonly { cells: readonly string[]; className?: string }[], caption: string): HTMLTableElement {
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...header.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", r.className ? { class: r.className } : {}, ...r.cells.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c)))))),
  );
}

function recommendation(view: CalibrationView): HTMLElement {
  const rec = view.recommendation;
  if (rec === null) {
    return h("section", { class: "recommendation none" }, h("h2", {}, "No recommendation"), h("p", {}, "No threshold saved thinking within the tolerance on these problems. Keep your current settings, or calibrate on more problems."));
  }
  const apply = view.applied
    ? h("p", { class: "applied", role: "status" }, `In use for ${view.modelName}.`)
    : button(`Use for ${view.modelName}`, { type: "apply" }, { class: "primary", "data-action": "apply" });
  return h("section", { class: "recommendation" }, h("h2", {}, `Recommended: ${rec.label}`), h("p", {}, rec.why), h("pre", {}, h("code", {}, rec.settingsJson)), apply, h("p", { class: "muted" }, view.savingLine));
}

function render(): void {
  const root = document.getElementById("app");
  const view = current;
  if (!root || !view) return;
  const rows = view.rows.map((r) => ({ cells: r.cells, className: [`kind-${r.kind}`, r.recommended ? "recommended" : ""].filter(Boolean).join(" ") }));
  const confirmation = view.confirmation;
  root.replaceChildren(
    h("h1", {}, view.title),
    h("p", { class: "muted" }, view.summary),
    recommendation(view),
    chart(view),
    table(view.header, rows, "Every setting replayed on the same recordings (the chart draws these numbers)"),
    h("p", { class: "muted" }, view.method),
    confirmation === null
      ? h("p", { class: "muted" }, "No live confirmation was run.")
      : h(
          "section",
          { class: `confirmation ${confirmation.confirmed ? "confirmed" : "check"}` },
          h("h2", {}, "Live confirmation"),
          table(confirmation.header, confirmation.rows.map((cells) => ({ cells })), "The recommended setting answered live on a sample"),
          h("p", {}, confirmation.verdict),
        ),
    h("p", { class: "muted" }, view.signalNote),
    h(
      "div",
      { class: "actions" },
      button("Export JSON…", { type: "export", format: "json" }, { class: "secondary" }),
      button("Export Markdown…", { type: "export", format: "markdown" }, { class: "secondary" }),
      button("Export Chart (SVG)…", { type: "export", format: "svg" }, { class: "secondary" }),
      button("Calibrate Again…", { type: "calibrateAgain" }, { class: "secondary" }),
    ),
  );
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  const parsed = parseCalibrationHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`Self-Braking: ignored a malformed message from the host (${parsed.error}).`);
    return;
  }
  current = parsed.message.view;
  if (current.charts.seconds === null) axis = "tokens";
  render();
});
vscode.postMessage({ type: "ready" });
