/** `self-braking demo-model OUT.gguf`: writes the scripted demo model (not a language model). */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatBytes } from "../../core/format";
import { buildScriptedModel } from "../../scripted-model/scriptedModel";
import { DEMO, reasoningModelSpec } from "../../scripted-model/scripts";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";

const USAGE = `usage: self-braking demo-model OUT.gguf

Writes a tiny GGUF that *replays a fixed transcript*: it is a scripted demo, not a language
model. Whatever you ask, it reasons about the same train-speed puzzle and keeps
double-checking itself until the brake stops it, so you can see the brake, the cue and the
token accounting without downloading a model. It runs through real llama.cpp.`;

export const demoModelCommand: CliCommand = {
  name: "demo-model",
  summary: "write the scripted demo GGUF (a replay for trying the brake, not a language model)",
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
    const out = positionals[0];
    if (out === undefined || positionals.length > 1) throw new CliUsageError("give one output path: self-braking demo-model OUT.gguf");
    if (!out.endsWith(".gguf")) throw new CliUsageError(`the output should end in .gguf (got ${out})`);
    const { gguf, info } = buildScriptedModel(reasoningModelSpec(DEMO));
    try {
      writeFileSync(out, gguf);
    } catch (error) {
      throw new CliUsageError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    io.stdout.write(
      `Wrote ${out} (${formatBytes(info.byteLength)}, ${info.tokenCount} tokens): the scripted demo model — it replays a fixed transcript, it is not a language model.\n` +
        `Try: self-braking ask --model ${out} "How fast is the train?"\n`,
    );
    return 0;
  },
};
