/** Progress lines of the e2e harness, on stderr so test reporters keep stdout to themselves. */
export function say(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

/** Seconds since `startMs`, for progress lines: "12.3 s". */
export function since(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
}

/** An error whose message is the whole story: printed without a stack by the CLI entry points. */
export class HarnessError extends Error {
  override name = "HarnessError";
}

/** Runs an async CLI main, printing a HarnessError as a plain message and exiting 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof HarnessError) process.stderr.write(`\n${error.message}\n`);
    else console.error(error);
    process.exit(1);
  });
}
