import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Token } from "node-llama-cpp";
import { TokenLedger } from "../../../../../src/engine/process/generation/tokenLedger";

const tok = (n: number): Token => n as Token;

describe("token ledger", () => {
  // raw: "ab|cd|e" + a held (partial UTF-8) token completed by the next one: "é"
  const raw = "abcdeé!";
  function ledger(): TokenLedger {
    const l = new TokenLedger(0);
    l.push(tok(1), 10, 2);
    l.push(tok(2), 11, 4);
    l.push(tok(3), 12, 5);
    l.push(tok(4), 13, -1);
    l.push(tok(5), 14, -1);
    l.settleRawEnd(6);
    l.push(tok(6), 15, 7);
    return l;
  }

  it("cuts between tokens at a token boundary", () => {
    const cut = ledger().cutAt(4, raw);
    assert.deepEqual(cut, { index: 2, straddle: "", keptRawEnd: 4 });
  });

  it("keeps the part of a straddling token as text", () => {
    const cut = ledger().cutAt(3, raw);
    assert.deepEqual(cut, { index: 1, straddle: "c", keptRawEnd: 2 });
  });

  it("never splits the tokens of one character", () => {
    const cut = ledger().cutAt(6, raw);
    assert.equal(cut.index, 5);
    const inside = ledger().cutAt(5, raw);
    assert.equal(inside.index, 3, "both bytes of é go");
  });

  it("treats tokens without text yet as past any offset", () => {
    const l = new TokenLedger(0);
    l.push(tok(1), 0, 3);
    l.push(tok(2), 1, -1);
    assert.equal(l.cutAt(3, "abc").index, 1);
    assert.equal(l.kvIndex(1), 1);
    assert.deepEqual(l.tokens(1), [tok(2)]);
  });
});
