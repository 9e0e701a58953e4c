import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAsk } from "../../../src/cli/commands/ask";
import { CliUsageError } from "../../../src/cli/command";
import { loadConfigSchema } from "../../../src/engine/common/protocol";

const Q = "How far?";

describe("self-braking ask --server: the load configuration the flags give", () => {
  it("runs on a server with no model file; the defaults are the settings'", () => {
    const parsed = parseAsk(["--server", "http://gpu-box:8080", Q], {});
    assert.deepEqual(parsed.load.server, { url: "http://gpu-box:8080", model: "", api: "auto", promptFormat: "auto", timeoutSeconds: 120 });
    assert.equal(parsed.load.modelPath, "");
    assert.equal(parsed.question, Q);
    assert.equal(parsed.stallTimeoutSeconds, 135, "the watchdog outwaits the server timeout");
    assert.equal(loadConfigSchema.safeParse(parsed.load).success, true);
  });

  it("takes the model, API, prompt format and timeout, and the key from the environment", () => {
    const parsed = parseAsk(
      ["--server", "https://llm.example.com/v1", "--server-model", "Qwen3-32B", "--server-api", "openai", "--prompt-format", "deepseek", "--timeout", "600", "--stall-timeout", "30", Q],
      { SELF_BRAKING_API_KEY: " sk-default\n" },
    );
    assert.deepEqual(parsed.load.server, { url: "https://llm.example.com/v1", model: "Qwen3-32B", apiKey: "sk-default", api: "openai", promptFormat: "deepseek", timeoutSeconds: 600 });
    assert.equal(parsed.stallTimeoutSeconds, 615);
    const named = parseAsk(["--server", "http://gpu-box:8080", "--api-key-env", "MY_KEY", Q], { MY_KEY: "sk-named", SELF_BRAKING_API_KEY: "sk-default" });
    assert.equal(named.load.server?.apiKey, "sk-named");
  });

  it("still loads a local file with --model, and needs one of the two", () => {
    const local = parseAsk(["--model", "/m/a.gguf", Q], { SELF_BRAKING_API_KEY: "sk-default" });
    assert.equal(local.load.modelPath, "/m/a.gguf");
    assert.equal(local.load.server, undefined, "no server: the key in the environment is not read");
    assert.throws(() => parseAsk([Q], {}), /--model PATH is required \(or --server URL\)/);
    assert.throws(() => parseAsk(["--model", "/m/a.gguf", "--server", "http://gpu-box:8080", Q], {}), /--model PATH or --server URL, not both/);
  });

  const refused: readonly (readonly [string[], Record<string, string>, RegExp])[] = [
    [["--server", "gpu-box:8080"], {}, /--server must be an http:\/\/ or https:\/\/ address such as http:\/\/gpu-box:8080/],
    [["--server", ""], {}, /--server needs the server's address/],
    [["--server", "http://gpu-box:8080/?key=1"], {}, /--server must be the server's base address without a \?query/],
    [["--server", "http://gpu-box:8080", "--server-api", "ollama"], {}, /--server-api must be one of "auto", "llama-server", "openai" \(got "ollama"\)/],
    [["--server", "http://gpu-box:8080", "--prompt-format", "llama3"], {}, /--prompt-format must be one of "auto", "chatml", "deepseek"/],
    [["--server", "http://gpu-box:8080", "--timeout", "2"], {}, /--timeout must be a whole number between 5 and 3600/],
    [["--server", "http://gpu-box:8080", "--api-key-env", "UNSET_KEY"], {}, /the environment variable UNSET_KEY is not set/],
    [["--server", "http://gpu-box:8080", "--api-key-env", "sk-live-123"], {}, /--api-key-env takes the name of an environment variable.*not the key itself/],
    [["--server", "http://gpu-box:8080"], { SELF_BRAKING_API_KEY: "sk\nx" }, /the API key in SELF_BRAKING_API_KEY: An API key is one line of text/],
    [["--model", "/m/a.gguf", "--server-model", "Qwen3-32B"], {}, /--server-model goes with --server URL/],
    [["--model", "/m/a.gguf", "--timeout", "60", "--api-key-env", "K"], {}, /--api-key-env, --timeout go with --server URL/],
  ];
  for (const [args, env, message] of refused) {
    it(`refuses ${args.join(" ").slice(0, 60)}`, () => {
      assert.throws(() => parseAsk([...args, Q], env), (error: unknown) => error instanceof CliUsageError && message.test(error.message));
    });
  }

  it("never repeats a password or key given in the address or as the variable's name", () => {
    for (const [args, secret] of [
      [["--server", "http://me:hunter2@gpu-box:8080"], "hunter2"],
      [["--server", "http://gpu-box:8080", "--api-key-env", "sk-live-123"], "sk-live-123"],
    ] as const) {
      assert.throws(
        () => parseAsk([...args, Q], {}),
        (error: unknown) => error instanceof CliUsageError && !error.message.includes(secret) && /--api-key-env/.test(error.message),
      );
    }
  });
});
