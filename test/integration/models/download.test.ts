/**
 * The resumable GGUF downloader against a node:http server on 127.0.0.1 that serves generated
 * GGUF files and honours Range / If-Range / ETag, with switches to throttle, drop the connection,
 * ignore ranges, fail with a status, or change the file.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DownloadError, downloadModel, huggingFaceUrl, resolveSource } from "../../../src/engine/models/download";
import type { DownloadModelOptions, DownloadProgress } from "../../../src/engine/models/download";
import { offline } from "../../../src/engine/models/download/http";
import { buildScriptedModel } from "../../../src/scripted-model/scriptedModel";
import { OVERTHINKING, reasoningModelSpec, SELF_ENDING } from "../../../src/scripted-model/scripts";

interface Served {
  body: Buffer;
  etag: string;
}

interface SeenRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
}

/** A file server with faults on demand. */
class ModelServer {
  readonly files = new Map<string, Served>();
  readonly requests: SeenRequest[] = [];
  /** Send the body in chunks of this size with a pause between them. */
  throttle: { chunkBytes: number; delayMs: number } | null = null;
  /** Close the connection after this many body bytes of the next response(s). */
  dropAfterBytes: number | null = null;
  /** Stop sending (without closing) after this many body bytes. */
  stallAfterBytes: number | null = null;
  ignoreRanges = false;
  failStatus: number | null = null;
  private server: Server | null = null;
  port = 0;

  serve(path: string, body: Buffer, etag: string): void {
    this.files.set(path, { body, etag: `"${etag}"` });
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  reset(): void {
    this.files.clear();
    this.requests.length = 0;
    this.throttle = null;
    this.dropAfterBytes = null;
    this.stallAfterBytes = null;
    this.ignoreRanges = false;
    this.failStatus = null;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const range = typeof req.headers.range === "string" ? req.headers.range : undefined;
    const ifRange = typeof req.headers["if-range"] === "string" ? req.headers["if-range"] : undefined;
    this.requests.push({ path, range, ifRange });
    if (this.failStatus !== null) {
      res.writeHead(this.failStatus, { "content-type": "text/plain" }).end("failure on purpose");
      return;
    }
    const file = this.files.get(path);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("no such file");
      return;
    }
    const common = { etag: file.etag, "accept-ranges": this.ignoreRanges ? "none" : "bytes", "content-type": "application/octet-stream" };
    const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
    const useRange = match !== null && !this.ignoreRanges && (ifRange === undefined || ifRange === file.etag);
    let start = 0;
    if (useRange) {
      start = Number(match[1]);
      if (start >= file.body.length) {
        res.writeHead(416, { ...common, "content-range": `bytes */${file.body.length}` }).end();
        return;
      }
      res.writeHead(206, { ...common, "content-length": file.body.length - start, "content-range": `bytes ${start}-${file.body.length - 1}/${file.body.length}` });
    } else {
      res.writeHead(200, { ...common, "content-length": file.body.length });
    }
    await this.send(res, file.body.subarray(start));
  }

  private async send(res: ServerResponse, body: Buffer): Promise<void> {
    const limit = this.dropAfterBytes ?? this.stallAfterBytes ?? Number.POSITIVE_INFINITY;
    const chunkBytes = this.throttle?.chunkBytes ?? 64 * 1024;
    let sent = 0;
    while (sent < body.length && !res.destroyed) {
      const size = Math.min(chunkBytes, body.length - sent, limit - sent);
      if (size <= 0) break;
      const chunk = body.subarray(sent, sent + size);
      sent += size;
      await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
      if (this.throttle && sent < body.length) await sleep(this.throttle.delayMs);
    }
    if (sent < body.length && this.stallAfterBytes !== null) return; // silent until the client gives up
    if (sent < body.length) res.socket?.destroy();
    else res.end();
  }
}

const MODEL = buildScriptedModel(reasoningModelSpec(SELF_ENDING)).gguf;
const OTHER_MODEL = buildScriptedModel(reasoningModelSpec(OVERTHINKING)).gguf;
const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DownloadError, `expected a DownloadError, got ${String(error)}`);
    return error;
  }
  assert.fail("the download should have failed");
}

