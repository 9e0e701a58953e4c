/**
 * A tiny cross-process lock (an exclusive lock directory holding the owner's pid), so that two
 * test runs in the same checkout do not install into the same cache folder at once.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HarnessError, say } from "./log";

function ownerAlive(lockDir: string): boolean {
  try {
    const pid = Number(readFileSync(join(lockDir, "pid"), "utf8"));
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs `work` while holding `lockDir`; waits (up to `timeoutMs`) for another live holder. */
export async function withLock<T>(lockDir: string, what: string, work: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A holder that died (or has not written its pid yet, for a moment) leaves the directory.
      await sleep(500);
      if (!ownerAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) say(`waiting for another process to finish: ${what}`);
      announced = true;
      if (Date.now() > deadline) throw new HarnessError(`Timed out waiting for the lock ${lockDir} (${what}). Remove it if no test run is going on.`);
      await sleep(2000);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
