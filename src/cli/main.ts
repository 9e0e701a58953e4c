import type { CliIo } from "./command";
import { CliUsageError } from "./command";
import { COMMANDS } from "./commands/index";

declare const __VERSION__: string | undefined;

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "self-braking: run local reasoning models and brake their overthinking",
    "",
    "usage: self-braking <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `self-braking <command> --help` for a command's options.",
  ].join("\n");
}

/** An unknown option or a missing option value, as node:util's parseArgs reports them. */
function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && ((error as NodeJS.ErrnoException).code ?? "").startsWith("ERR_PARSE_ARGS_");
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(help() + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    io.stdout.write(`${typeof __VERSION__ === "string" ? __VERSION__ : "dev"}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`self-braking: unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(command.usage.trimEnd() + "\n");
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`self-braking ${name}: ${error.message}\n`);
      return 2;
    }
    if (isArgumentError(error)) {
      io.stderr.write(`self-braking ${name}: ${error.message.replace(/\n/g, " ")}\nRun \`self-braking ${name} --help\` for the options.\n`);
      return 2;
    }
    io.stderr.write(`self-braking ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // `self-braking … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stdout.isTTY) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`self-braking: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