/** Child mode: download until `SB_DL_KILL_AT` bytes arrived, then die by SIGKILL (no cleanup at all). */
async function crashingChild(): Promise<void> {
  const killAt = Number(process.env.SB_DL_KILL_AT);
  await downloadModel({
    source: process.env.SB_DL_URL!,
    destinationDir: process.env.SB_DL_DIR!,
    progressIntervalMs: 0,
    onProgress: (p) => {
      if (p.receivedBytes >= killAt) process.kill(process.pid, "SIGKILL");
    },
  });
  process.exit(3); // finished without crashing: the parent treats this as a failure
}

if (process.env.SB_DL_CHILD === "1") {
  void crashingChild();
} else {
  const server = new ModelServer();
  let dir = "";

  const options = (extra: Partial<DownloadModelOptions> = {}): DownloadModelOptions => ({
    source: server.url("/models/self-ending.gguf"),
    destinationDir: dir,
    progressIntervalMs: 0,
    ...extra,
  });

  before(() => server.start());
  after(() => server.stop());
  beforeEach(() => {
    server.reset();
    server.serve("/models/self-ending.gguf", MODEL, "v1");
    dir = mkdtempSync(join(tmpdir(), "self-braking-download-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const finalPath = (): string => join(dir, "self-ending.gguf");
  const partialPath = (): string => join(dir, "self-ending.gguf.partial");
  const sidecarPath = (): string => join(dir, "self-ending.gguf.partial.json");

  /** Starts a throttled download and aborts it once a third has arrived; returns the bytes kept. */
  async function cancelAThirdOfTheWay(): Promise<number> {
    server.throttle = { chunkBytes: 8 * 1024, delayMs: 5 };
    const controller = new AbortController();
    const error = await failure(
      downloadModel(
        options({
          signal: controller.signal,
          onProgress: (p) => {
            if (p.receivedBytes >= MODEL.length / 3) controller.abort();
          },
        }),
      ),
    );
    assert.equal(error.code, "cancelled");
    assert.equal(error.resumable, true);
    assert.ok(!existsSync(finalPath()), "no .gguf after a cancel");
    const kept = statSync(partialPath()).size;
    assert.ok(kept > 0 && kept < MODEL.length, `kept ${kept} of ${MODEL.length}`);
    server.throttle = null;
    return kept;
  }

  describe("downloadModel", () => {
    it("downloads byte-exact with monotonic progress ending at the total, and the partial is never named .gguf", async () => {
      server.throttle = { chunkBytes: 16 * 1024, delayMs: 1 };
      const events: DownloadProgress[] = [];
      const namesSeen = new Set<string>();
      const result = await downloadModel(
        options({
          sha256: sha256(MODEL),
          expectedSize: MODEL.length,
          onProgress: (p) => {
            events.push(p);
            for (const name of readdirSync(dir)) namesSeen.add(name);
          },
        }),
      );
      assert.equal(result.path, finalPath());
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      assert.equal(result.bytes, MODEL.length);
      assert.equal(result.parts[0]!.sha256, sha256(MODEL));
      assert.ok(events.length > 3, `${events.length} progress events`);
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.receivedBytes >= events[i - 1]!.receivedBytes, "receivedBytes never decreases");
      const last = events.at(-1)!;
      assert.equal(last.receivedBytes, MODEL.length);
      assert.equal(last.totalBytes, MODEL.length);
      assert.equal(last.secondsLeft, 0);
      assert.ok(events.some((e) => e.bytesPerSecond > 0), "a speed is reported");
      assert.ok(namesSeen.has("self-ending.gguf.partial"), `names seen: ${[...namesSeen].join(", ")}`);
      assert.ok(![...namesSeen].some((n) => n.endsWith(".gguf")), `a .gguf appeared before the end: ${[...namesSeen].join(", ")}`);
      assert.deepEqual(readdirSync(dir), ["self-ending.gguf"], "partial and sidecar are gone");
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0]!.range, undefined);
    });

    it("resumes after a cancel with Range and If-Range, byte-exact", async () => {
      const kept = await cancelAThirdOfTheWay();
      const sidecar = JSON.parse(readFileSync(sidecarPath(), "utf8")) as Record<string, unknown>;
      assert.equal(sidecar.url, server.url("/models/self-ending.gguf"));
      assert.equal(sidecar.etag, '"v1"');
      assert.equal(sidecar.totalBytes, MODEL.length);
      const events: DownloadProgress[] = [];
      const result = await downloadModel(options({ onProgress: (p) => events.push(p) }));
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      assert.equal(result.parts[0]!.resumedFromBytes, kept);
      assert.equal(events[0]!.receivedBytes, kept, "progress starts at the resumed bytes");
      assert.equal(events.at(-1)!.receivedBytes, MODEL.length);
      const second = server.requests.at(-1)!;
      assert.equal(second.range, `bytes=${kept}-`);
      assert.equal(second.ifRange, '"v1"');
      assert.ok(result.notices.some((n) => n.kind === "resumed"));
    });

    it("resumes after the process was killed mid-download", async () => {
      server.throttle = { chunkBytes: 8 * 1024, delayMs: 5 };
      const child = spawn(process.execPath, ["--import", "tsx", __filename], {
        env: { ...process.env, SB_DL_CHILD: "1", SB_DL_URL: server.url("/models/self-ending.gguf"), SB_DL_DIR: dir, SB_DL_KILL_AT: String(Math.floor(MODEL.length / 2)) },
        stdio: ["ignore", "inherit", "inherit"],
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (c, s) => resolve([c, s])));
      assert.equal(signal, "SIGKILL", `the child exited with ${code}`);
      assert.ok(!existsSync(finalPath()));
      const kept = statSync(partialPath()).size;
      assert.ok(existsSync(sidecarPath()), "the sidecar survived the crash");
      assert.ok(kept < MODEL.length);
      server.throttle = null;
      const before = server.requests.length;
      const result = await downloadModel(options());
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      const resumed = server.requests.slice(before);
      assert.equal(resumed.length, 1);
      assert.ok(kept >= Math.floor(MODEL.length / 2), `every byte reported before the kill is on disk (${kept})`);
      assert.equal(resumed[0]!.range, `bytes=${kept}-`);
      assert.equal(resumed[0]!.ifRange, '"v1"');
      assert.equal(result.parts[0]!.resumedFromBytes, kept);
    });

    it("a truncated transfer is reported incomplete, keeps the partial and resumes", async () => {
      server.dropAfterBytes = 100_000;
      const error = await failure(downloadModel(options()));
      assert.equal(error.code, "incomplete");
      assert.equal(error.resumable, true);
      assert.match(error.message, /incomplete/);
      assert.match(error.message, /local GGUF file/);
      assert.ok(!existsSync(finalPath()));
      // What the client had consumed when the connection dropped is kept (Node may discard bytes it buffered but had not handed on yet).
      const kept = statSync(partialPath()).size;
      assert.ok(kept > 0 && kept <= 100_000, `kept ${kept}`);
      server.dropAfterBytes = null;
      const result = await downloadModel(options());
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      assert.equal(server.requests.at(-1)!.range, `bytes=${kept}-`);
      assert.equal(result.parts[0]!.resumedFromBytes, kept);
    });

    it("a partial that is already complete (a crash before the rename) is verified and finished", async () => {
      writeFileSync(partialPath(), MODEL);
      writeFileSync(sidecarPath(), JSON.stringify({ version: 1, url: server.url("/models/self-ending.gguf"), etag: '"v1"', lastModified: null, totalBytes: MODEL.length, startedAt: new Date().toISOString() }));
      const result = await downloadModel(options());
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      assert.equal(server.requests.at(-1)!.range, `bytes=${MODEL.length}-`, "answered 416");
      assert.equal(result.parts[0]!.resumedFromBytes, MODEL.length);
      assert.deepEqual(readdirSync(dir), ["self-ending.gguf"]);
    });

    it("a connection that goes silent times out as incomplete and resumes", async () => {
      server.stallAfterBytes = 50_000;
      const error = await failure(downloadModel(options({ idleTimeoutMs: 300 })));
      assert.equal(error.code, "incomplete");
      const kept = statSync(partialPath()).size;
      assert.ok(kept > 0 && kept <= 50_000, `kept ${kept}`);
      server.stallAfterBytes = null;
      await downloadModel(options());
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      assert.equal(server.requests.at(-1)!.range, `bytes=${kept}-`);
    });

    it("starts over cleanly when the server ignores ranges", async () => {
      await cancelAThirdOfTheWay();
      server.ignoreRanges = true;
      const events: DownloadProgress[] = [];
      const result = await downloadModel(options({ onProgress: (p) => events.push(p) }));
      assert.ok(readFileSync(finalPath()).equals(MODEL));
      assert.ok(server.requests.at(-1)!.range !== undefined, "it asked for a range");
      assert.equal(result.parts[0]!.resumedFromBytes, 0);
      const restart = result.notices.find((n) => n.kind === "restarted");
      assert.ok(restart && restart.kind === "restarted" && restart.reason === "ranges-ignored", JSON.stringify(result.notices));
      assert.equal(events.at(-1)!.receivedBytes, MODEL.length);
    });

    it("starts over and says so when the remote file changed (ETag differs)", async () => {
      await cancelAThirdOfTheWay();
      server.serve("/models/self-ending.gguf", OTHER_MODEL, "v2");
      const result = await downloadModel(options());
      assert.ok(readFileSync(finalPath()).equals(OTHER_MODEL), "the new file, not a splice of old and new");
      const restart = result.notices.find((n) => n.kind === "restarted");
      assert.ok(restart && restart.kind === "restarted" && restart.reason === "changed-remote", JSON.stringify(result.notices));
      assert.match(restart.message, /changed on the server/);
      assert.equal(server.requests.at(-1)!.ifRange, '"v1"', "the resume asked with the old ETag");
    });

    for (const [status, code, pattern] of [
      [500, "http", /HTTP 500/],
      [403, "gated", /token|licence/],
      [401, "gated", /token|licence/],
      [404, "not-found", /not found/],
    ] as const) {
      it(`a ${status} from the server is a typed ${code} error`, async () => {
        server.failStatus = status;
        const error = await failure(downloadModel(options()));
        assert.equal(error.code, code);
        assert.equal(error.status, status);
        assert.match(error.message, pattern);
        assert.match(error.message, /local GGUF file instead/);
        assert.ok(!existsSync(finalPath()));
        assert.ok(!existsSync(partialPath()), "no partial for a refused request");
      });
    }

    it("a missing file is not-found", async () => {
      const error = await failure(downloadModel(options({ source: server.url("/models/missing.gguf") })));
      assert.equal(error.code, "not-found");
    });

    it("no server at all is offline", async () => {
      const closed = new ModelServer();
      await closed.start();
      const url = closed.url("/x.gguf");
      await closed.stop();
      const error = await failure(downloadModel(options({ source: url })));
      assert.equal(error.code, "offline");
      assert.match(error.message, /refused/);
      assert.match(error.message, /local GGUF file instead/);
    });

    it("a size mismatch is rejected and nothing is kept", async () => {
      const error = await failure(downloadModel(options({ expectedSize: MODEL.length + 1 })));
      assert.equal(error.code, "size");
      assert.match(error.message, new RegExp(String(MODEL.length + 1)));
      assert.deepEqual(readdirSync(dir), []);
    });

    it("a size mismatch found when resuming removes the partial", async () => {
      await cancelAThirdOfTheWay();
      const error = await failure(downloadModel(options({ expectedSize: MODEL.length - 10 })));
      assert.equal(error.code, "size");
      assert.deepEqual(readdirSync(dir), []);
    });

    it("a checksum mismatch is rejected and the partial removed", async () => {
      const error = await failure(downloadModel(options({ sha256: "0".repeat(64) })));
      assert.equal(error.code, "checksum");
      assert.match(error.message, new RegExp(sha256(MODEL)));
      assert.deepEqual(readdirSync(dir), []);
    });

    it("a payload that is not a GGUF is rejected and the partial removed", async () => {
      server.serve("/models/page.gguf", Buffer.from("<!doctype html><html><body>Sign in to continue</body></html>".repeat(20)), "html");
      const error = await failure(downloadModel(options({ source: server.url("/models/page.gguf") })));
      assert.equal(error.code, "not-gguf");
      assert.match(error.message, /not a usable GGUF/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it("a full disk is refused before any request when the size is known", async () => {
      const error = await failure(downloadModel(options({ expectedSize: MODEL.length, statfs: async () => ({ bavail: 10, bsize: 4096 }) })));
      assert.equal(error.code, "disk-full");
      assert.match(error.message, /235\.5 KiB/);
      assert.match(error.message, /40\.0 KiB is free/);
      assert.equal(server.requests.length, 0, "no request was made");
      assert.deepEqual(readdirSync(dir), []);
    });

    it("a full disk is refused before any byte is written when only the server knows the size", async () => {
      const error = await failure(downloadModel(options({ statfs: async () => ({ bavail: 10n, bsize: 4096n }) })));
      assert.equal(error.code, "disk-full");
      assert.deepEqual(readdirSync(dir), []);
    });

    it("the disk check counts what is already downloaded", async () => {
      const kept = await cancelAThirdOfTheWay();
      const margin = 1024;
      const free = MODEL.length - kept + margin;
      await downloadModel(options({ diskMarginBytes: margin, statfs: async () => ({ bavail: free, bsize: 1 }) }));
      assert.ok(readFileSync(finalPath()).equals(MODEL));
    });

    it("a finished file is not downloaded again", async () => {
      await downloadModel(options());
      const before = server.requests.length;
      const result = await downloadModel(options());
      assert.equal(server.requests.length, before);
      assert.equal(result.parts[0]!.alreadyPresent, true);
    });

    it("a second download of the same file in this process is refused while the first runs", async () => {
      server.throttle = { chunkBytes: 8 * 1024, delayMs: 5 };
      const first = downloadModel(options());
      const error = await failure(downloadModel(options()));
      assert.equal(error.code, "busy");
      await first;
      assert.ok(readFileSync(finalPath()).equals(MODEL));
    });

    it("downloads every part of a split model", async () => {
      server.serve("/split/big-00001-of-00002.gguf", MODEL, "p1");
      server.serve("/split/big-00002-of-00002.gguf", OTHER_MODEL, "p2");
      const events: DownloadProgress[] = [];
      const result = await downloadModel(
        options({ source: server.url("/split/big-00002-of-00002.gguf"), expectedSize: MODEL.length + OTHER_MODEL.length, sha256: [sha256(MODEL), sha256(OTHER_MODEL)], onProgress: (p) => events.push(p) }),
      );
      assert.equal(result.path, join(dir, "big-00001-of-00002.gguf"));
      assert.ok(readFileSync(join(dir, "big-00001-of-00002.gguf")).equals(MODEL));
      assert.ok(readFileSync(join(dir, "big-00002-of-00002.gguf")).equals(OTHER_MODEL));
      assert.equal(result.bytes, MODEL.length + OTHER_MODEL.length);
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.receivedBytes >= events[i - 1]!.receivedBytes);
      assert.equal(events.at(-1)!.receivedBytes, MODEL.length + OTHER_MODEL.length);
      assert.equal(events.at(-1)!.part.index, 2);
    });
  });

  describe("sources", () => {
    it("maps hf: URIs to the hub's resolve URLs", () => {
      assert.equal(huggingFaceUrl("hf:someone/Model-GGUF/Model-Q4_K_M.gguf"), "https://huggingface.co/someone/Model-GGUF/resolve/main/Model-Q4_K_M.gguf");
      assert.equal(huggingFaceUrl("hf://someone/Model-GGUF/q4/Model Q4.gguf#dev"), "https://huggingface.co/someone/Model-GGUF/resolve/dev/q4/Model%20Q4.gguf");
      const split = resolveSource("hf:someone/Big-GGUF/Big-Q4_K_M-00001-of-00003.gguf");
      assert.deepEqual(
        split.parts.map((p) => p.fileName),
        ["Big-Q4_K_M-00001-of-00003.gguf", "Big-Q4_K_M-00002-of-00003.gguf", "Big-Q4_K_M-00003-of-00003.gguf"],
      );
      assert.equal(split.parts[2]!.url, "https://huggingface.co/someone/Big-GGUF/resolve/main/Big-Q4_K_M-00003-of-00003.gguf");
    });

    it("names the failure when there is no network", () => {
      const dns = offline("https://huggingface.co/x/y/resolve/main/z.gguf", Object.assign(new Error("getaddrinfo ENOTFOUND huggingface.co"), { code: "ENOTFOUND" }));
      assert.equal(dns.code, "offline");
      assert.match(dns.message, /huggingface\.co could not be resolved/);
      assert.match(dns.message, /local GGUF file instead/);
    });

    it("refuses sources it cannot download without asking anything first", async () => {
      for (const source of ["hf:someone/Model-GGUF:Q4_K_M", "hf:someone/Model-GGUF", "http://example.com/model.gguf", "ftp://example.com/model.gguf", "https://example.com/model.bin", "not a url"]) {
        const error = await failure(downloadModel(options({ source })));
        assert.equal(error.code, "invalid-source", source);
      }
      assert.equal(server.requests.length, 0);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
}
