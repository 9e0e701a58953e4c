/**
 * The messages between the calibration report page (src/webview/calibration) and its host
 * (src/extension/calibration). The host sends the report already worded (table cells, sentences,
 * the chart as SVG markup it drew from the same numbers); the page only lays it out and sends back
 * which button was pressed. Both directions are validated on arrival.
 */
import * as z from "zod/mini";
import type { ParseResult } from "./protocol";
import { parseMessage } from "./protocol";

const text = z.string().check(z.maxLength(20_000));
const svg = z.string().check(z.maxLength(400_000));

export const CalibrationViewSchema = z.object({
  title: text,
  /** One line: the model, the problems, when. */
  summary: text,
  header: z.array(text),
  rows: z.array(z.object({ cells: z.array(text), kind: z.enum(["off", "adaptive", "signal", "budget"]), recommended: z.boolean() })),
  method: text,
  recommendation: z.nullable(z.object({ label: text, why: text, settingsJson: text })),
  savingLine: text,
  signalNote: text,
  confirmation: z.nullable(z.object({ header: z.array(text), rows: z.array(z.array(text)), verdict: text, confirmed: z.boolean() })),
  charts: z.object({ tokens: svg, seconds: z.nullable(svg) }),
  /** Whether this model now uses the recommended values (its own settings equal them). */
  applied: z.boolean(),
  modelName: text,
});
export type CalibrationView = z.infer<typeof CalibrationViewSchema>;

export const CalibrationHostMessageSchema = z.object({ type: z.literal("show"), view: CalibrationViewSchema });
export type CalibrationHostMessage = z.infer<typeof CalibrationHostMessageSchema>;

export const CalibrationPageMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("apply") }),
  z.object({ type: z.literal("export"), format: z.enum(["json", "markdown", "svg"]) }),
  z.object({ type: z.literal("calibrateAgain") }),
]);
export type CalibrationPageMessage = z.infer<typeof CalibrationPageMessageSchema>;

export function parseCalibrationPageMessage(raw: unknown): ParseResult<CalibrationPageMessage> {
  return parseMessage(CalibrationPageMessageSchema, raw);
}

export function parseCalibrationHostMessage(raw: unknown): ParseResult<CalibrationHostMessage> {
  return parseMessage(CalibrationHostMessageSchema, raw);
}
