import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { characterSpellings, spelling, spellingCount, unescapeRwkv } from "../../../src/scripted-model/rwkvSpelling";

describe("rwkv token spellings", () => {
  it("unescapes like llama.cpp", () => {
    assert.equal(unescapeRwkv("plain").toString("utf8"), "plain");
    assert.equal(unescapeRwkv("\\n\\t\\r").toString("latin1"), "\n\t\r");
    assert.equal(unescapeRwkv("\\x20the").toString("utf8"), " the");
    assert.equal(unescapeRwkv("\\ the").toString("utf8"), " the");
    assert.equal(unescapeRwkv("\\\\").toString("utf8"), "\\");
    assert.deepEqual([...unescapeRwkv("\\xc3\\x97")], [0xc3, 0x97]);
  });

  it("gives each character its plain, escaped and hex forms", () => {
    assert.deepEqual(characterSpellings("a"), ["a", "\\a", "\\x61"]);
    assert.deepEqual(characterSpellings("n"), ["n", "\\x6e"], "\\n would be a line break");
    assert.deepEqual(characterSpellings("\n"), ["\n", "\\n", "\\x0a"]);
    assert.deepEqual(characterSpellings("\\"), ["\\\\", "\\x5c"]);
    assert.deepEqual(characterSpellings("×"), ["×", "\\xc3\\x97"]);
  });

  it("produces distinct spellings that all unescape to the text", () => {
    for (const text of [" the", "\n\n", "12 × 3", "Wait,"]) {
      const count = Math.min(spellingCount(text), 200);
      const seen = new Set<string>();
      for (let i = 0; i < count; i++) {
        const s = spelling(text, i);
        assert.ok(!seen.has(s), `duplicate spelling ${JSON.stringify(s)}`);
        seen.add(s);
        assert.equal(unescapeRwkv(s).toString("utf8"), text);
      }
    }
    assert.equal(spelling(" the", 0), " the");
    assert.equal(spellingCount("\n\n"), 9);
    assert.throws(() => spelling("\n", 3), RangeError);
  });
});
