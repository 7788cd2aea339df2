/** RFC 5425 octet counting: the length is in bytes of UTF-8, so multi-byte names and embedded newlines frame exactly. */
import { describe, expect, it } from 'vitest';
import { frameOctetCounted, parseOctetCounted } from '../../../../electron/core/forward/octet-framing.js';

describe('octet-counted framing', () => {
  it('counts bytes, not characters, and round-trips any message', () => {
    const messages = ['<110>1 - - - - - - plain', '<110>1 - - - - - - ä😀 multi-byte', '<110>1 - - - - - - a\nb\n12 <14>1 forged', ''.padEnd(70_000, 'x')];
    const stream = Buffer.concat(messages.map(frameOctetCounted));
    expect(frameOctetCounted('ä').toString('latin1')).toBe(`2 ${Buffer.from('ä').toString('latin1')}`);
    const { messages: parsed, rest } = parseOctetCounted(stream);
    expect(parsed.map((m) => m.toString('utf8'))).toEqual(messages);
    expect(rest.length).toBe(0);
  });

  it('keeps a partial frame as the rest, and refuses a malformed length', () => {
    const frame = frameOctetCounted('<110>1 - - - - - - hello');
    const { messages, rest } = parseOctetCounted(Buffer.concat([frame, frame.subarray(0, 10)]));
    expect(messages).toHaveLength(1);
    expect(rest.length).toBe(10);
    expect(() => parseOctetCounted(Buffer.from('012 abc'))).toThrow(/malformed/u);
    expect(() => parseOctetCounted(Buffer.from('<110>1 - no length'))).toThrow(/malformed/u);
  });
});
