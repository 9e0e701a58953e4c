/**
 * The Debian packages the tests need: the e2e harness, the GPU integration tests and the
 * llama-server build (scripts/build-llama-server.sh, which keeps its own apt fallback for a
 * machine that skipped this step). As root they are installed with apt-get; otherwise the
 * harness stops with the exact command to run.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarnessError, say, since } from "./log";

/** Package → why the harness needs it, from debian-packages.txt (one list for this and .ci/run). */
export const SYSTEM_PACKAGES: Readonly<Record<string, string>> = Object.fromEntries(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "debian-packages.txt"), "utf8")
    .split("\n")
    .map((line) => /^\s*([a-z0-9][a-z0-9+.-]*)\s*(?:#\s*(.*))?$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [match[1], match[2] ?? ""]),
);

function hasDpkg(): boolean {
  return spawnSync("dpkg-query", ["--version"], { stdio: "ignore" }).status === 0;
}

function isInstalled(pkg: string): boolean {
  const result = spawnSync("dpkg-query", ["-W", "-f=${db:Status-Status}", pkg], { encoding: "utf8" });
  return result.status === 0 && result.stdout.trim() === "installed";
}

export function missingSystemPackages(): string[] {
  return Object.keys(SYSTEM_PACKAGES).filter((pkg) => !isInstalled(pkg));
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function apt(args: string[]): void {
  const result = spawnSync("apt-get", args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) throw new HarnessError(`apt-get ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
}

/** Makes sure every package in SYSTEM_PACKAGES is installed; as root installs what is missing. */
export function ensureSystemPackages(): void {
  if (!hasDpkg()) {
    throw new HarnessError(
      "The e2e harness expects a Debian-based system (dpkg-query not found). It needs:\n" +
        Object.entries(SYSTEM_PACKAGES).map(([pkg, why]) => `  ${pkg}: ${why}`).join("\n"),
    );
  }
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot()) {
    throw new HarnessError(
      `The tests need these Debian packages, which are not installed:\n` +
        missing.map((pkg) => `  ${pkg}: ${SYSTEM_PACKAGES[pkg]}`).join("\n") +
        `\nInstall them as root, then run the tests again:\n  sudo sh -c '${command}'`,
    );
  }
  const started = Date.now();
  say(`installing Debian packages: ${missing.join(" ")}`);
  apt(["update", "-q"]);
  apt(["install", "-y", "-q", "--no-install-recommends", ...missing]);
  const still = missingSystemPackages();
  if (still.length > 0) throw new HarnessError(`apt-get did not install: ${still.join(" ")}`);
  say(`Debian packages installed in ${since(started)}`);
}
