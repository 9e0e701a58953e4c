/**
 * A narrowing assertion for tests: `must(x, "the first turn")` returns `x` when it is neither
 * null nor undefined and fails the test naming what was missing otherwise. Use it instead of
 * `assert.ok(x); if (!x) return;` (which passes silently when the guard returns) and instead of
 * a non-null `x!` (which fails later with an unrelated TypeError).
 */
import { AssertionError } from "node:assert";

export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new AssertionError({ message: `expected ${what}, got ${String(value)}`, actual: value, expected: what, operator: "must" });
  }
  return value;
}
