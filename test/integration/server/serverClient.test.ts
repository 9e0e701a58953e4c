/**
 * The server engine through the engine process (as the editor and the CLI run it), over TLS: a
 * local https proxy with a self-signed certificate in front of llama-server records every request.
 * An untrusted certificate is refused with a message that says so; trusted (NODE_EXTRA_CA_CERTS),
 * the question is braked and answered, and every request went to the configured URL's routes
 * with the key in its Authorization header.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EngineClient } from "../../../src/engine/client/engineClient";
import { EngineError } from "../../../src/engine/common/errors";
import type { LoadConfig } from "../../../src/engine/common/types";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";
import type { RunningLlamaServer } from "../helpers/llamaServer";
import { ensureLlamaServer, serverModelSpec, startLlamaServer } from "../helpers/llamaServer";
import { askRequest, cpuConfig, makeModels } from "../helpers/models";
import type { ModelDir } from "../helpers/models";

let models: ModelDir;
let server: RunningLlamaServer;
let proxy: Server;
let proxyUrl = "";
let certDir = "";
const seen: string[] = [];

function config(url: string): LoadConfig {
  return { ...cpuConfig(""), server: { url, model: "", apiKey: "team-key-7", api: "auto", promptFormat: "auto", timeoutSeconds: 20 } };
}

before(async () => {
  ensureLlamaServer();
  models = makeModels();
  const model = models.write("tls.gguf", serverModelSpec(reasoningModelSpec(OVERTHINKING), 8192));
  server = await startLlamaServer({ model, contextSize: 4096, apiKey: "team-key-7", name: "tls-backend" });
  certDir = mkdtempSync(join(tmpdir(), "self-braking-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(certDir, "key.pem"), "-out", join(certDir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  const backend = new URL(server.url);
  proxy = createServer({ key: readFileSync(join(certDir, "key.pem")), cert: readFileSync(join(certDir, "cert.pem")) }, (req, res) => {
    seen.push(`${req.method ?? "?"} ${req.url ?? "?"} ${req.headers.authorization === "Bearer team-key-7" ? "with key" : "NO KEY"}`);
    const forward = httpRequest({ host: backend.hostname, port: backend.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
    res.on("close", () => forward.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1/`;
});

after(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.stop();
  models?.cleanup();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

describe("the server engine through the engine process, over TLS", () => {
  it("refuses a certificate it cannot trust, and says so", async () => {
    const client = new EngineClient(config(proxyUrl), { idleUnloadMinutes: 0 });
    try {
      await assert.rejects(client.load(), (e: unknown) => e instanceof EngineError && e.code === "server-unreachable" && /TLS certificate was not accepted/.test(e.message));
    } finally {
      await client.dispose();
    }
  });

  it("with the certificate trusted: braked and answered, every request to the configured URL with the key", async () => {
    seen.length = 0;
    const client = new EngineClient(config(proxyUrl), { idleUnloadMinutes: 0, env: { NODE_EXTRA_CA_CERTS: join(certDir, "cert.pem") } });
    try {
      const report = await client.load();
      assert.equal(report.backend, "server");
      assert.equal(report.server?.url, `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`, "the URL as given, without /v1");
      const handle = client.ask(askRequest());
      const result = await handle.result;
      assert.equal(result.brake?.reason, "overthinking");
      assert.equal(result.answer, OVERTHINKING.answer);
      assert.ok(result.tokens.reEvaluated <= 1);
      assert.deepEqual(seen, ["GET /v1/models with key", "GET /props with key", "POST /tokenize with key", "POST /completion with key", "POST /tokenize with key", "POST /completion with key"]);
    } finally {
      await client.dispose();
    }
  });
});
