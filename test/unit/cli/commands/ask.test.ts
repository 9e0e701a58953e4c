import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { main } from "../../../../src/cli/main";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs `self-braking ask` with a model path that does not exist: a usage error is reported before the engine starts. */
async function ask(...options: string[]): Promise<{ code: number; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(["ask", "--model", "/nonexistent/model.gguf", ...options, "How far?"], { stdout, stderr, isTTY: false });
  return { code, err: stderr.text };
}

describe("self-braking ask: the flags take the settings' limits", () => {
  const refused: readonly (readonly [string[], RegExp])[] = [
    [["--max-answer", "1"], /^self-braking ask: --max-answer must be a whole number between 16 and 131072 \(got "1"\)\n$/],
    [["--max-answer", "200000"], /--max-answer must be a whole number between 16 and 131072/],
    [["--max-thinking", "8"], /--max-thinking must be a whole number between 16 and 1048576 \(got "8"\)/],
    [["--context", "100"], /--context must be "auto" or a whole number between 512 and 1048576 \(got "100"\)/],
    [["--threads", "0"], /--threads must be "auto" or a whole number between 1 and 256/],
    [["--gpu-layers", "2.5"], /--gpu-layers must be "auto" or a whole number between 0 and 1024/],
    [["--gpu", "foo"], /--gpu must be one of "auto", "cuda", "vulkan", "metal", "cpu" \(got "foo"\)/],
    [["--mode", "fast"], /--mode must be one of "off", "adaptive", "budget"/],
    [["--probe", "always"], /--probe must be one of "off", "onTransition"/],
    [["--threshold", "1.5"], /--threshold must be a number between 0 and 1 \(got "1\.5"\)/],
    [["--temperature", "0x1"], /--temperature must be a number between 0 and 2/],
    [["--cue", "x".repeat(501)], /--cue must be text of at most 500 characters/],
  ];
  for (const [options, message] of refused) {
    it(`refuses ${options.join(" ").slice(0, 40)}`, async () => {
      const r = await ask(...options);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }
});
