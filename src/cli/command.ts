/** One `self-braking <name>` sub-command. */
export interface CliCommand {
  readonly name: string;
  /** One line for `self-braking --help`. */
  readonly summary: string;
  /** Full usage text for `self-braking <name> --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isTTY: boolean;
}

/** A user mistake (bad arguments, unreadable file): printed without a stack trace, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}
