import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { promptDocument } from "../../../src/extension/chat/promptDocument";

describe("Show prompt", () => {
  it("lists the earlier turns with their code, then the question, each in a fence its text cannot close", () => {
    const code = { kind: "file" as const, label: "a.md", language: "markdown", startLine: 1, endLine: 2, text: "```js\nx()\n```\n" };
    const doc = promptDocument({ history: [{ question: "What is a?", answer: "It is ```b```.", attachments: [code] }], message: "And c?" });
    assert.match(doc, /^# What the model was sent\n/);
    assert.match(doc, /### Earlier question 1\n\n`````text\na\.md:\n````markdown\n```js\nx\(\)\n```\n````\n\nWhat is a\?\n`````\n/);
    assert.match(doc, /### Earlier answer 1\n\n````text\nIt is ```b```\.\n````/);
    assert.match(doc, /### This question\n\n```text\nAnd c\?\n```\n$/);
  });
});
