/** Declares e2e tests on a session shared by a file; a failing test saves its evidence under test-results/e2e/. */
import { test } from "node:test";
import type { TestContext } from "node:test";
import type { E2ESession } from "../../harness/session";

export type SessionTest = (name: string, body: (s: E2ESession, t: TestContext) => Promise<void>) => void;

/** `session()` is read when a test runs (the `before` hook sets it); `evidencePrefix` names the screenshot files. */
export function sessionTest(session: () => E2ESession | undefined, evidencePrefix = ""): SessionTest {
  return (name, body) => {
    test(name, { timeout: 5 * 60_000 }, async (t) => {
      const s = session();
      if (!s) throw new Error("no session: starting code-server or the browser failed (see the hook's error above)");
      try {
        await body(s, t);
      } catch (error) {
        const screenshot = await s.saveFailureEvidence(`${evidencePrefix}${name}`).catch(() => "(could not save)");
        t.diagnostic(`screenshot: ${screenshot}`);
        throw error;
      }
    });
  };
}
