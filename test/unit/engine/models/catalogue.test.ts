import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOGUE, catalogueBySize, catalogueEntry, type CatalogueEntry } from "../../../../src/engine/models/catalogue";

/**
 * The two `hf:` forms node-llama-cpp 3.21.1 resolves (dist/utils/parseModelUri.js):
 *   hf:<user>/<repo>/<path>.gguf   (a named file on the main branch)
 *   hf:<user>/<repo>:<QUANT>       (a quantisation tag resolved through the Hub's manifest)
 */
const HF_FILE_URI = /^hf:([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)\/((?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+\.gguf)$/;
const HF_TAG_URI = /^hf:([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9_]+)$/;

/** llama.cpp quantisation names used in the catalogue (a subset of node-llama-cpp's ggufQuantNames). */
const KNOWN_QUANTS = new Set(["Q4_K_M", "Q4_K_S", "Q5_K_M", "Q6_K", "Q8_0", "MXFP4", "IQ4_XS"]);

function parseUri(uri: string): { repo: string; file: string | null; tag: string | null } | null {
  const file = HF_FILE_URI.exec(uri);
  if (file) return { repo: `${file[1]}/${file[2]}`, file: file[3]!, tag: null };
  const tag = HF_TAG_URI.exec(uri);
  if (tag) return { repo: `${tag[1]}/${tag[2]}`, file: null, tag: tag[3]! };
  return null;
}

describe("model catalogue", () => {
  it("is non-empty and its ids are unique kebab-case", () => {
    assert.ok(CATALOGUE.length >= 10);
    const ids = CATALOGUE.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length, "duplicate id");
    for (const id of ids) assert.match(id, /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, id);
  });

  it("has unique URIs", () => {
    const uris = CATALOGUE.map((entry) => entry.uri);
    assert.equal(new Set(uris).size, uris.length, "duplicate uri");
  });

  for (const entry of CATALOGUE) {
    describe(entry.id, () => {
      it("has a URI in node-llama-cpp's hf: format that agrees with repo, file and quantisation", () => {
        const parsed = parseUri(entry.uri);
        assert.ok(parsed, `not an hf: URI node-llama-cpp resolves: ${entry.uri}`);
        assert.equal(parsed.repo, entry.repo);
        if (parsed.file !== null) {
          assert.equal(parsed.file, entry.file, "file field must match the file the URI names");
          // some repositories name their files in lower case (qwq-32b-q4_k_m.gguf)
          assert.ok(parsed.file.toLowerCase().includes(entry.quantisation.toLowerCase()), `file ${parsed.file} does not carry ${entry.quantisation}`);
        } else {
          assert.equal(parsed.tag, entry.quantisation, "a tag URI's tag is the quantisation");
          if (entry.file !== null) assert.ok(entry.file.includes(entry.quantisation));
        }
        assert.ok(!/-\d{5}-of-\d{5}\.gguf$/.test(entry.uri), "split GGUFs are not recommended from the catalogue");
      });

      it("names a known quantisation", () => {
        assert.ok(KNOWN_QUANTS.has(entry.quantisation), entry.quantisation);
      });

      it("has a positive size and says where it comes from", () => {
        assert.ok(Number.isSafeInteger(entry.sizeBytes) && entry.sizeBytes > 0, String(entry.sizeBytes));
        assert.equal(typeof entry.sizeVerified, "boolean");
        assert.ok(entry.sizeNote.trim().length > 0);
        if (!entry.sizeVerified) assert.match(entry.sizeNote, /approximate|estimate/i);
        // A GGUF is roughly parameters × bits / 8: between 2 and 9 bits per weight for these quantisations.
        const bitsPerWeight = (entry.sizeBytes * 8) / entry.parameters;
        assert.ok(bitsPerWeight > 2 && bitsPerWeight < 9, `${bitsPerWeight.toFixed(2)} bits/weight`);
      });

      it("has parameters, licence, thinking format, context length, a good-for line and a source", () => {
        assert.ok(entry.parameters > 1e8);
        if (entry.activeParameters !== undefined) assert.ok(entry.activeParameters > 0 && entry.activeParameters < entry.parameters);
        assert.ok(entry.displayName.trim().length > 0);
        assert.ok(entry.publisher.trim().length > 0);
        assert.ok(entry.licence.trim().length > 0);
        assert.ok(entry.thinkingFormat === "think-tags" || entry.thinkingFormat === "harmony-analysis");
        assert.ok(entry.thinkingNote.trim().length > 0);
        assert.ok(Number.isInteger(entry.contextLength) && entry.contextLength >= 4096);
        assert.ok(entry.goodFor.trim().length > 0 && !entry.goodFor.includes("\n"), "good-for is one line");
        assert.match(entry.source, /^(https:\/\/\S+|node_modules\/node-llama-cpp\/\S+)/);
      });
    });
  }

  it("is kept in size order, small to large", () => {
    for (let i = 1; i < CATALOGUE.length; i++) {
      assert.ok(CATALOGUE[i - 1]!.sizeBytes <= CATALOGUE[i]!.sizeBytes, `${CATALOGUE[i - 1]!.id} before ${CATALOGUE[i]!.id}`);
    }
  });

  it("covers the families the issue asks for", () => {
    for (const id of [
      "deepseek-r1-distill-qwen-1.5b",
      "deepseek-r1-distill-qwen-7b",
      "deepseek-r1-distill-qwen-14b",
      "deepseek-r1-distill-qwen-32b",
      "deepseek-r1-distill-llama-8b",
      "deepseek-r1-0528-qwen3-8b",
      "qwen3-1.7b",
      "qwen3-4b",
      "qwen3-8b",
      "qwen3-14b",
      "qwen3-32b",
      "qwq-32b",
      "phi-4-mini-reasoning",
      "gpt-oss-20b",
    ]) {
      assert.ok(catalogueEntry(id), id);
    }
    assert.equal(catalogueEntry("gpt-oss-20b")?.thinkingFormat, "harmony-analysis");
  });
});

describe("catalogueEntry", () => {
  it("finds an entry by id and returns undefined for an unknown id", () => {
    assert.equal(catalogueEntry("qwen3-8b")?.repo, "Qwen/Qwen3-8B-GGUF");
    assert.equal(catalogueEntry("no-such-model"), undefined);
    assert.equal(catalogueEntry(""), undefined);
  });
});

describe("catalogueBySize", () => {
  const entry = (id: string, sizeBytes: number): CatalogueEntry => ({ ...CATALOGUE[0]!, id, sizeBytes });

  it("sorts ascending by size without touching its input", () => {
    const input = [entry("c", 30), entry("a", 10), entry("b", 20)];
    const before = input.map((e) => e.id);
    assert.deepEqual(catalogueBySize(input).map((e) => e.id), ["a", "b", "c"]);
    assert.deepEqual(input.map((e) => e.id), before);
  });

  it("keeps the given order for equal sizes", () => {
    const input = [entry("x", 5), entry("y", 5), entry("w", 1), entry("z", 5)];
    assert.deepEqual(catalogueBySize(input).map((e) => e.id), ["w", "x", "y", "z"]);
  });

  it("defaults to the catalogue and returns every entry, sizes non-decreasing", () => {
    const sorted = catalogueBySize();
    assert.equal(sorted.length, CATALOGUE.length);
    assert.deepEqual(new Set(sorted.map((e) => e.id)), new Set(CATALOGUE.map((e) => e.id)));
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]!.sizeBytes <= sorted[i]!.sizeBytes);
  });

  it("returns an empty list for no entries", () => {
    assert.deepEqual(catalogueBySize([]), []);
  });
});
