/** Where the e2e harness keeps things: all under the repository's ignored folders. */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Ignored cache (`.cache/` is in .gitignore): code-server installs, bundled extension-host tests. */
export const CACHE_ROOT = join(REPO_ROOT, ".cache");
/** Ignored: screenshots and logs of failed e2e tests. */
export const RESULTS_ROOT = join(REPO_ROOT, "test-results");
/** The platform-specific package that `npm run package` writes. */
export const VSIX_PATH = join(REPO_ROOT, "out", "self-braking-linux-x64.vsix");
