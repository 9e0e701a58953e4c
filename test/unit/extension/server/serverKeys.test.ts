import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { API_KEY_SECRET, ServerKeys, serverOrigin } from "../../../../src/extension/server/serverKeys";

/** SecretStorage in memory, with its change event; `failing` makes reads throw (a locked keyring). */
class MemorySecrets {
  readonly values = new Map<string, string>();
  private readonly listeners = new Set<(e: { key: string }) => void>();
  failing = false;
  get(key: string): Promise<string | undefined> {
    return this.failing ? Promise.reject(new Error("keyring locked")) : Promise.resolve(this.values.get(key));
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.fire(key);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.fire(key);
  }
  /** Another window changed the secret. */
  fire(key: string): void {
    for (const listener of this.listeners) listener({ key });
  }
  onDidChange = (listener: (e: { key: string }) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
}

function keysOver(secrets: MemorySecrets, warnings: string[] = []): ServerKeys {
  // the test double has the members ServerKeys uses (SecretStorage's event type is VS Code's)
  return new ServerKeys(secrets as unknown as ConstructorParameters<typeof ServerKeys>[0], (m) => warnings.push(m));
}

describe("the server API key (secret storage)", () => {
  it("is read at start, and until then says it is not loaded", async () => {
    const secrets = new MemorySecrets();
    secrets.values.set(API_KEY_SECRET, JSON.stringify({ origin: "http://gpu-box:8080", key: "sk-1" }));
    const keys = keysOver(secrets);
    assert.equal(keys.loaded, false);
    await keys.ready;
    assert.equal(keys.loaded, true);
    assert.equal(keys.keyFor("http://gpu-box:8080/v1"), "sk-1");
    keys.dispose();
  });

  it("is kept for the server it was set for and given to no other (a workspace cannot redirect it)", async () => {
    const secrets = new MemorySecrets();
    const keys = keysOver(secrets);
    await keys.ready;
    await keys.set("http://gpu-box:8080/v1", "sk-2");
    assert.deepEqual(JSON.parse(secrets.values.get(API_KEY_SECRET) ?? ""), { origin: "http://gpu-box:8080", key: "sk-2" });
    assert.equal(keys.keyFor("http://gpu-box:8080"), "sk-2");
    assert.equal(keys.keyFor("http://gpu-box:9090"), undefined, "another port");
    assert.equal(keys.keyFor("https://gpu-box:8080"), undefined, "another scheme");
    assert.equal(keys.keyFor("http://evil.example:8080"), undefined, "another host");
    assert.equal(keys.origin, "http://gpu-box:8080");
    keys.dispose();
  });

  it("is cleared by an empty key or Clear, and follows a change made in another window", async () => {
    const secrets = new MemorySecrets();
    const keys = keysOver(secrets);
    await keys.ready;
    await keys.set("http://gpu-box:8080", "sk-3");
    await keys.set("http://gpu-box:8080", "");
    assert.equal(keys.keyFor("http://gpu-box:8080"), undefined);
    assert.equal(secrets.values.has(API_KEY_SECRET), false);
    await keys.set("http://gpu-box:8080", "sk-4");
    await keys.clear();
    assert.equal(keys.keyFor("http://gpu-box:8080"), undefined);
    secrets.values.set(API_KEY_SECRET, JSON.stringify({ origin: "http://gpu-box:8080", key: "sk-5" }));
    secrets.fire(API_KEY_SECRET);
    await keys.ready;
    assert.equal(keys.keyFor("http://gpu-box:8080"), "sk-5");
    keys.dispose();
  });

  it("refuses a key that cannot be a header, and a server address that is not one", async () => {
    const keys = keysOver(new MemorySecrets());
    await keys.ready;
    await assert.rejects(keys.set("http://gpu-box:8080", "sk\nInjected: header"), /one line of text/);
    await assert.rejects(keys.set("", "sk-6"), /set a valid server address first/);
    keys.dispose();
  });

  it("reads a damaged entry or a failing keyring as no key, saying so without any key in the words", async () => {
    const damaged = new MemorySecrets();
    damaged.values.set(API_KEY_SECRET, "sk-plain-text");
    const a = keysOver(damaged);
    await a.ready;
    assert.equal(a.keyFor("http://gpu-box:8080"), undefined);
    const failing = new MemorySecrets();
    failing.failing = true;
    const warnings: string[] = [];
    const b = keysOver(failing, warnings);
    await b.ready;
    assert.equal(b.loaded, true);
    assert.equal(b.keyFor("http://gpu-box:8080"), undefined);
    assert.match(warnings[0] ?? "", /could not be read from VS Code's secret storage \(keyring locked\)/);
    a.dispose();
    b.dispose();
  });

  it("binds to scheme, host and port", () => {
    assert.equal(serverOrigin(" http://gpu-box:8080/v1 "), "http://gpu-box:8080");
    assert.equal(serverOrigin("https://llm.example.com:443/"), "https://llm.example.com");
    assert.equal(serverOrigin("gpu-box:8080"), undefined);
    assert.equal(serverOrigin(""), undefined);
  });
});
