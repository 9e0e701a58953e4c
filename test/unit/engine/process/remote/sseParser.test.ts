import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SseParser } from "../../../../../src/engine/process/remote/serverHttp";

describe("server-sent events", () => {
  it("gives each event's data once its blank line arrives, whatever the chunking and line endings", () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\n: a comment\nevent: x\ndata: {"c":\ndata: 3}\r\rdata: [DONE]\n\n';
    const whole = new SseParser().push(text);
    assert.deepEqual(whole, ['{"a":1}', '{"b":2}', '{"c":\n3}', "[DONE]"]);
    // split at every character, CRLF split across chunks included
    const parser = new SseParser();
    const bytewise = [...text].flatMap((c) => parser.push(c));
    assert.deepEqual(bytewise, whole);
  });

  it("keeps a last event that the stream ended without its blank line or line break", () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: {"a":1}\n\ndata: {"last":true}'), ['{"a":1}']);
    assert.deepEqual(parser.end(), ['{"last":true}']);
    assert.deepEqual(new SseParser().end('data: {"x":1}\n'), ['{"x":1}']);
    assert.deepEqual(new SseParser().end(""), []);
  });
});
