import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerReserve, checkContextBudget } from "../../../../src/core/prompt/contextBudget";

describe("the context check before sending", () => {
  it("passes a question that fits, with the numbers", () => {
    const check = checkContextBudget({ questionTokens: 50, historyTokens: 200, attachments: [{ label: "a.py", tokens: 300 }], contextTokens: 4096, reserveTokens: 1088 });
    assert.deepEqual(check, { promptTokens: 550, contextTokens: 4096, reserveTokens: 1088, problem: null });
  });

  it("says nothing while the context is unknown", () => {
    assert.equal(checkContextBudget({ questionTokens: 1e6, historyTokens: 0, attachments: [], contextTokens: null, reserveTokens: 0 }).problem, null);
  });

  it("names the fewest largest attachments whose removal makes it fit", () => {
    const check = checkContextBudget({
      questionTokens: 40,
      historyTokens: 0,
      attachments: [
        { label: "small.py", tokens: 500 },
        { label: "big.py", tokens: 12_000 },
        { label: "mid.py", tokens: 3_000 },
      ],
      contextTokens: 8192,
      reserveTokens: 2112,
    });
    assert.equal(check.promptTokens, 15_540);
    assert.match(check.problem ?? "", /needs about 15\.5k tokens and the model's context leaves 6,080 for it \(8,192 in all, 2,112 kept/);
    assert.match(check.problem ?? "", /Remove big\.py \(12\.0k tokens\), or attach a selection/);
    assert.doesNotMatch(check.problem ?? "", /mid\.py|small\.py/);
  });

  it("when removing every attachment is not enough, says so and what else to do", () => {
    const check = checkContextBudget({ questionTokens: 100, historyTokens: 3000, attachments: [{ label: "a.py", tokens: 500 }], contextTokens: 2048, reserveTokens: 576 });
    assert.match(check.problem ?? "", /Remove the attachments, start a new chat \(the earlier turns take 3,000 tokens\), shorten the question or raise selfBraking\.model\.contextSize/);
  });

  it("reserves what the engine reserves: a quarter of the context at most, the answer budget at least 64", () => {
    assert.equal(answerReserve(4096, 2048), 1024 + 64);
    assert.equal(answerReserve(4096, 512), 512 + 64);
    assert.equal(answerReserve(128, 2048), 64 + 64);
  });
});
