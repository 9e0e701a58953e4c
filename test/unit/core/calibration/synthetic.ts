/** Synthetic recordings written for the calibration tests (never copied from shared data). */
import type { CalibrationRecording } from "../../../../src/core/calibration/recording";

/** States the right answer early, then re-checks it again and again: braking early keeps it. */
export function overthinking(id: string, a: number, b: number, checks = 8): CalibrationRecording {
  const thinking = [
    `Let me compute the total. Tom starts with ${a} apples and adds ${b} apples.`,
    `He has ${a} + ${b} = ${a + b} apples.`,
    `So the answer is ${a + b}.`,
    ...Array.from({ length: checks }, (_, i) => (i % 2 ? `Hmm, maybe I should verify again. The answer is ${a + b}.` : `Wait, let me check: ${b} + ${a} = ${a + b}. Yes.`)),
    "I am confident.",
    "",
  ].join("\n\n");
  return rec(id, "How many apples does Tom have?", String(a + b), thinking, `The answer is ${a + b}.`);
}

/** Sets up at length, states a wrong answer, then corrects it late: a low threshold brakes on the wrong one. */
export function lateChange(id: string): CalibrationRecording {
  const thinking = [
    ...Array.from({ length: 8 }, (_, i) => `Step ${i + 1}: let me carefully set up the quantities from the problem statement before computing anything at all here.`),
    "Each box holds 6 eggs and there are 7 boxes, so 6 + 7 = 13 eggs.",
    "So the answer is 13.",
    "Hmm, let me reconsider the wording of the question carefully.",
    "Oh wait, I misread: boxes hold 6 each, so it is 6 × 7 = 42, not 13.",
    "So the answer is 42.",
    "",
  ].join("\n\n");
  return rec(id, "How many eggs are in the boxes?", "42", thinking, "The answer is 42.");
}

function rec(id: string, problem: string, answer: string, thinking: string, final: string): CalibrationRecording {
  return { id, model: "test-model", dataset: "gsm8k", kind: "math", problem, answer, finalCode: null, trace: `<think>${thinking}</think>${final}`, correct: true };
}

/** 12 overthinking problems and 6 late changes (all right without a brake). */
export function mixedSet(): CalibrationRecording[] {
  return [...Array.from({ length: 12 }, (_, i) => overthinking(`over-${i}`, 10 + i, 30 + 2 * i)), ...Array.from({ length: 6 }, (_, i) => lateChange(`late-${i}`))];
}
