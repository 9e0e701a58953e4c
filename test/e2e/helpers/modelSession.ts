/**
 * A code-server session set up with a scripted GGUF model the test writes (CPU, one thread):
 * registers the suite's `before` and `after` hooks and returns the session's getter.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import type { ScriptedModelSpec } from "../../../src/scripted-model/scriptedModel";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import type { E2ESession } from "../../harness/session";
import { startSession } from "../../harness/session";

export function scriptedModelSession(fileName: string, spec: ScriptedModelSpec, settings: Record<string, unknown> = {}): () => E2ESession | undefined {
  let session: E2ESession | undefined;
  const modelDir = mkdtempSync(join(tmpdir(), "self-braking-e2e-model-"));
  const modelPath = join(modelDir, fileName);
  before(
    async () => {
      writeFileSync(modelPath, buildScriptedModel(spec).gguf);
      session = await startSession({
        userSettings: { "selfBraking.model.path": modelPath, "selfBraking.model.gpu": "cpu", "selfBraking.model.threads": 1, ...settings },
      });
    },
    // First use installs code-server (minutes); later runs start in well under a minute.
    { timeout: 30 * 60_000 },
  );
  after(async () => {
    await session?.close();
    rmSync(modelDir, { recursive: true, force: true });
  });
  return () => session;
}
