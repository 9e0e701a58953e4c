import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { listServerModels, modelsEndpoint } from "../../../../src/extension/server/serverModels";

/** A local stand-in for a server: each path answers as the test says; every request is recorded. */
interface Recorded {
  readonly path: string;
  readonly authorization: string | undefined;
}

function start(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    handler(req, res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const LIST = JSON.stringify({ object: "list", data: [{ id: "Qwen3-32B", object: "model" }, { id: "DeepSeek-R1-Distill-Qwen-7B" }, { id: "Qwen3-32B" }, { id: 42 }, { id: "bad\u0007id" }] });

describe("the models a server lists (GET <url>/v1/models)", () => {
  let server: Server;
  let base: string;
  let requests: Recorded[];
  before(async () => {
    ({ server, base, requests } = await start((req, res) => {
      const auth = req.headers.authorization;
      switch (req.url) {
        case "/v1/models":
          res.writeHead(200, { "content-type": "application/json" }).end(LIST);
          return;
        case "/locked/v1/models":
          if (auth === "Bearer right-key") res.writeHead(200, { "content-type": "application/json" }).end(LIST);
          else res.writeHead(401, "Unauthorized", { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Invalid API Key" } }));
          return;
        case "/html/v1/models":
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>Router login</title>");
          return;
        case "/json/v1/models":
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ models: ["x"] }));
          return;
        case "/moved/v1/models":
          res.writeHead(302, { location: "/elsewhere/v1/models" }).end();
          return;
        case "/broken/v1/models":
          res.writeHead(500, "Internal Server Error", { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "model failed to load" } }));
          return;
        case "/silent/v1/models":
          return; // never answers
        default:
          res.writeHead(404, "Not Found").end("not found");
      }
    }));
  });
  after(() => stop(server));

  it("asks <url>/v1/models, or <url>/models when the address ends in /v1", () => {
    assert.equal(modelsEndpoint("http://gpu-box:8080"), "http://gpu-box:8080/v1/models");
    assert.equal(modelsEndpoint("http://gpu-box:8080/"), "http://gpu-box:8080/v1/models");
    assert.equal(modelsEndpoint(" http://gpu-box:8000/v1/ "), "http://gpu-box:8000/v1/models");
  });

  it("lists the ids, once each, printable, in the server's order", async () => {
    const result = await listServerModels({ url: base, timeoutSeconds: 5 });
    assert.deepEqual(result, { ok: true, models: ["Qwen3-32B", "DeepSeek-R1-Distill-Qwen-7B", "badid"], endpoint: `${base}/v1/models` });
    assert.equal(requests.at(-1)?.authorization, undefined, "no key, no Authorization header");
    const v1 = await listServerModels({ url: `${base}/v1`, timeoutSeconds: 5 });
    assert.equal(v1.ok, true);
  });

  it("sends the key as a Bearer token, and says to set it when the server refuses (401) — never naming the key", async () => {
    const without = await listServerModels({ url: `${base}/locked`, timeoutSeconds: 5 });
    assert.ok(!without.ok);
    assert.equal(without.reason, "unauthorized");
    assert.match(without.message, /wants an API key \(401 Unauthorized\)\. Set it with Self-Braking: Set Server API Key…/);
    const wrong = await listServerModels({ url: `${base}/locked`, apiKey: "wrong-key", timeoutSeconds: 5 });
    assert.ok(!wrong.ok);
    assert.match(wrong.message, /refused the API key \(401 Unauthorized\)\. Set the right one/);
    assert.doesNotMatch(wrong.message, /wrong-key/);
    assert.equal(requests.at(-1)?.authorization, "Bearer wrong-key");
    const right = await listServerModels({ url: `${base}/locked`, apiKey: "right-key", timeoutSeconds: 5 });
    assert.equal(right.ok, true);
  });

  it("says an HTML page, a JSON without a data array or a 404 is not an OpenAI-compatible server", async () => {
    for (const path of ["/html", "/json", "/nothing"]) {
      const result = await listServerModels({ url: `${base}${path}`, timeoutSeconds: 5 });
      assert.ok(!result.ok, path);
      assert.equal(result.code, "not-a-server", path);
      assert.match(result.message, /this URL does not answer as an OpenAI-compatible server\. Give the server's base address/, path);
    }
    const html = await listServerModels({ url: `${base}/html`, timeoutSeconds: 5 });
    assert.ok(!html.ok);
    assert.match(html.message, /it sent text\/html/);
  });

  it("reports a redirect without following it: the configured address is the only one requested", async () => {
    const before = requests.length;
    const result = await listServerModels({ url: `${base}/moved`, timeoutSeconds: 5 });
    assert.ok(!result.ok);
    assert.equal(result.reason, "redirect");
    assert.match(result.message, /redirects elsewhere \(302 Found to \/elsewhere\/v1\/models\); requests go only to the configured address/);
    assert.deepEqual(requests.slice(before).map((r) => r.path), ["/moved/v1/models"]);
  });

  it("passes on what a failing server says (500)", async () => {
    const result = await listServerModels({ url: `${base}/broken`, timeoutSeconds: 5 });
    assert.ok(!result.ok);
    assert.equal(result.code, "server-error");
    assert.match(result.message, /The server answered 500 Internal Server Error to .*: model failed to load\. Look at the server's log\./);
  });

  it("gives up on a server that does not answer within the timeout, and says what to check", async () => {
    const started = Date.now();
    const result = await listServerModels({ url: `${base}/silent`, timeoutSeconds: 0.3 });
    assert.ok(Date.now() - started < 3000);
    assert.ok(!result.ok);
    assert.equal(result.reason, "timeout");
    assert.equal(result.code, "server-unreachable");
    assert.match(result.message, /did not answer within 0\.3 s\. Is the server running and reachable/);
  });

  it("says nothing answers at a closed port: is the server running, is the URL right", async () => {
    const closed = await start(() => undefined);
    await stop(closed.server);
    const result = await listServerModels({ url: closed.base, timeoutSeconds: 5 });
    assert.ok(!result.ok);
    assert.equal(result.reason, "refused");
    assert.match(result.message, /^Nothing answers at http:\/\/127\.0\.0\.1:\d+\/v1\/models \(connection refused\)\. Is the server running, and are the host and port in selfBraking\.server\.url right\?$/);
  });
});
