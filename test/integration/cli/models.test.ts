/**
 * `self-braking models download` against a node:http server on 127.0.0.1 serving a generated GGUF
 * with ranges: progress on stderr, the path on stdout, Stop then the same command resuming to a
 * byte-exact file, and a server error said as such. Runs the command in this process (the real
 * downloader, no engine).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createModelsCommand } from "../../../src/cli/commands/models";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec } from "../../../src/scripted-model/scripts";

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const body = buildScriptedModel(reasoningModelSpec(OVERTHINKING)).gguf;
const ETAG = '"model-v1"';
let server: Server;
let port = 0;
let dir: string;
/** Pause between 16 KiB chunks (ms); 0: send at once. */
let delayMs = 0;
let failStatus: number | null = null;
const ranges: Array<string | undefined> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sb-models-download-"));
  server = createServer((req, res) => {
    void (async () => {
      const range = typeof req.headers.range === "string" ? req.headers.range : undefined;
      ranges.push(range);
      if (failStatus !== null || req.url !== "/models/tiny.gguf") {
        res.writeHead(failStatus ?? 404, { "content-type": "text/plain" }).end("no");
        return;
      }
      let start = 0;
      const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
      if (match && (req.headers["if-range"] === undefined || req.headers["if-range"] === ETAG)) start = Number(match[1]);
      const headers = { "content-type": "application/octet-stream", etag: ETAG, "accept-ranges": "bytes", "content-length": String(body.length - start) };
      if (start > 0) res.writeHead(206, { ...headers, "content-range": `bytes ${start}-${body.length - 1}/${body.length}` });
      else res.writeHead(200, headers);
      for (let offset = start; offset < body.length; offset += 16 * 1024) {
        if (res.destroyed) return;
        res.write(body.subarray(offset, Math.min(body.length, offset + 16 * 1024)));
        if (delayMs > 0) await sleep(delayMs);
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function download(args: string[], stopAfterMs?: number): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const command = createModelsCommand({
    env: {},
    homeDir: dir,
    onInterrupt: (stop) => {
      const timer = stopAfterMs === undefined ? null : setTimeout(stop, stopAfterMs);
      return () => {
        if (timer) clearTimeout(timer);
      };
    },
    engine: () => {
      throw new Error("download needs no engine");
    },
  });
  const code = await command.run(["download", ...args], { stdout, stderr, isTTY: false });
  return { code, out: stdout.text, err: stderr.text };
}

describe("self-braking models download", () => {
  it("downloads into --dir with progress on stderr and the path on stdout", async () => {
    delayMs = 0;
    const target = join(dir, "first");
    const r = await download([`http://127.0.0.1:${port}/models/tiny.gguf`, "--dir", target]);
    assert.equal(r.code, 0, r.err);
    const path = join(target, "tiny.gguf");
    assert.equal(r.out, `${path}\n`);
    assert.match(r.err, /^Downloading http:\/\/127\.0\.0\.1:\d+\/models\/tiny\.gguf into /);
    assert.match(r.err, /\d+(\.\d)? KiB of [\d.]+ KiB \(100\.0 %\)/);
    assert.match(r.err, /Downloaded [\d.]+ KiB: /);
    assert.ok(readFileSync(path).equals(body));
    const again = await download([`http://127.0.0.1:${port}/models/tiny.gguf`, "--dir", target]);
    assert.equal(again.code, 0);
    assert.match(again.err, /Already downloaded/);
  });

  it("Stop keeps the partial file; the same command resumes it to a byte-exact file", async () => {
    delayMs = 15;
    const target = join(dir, "resume");
    const stopped = await download([`http://127.0.0.1:${port}/models/tiny.gguf`, "--dir", target], 150);
    assert.equal(stopped.code, 130, stopped.err);
    assert.ok(readdirSync(target).some((name) => name.endsWith(".partial")), readdirSync(target).join(", "));
    assert.ok(!existsSync(join(target, "tiny.gguf")));
    delayMs = 0;
    ranges.length = 0;
    const resumed = await download([`http://127.0.0.1:${port}/models/tiny.gguf`, "--dir", target]);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(ranges[0] ?? "", /^bytes=[1-9]\d*-$/, "resumed with a Range request");
    assert.match(resumed.err, /resum/i);
    assert.ok(readFileSync(join(target, "tiny.gguf")).equals(body));
  });

  it("a server error is said as such, with exit code 1", async () => {
    failStatus = 500;
    try {
      const r = await download([`http://127.0.0.1:${port}/models/tiny.gguf`, "--dir", join(dir, "failed")]);
      assert.equal(r.code, 1);
      assert.match(r.err, /^Downloading[^\n]*\nself-braking models download: .*500/);
    } finally {
      failStatus = null;
    }
  });
});
