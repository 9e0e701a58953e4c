import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiKeyProblem, checkServerUrl, redactServerUrl, serverHost } from "../../../../src/core/settings/serverUrl";
import { readSettings, validateSetting } from "../../../../src/core/settings/validate";
import { SETTINGS } from "../../../../src/core/settings/registry";

describe("the server address (selfBraking.server.url)", () => {
  it("takes http:// and https:// base addresses, trimmed, with or without /v1; empty is not set", () => {
    assert.deepEqual(checkServerUrl(" http://gpu-box:8080 "), { ok: true, url: "http://gpu-box:8080" });
    assert.deepEqual(checkServerUrl("https://llm.example.com/v1/"), { ok: true, url: "https://llm.example.com/v1/" });
    assert.deepEqual(checkServerUrl("http://[::1]:8000"), { ok: true, url: "http://[::1]:8000" });
    assert.deepEqual(checkServerUrl(""), { ok: true, url: "" });
  });

  it("refuses other schemes, text that is no address, and a query or fragment", () => {
    for (const bad of ["ftp://gpu-box", "gpu-box:8080", "localhost", "file:///etc/passwd", "http://", "http://gpu-box:8080/?model=x", "http://gpu-box:8080#a"]) {
      const result = checkServerUrl(bad);
      assert.ok(!result.ok, bad);
      assert.equal(result.reason, "form", bad);
    }
  });

  it("refuses credentials in the address and says where the key goes instead", () => {
    for (const bad of ["http://user:secret@gpu-box:8080", "https://sk-123@gpu-box", "http://:secret@gpu-box"]) {
      const result = checkServerUrl(bad);
      assert.ok(!result.ok, bad);
      assert.equal(result.reason, "credentials");
      assert.match(result.expected, /put the API key in Self-Braking: Set Server API Key…, not in the URL/);
    }
  });

  it("masks what may be a secret for messages, and names the host as people do", () => {
    assert.equal(redactServerUrl("http://user:secret@gpu-box:8080/v1"), "http://***@gpu-box:8080/v1");
    assert.equal(redactServerUrl("http://gpu-box:8080/?api_key=secret"), "http://gpu-box:8080/?***");
    assert.equal(redactServerUrl("http://gpu-box:8080/v1"), "http://gpu-box:8080/v1");
    assert.equal(serverHost("http://gpu-box:8080/v1"), "gpu-box:8080");
    assert.equal(serverHost("https://llm.example.com"), "llm.example.com");
  });

  it("is validated where every setting is: an invalid value is reported once, without the secret, and replaced by the default", () => {
    const result = validateSetting("server.url", "http://me:hunter2@gpu-box:8080");
    assert.ok(!result.ok);
    assert.doesNotMatch(result.problem, /hunter2/);
    assert.equal(
      result.problem,
      'Setting selfBraking.server.url has an invalid value "http://***@gpu-box:8080": it must be an address without a user name or password in it: put the API key in Self-Braking: Set Server API Key…, not in the URL. Using the default "" instead.',
    );
    assert.deepEqual(validateSetting("server.url", " http://gpu-box:8080\n"), { ok: true, value: "http://gpu-box:8080" });
    const read = readSettings((key) => (key === "server.url" ? "gpu-box:8080" : key === "engine" ? "server" : undefined));
    assert.equal(read.settings["server.url"], "");
    assert.equal(read.settings.engine, "server");
    assert.deepEqual(read.problems.map((p) => p.key), ["server.url"]);
    assert.match(read.problems[0]?.message ?? "", /it must be an http:\/\/ or https:\/\/ address such as http:\/\/gpu-box:8080/);
  });

  it("has the documented defaults and bounds", () => {
    assert.equal(SETTINGS.engine.default, "local");
    assert.deepEqual([...SETTINGS.engine.enum], ["local", "server"]);
    assert.deepEqual([...SETTINGS["server.api"].enum], ["auto", "llama-server", "openai"]);
    assert.deepEqual([...SETTINGS["server.promptFormat"].enum], ["auto", "chatml", "deepseek"]);
    assert.deepEqual([SETTINGS["server.timeoutSeconds"].default, SETTINGS["server.timeoutSeconds"].minimum, SETTINGS["server.timeoutSeconds"].maximum], [120, 5, 3600]);
    assert.equal(validateSetting("server.timeoutSeconds", 4).ok, false);
    assert.equal(validateSetting("engine", "remote").ok, false);
  });
});

describe("an API key", () => {
  it("is one line of text of a bounded length; the problem never repeats it", () => {
    assert.equal(apiKeyProblem("sk-abc123"), undefined);
    assert.equal(apiKeyProblem("  sk-abc123\n"), undefined, "surrounding whitespace is trimmed");
    assert.match(apiKeyProblem("sk-abc\n123") ?? "", /one line of text/);
    assert.doesNotMatch(apiKeyProblem("sk-abc\n123") ?? "", /abc/);
    assert.match(apiKeyProblem("x".repeat(10_001)) ?? "", /at most 10,000 characters/);
  });
});
