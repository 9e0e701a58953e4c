/**
 * `node --import tsx test/harness/setup.ts`: everything the e2e tests need before they run: the
 * Debian packages (installed when root) and code-server in `.cache/code-server/<version>/`.
 * Idempotent and fast when done already. The tests call the same functions on first use.
 */
import { ensureCodeServer } from "./code-server-install";
import { runMain, say, since } from "./log";
import { ensureSystemPackages } from "./system-packages";

runMain(async () => {
  const started = Date.now();
  ensureSystemPackages();
  const install = await ensureCodeServer();
  say(`e2e prerequisites ready in ${since(started)}: code-server ${install.version} at ${install.entry}`);
});
