import { strict as assert } from "node:assert";
import { existsSync, readFileSync, statSync } from "node:fs";
import { before, describe, it } from "node:test";
import yauzl from "yauzl";

const VSIX = "out/self-braking-linux-x64.vsix";
const PREFIX = "extension/";

function listEntries(path: string): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${path}`));
      const entries = new Map<string, number>();
      zip.on("entry", (entry: yauzl.Entry) => {
        entries.set(entry.fileName, entry.uncompressedSize);
        zip.readEntry();
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

function readEntry(path: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${path}`));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString("utf8"));
          });
        });
      });
      zip.on("end", () => reject(new Error(`${name} not in ${path}`)));
      zip.readEntry();
    });
  });
}

describe("the packaged .vsix (npm run package)", () => {
  let names: string[] = [];
  let entries = new Map<string, number>();

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
    entries = await listEntries(VSIX);
    names = [...entries.keys()];
  });

  const has = (prefix: string): boolean => names.some((n) => n.startsWith(PREFIX + prefix));

  it("is a platform-specific linux-x64 package", async () => {
    const manifest = await readEntry(VSIX, "extension.vsixmanifest");
    assert.match(manifest, /TargetPlatform="linux-x64"/);
  });

  it("contains the bundles, the media and the manifest", () => {
    for (const file of ["package.json", "dist/extension.js", "dist/webview.js", "dist/calibration.js", "dist/cli.js", "media/brake.svg", "media/controls.css", "media/chat.css", "media/calibration.css", "assets/calibration/gsm8k-40.jsonl", "assets/calibration/cruxeval-40.jsonl"]) {
      assert.ok(entries.has(PREFIX + file), `${file} is in the package`);
    }
    if (existsSync("src/engine/process/main.ts")) assert.ok(entries.has(PREFIX + "dist/engine.js"), "dist/engine.js is in the package");
  });

  it("contains node-llama-cpp, its runtime dependencies, and the linux-x64 CPU and Vulkan binaries", () => {
    assert.ok(entries.has(PREFIX + "node_modules/node-llama-cpp/package.json"));
    assert.ok(entries.has(PREFIX + "node_modules/node-llama-cpp/dist/index.js"));
    const pkg = JSON.parse(readFileSync("node_modules/node-llama-cpp/package.json", "utf8")) as { dependencies: Record<string, string> };
    const missing = Object.keys(pkg.dependencies).filter((dep) => !entries.has(`${PREFIX}node_modules/${dep}/package.json`));
    assert.deepEqual(missing, [], "every runtime dependency of node-llama-cpp ships with its package.json");
    for (const binary of ["linux-x64", "linux-x64-vulkan"]) {
      assert.ok(entries.has(`${PREFIX}node_modules/@node-llama-cpp/${binary}/package.json`), `${binary} package`);
      assert.ok(
        names.some((n) => n.startsWith(`${PREFIX}node_modules/@node-llama-cpp/${binary}/bins/`) && n.endsWith("llama-addon.node")),
        `${binary} native addon`,
      );
    }
  });

  it("leaves out sources, tests, caches, source maps, the CUDA and other platforms' binaries", () => {
    for (const prefix of ["src/", "test/", "scripts/", ".cache/", "out/", "docs/", ".ci/", "node_modules/@node-llama-cpp/linux-x64-cuda", "node_modules/@node-llama-cpp/win-", "node_modules/@node-llama-cpp/mac-", "node_modules/@node-llama-cpp/linux-arm", "node_modules/typescript/", "node_modules/esbuild/", "node_modules/playwright-core/"]) {
      assert.ok(!has(prefix), `${prefix} must not ship`);
    }
    assert.deepEqual(names.filter((n) => n.endsWith(".map") || n.endsWith("gitRelease.bundle")), []);
  });

  it("stays under 50 MB", () => {
    const megabytes = statSync(VSIX).size / 1024 / 1024;
    assert.ok(megabytes < 50, `${megabytes.toFixed(1)} MB`);
  });
});
