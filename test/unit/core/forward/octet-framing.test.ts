/** RFC 5425 octet counting: the length is in bytes of UTF-8, so multi-byte names and embedded newlines frame exactly. */
import { describe, expect, it } from 'vitest';
import { frameAllOctetCounted, frameOctetCounted, parseOctetCounted } from '../../../../electron/core/forward/octet-framing.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

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

/** The batch framer encodes in place and moves a message when its UTF-8 length needs more digits than its UTF-16 length. */
describe('octet-counted framing of a whole batch', () => {
  /** The reference: each message framed on its own, concatenated. */
  const reference = (messages: readonly string[]): Buffer => Buffer.concat(messages.map(frameOctetCounted));

  /** Texts whose UTF-8 length crosses a digit boundary their UTF-16 length does not (9|10, 99|100, 999|1000, 9999|10000). */
  function boundaryMessages(): string[] {
    const out: string[] = [];
    for (const units of [5, 9, 50, 99, 500, 999, 5000, 9999]) {
      out.push('x'.repeat(units), 'ä'.repeat(units), '€'.repeat(units), '😀'.repeat(Math.max(1, units >> 1)), `${'x'.repeat(units - 1)}é`);
    }
    out.push('\ud800 lone surrogate', 'tail \udfff', '');
    return out;
  }

  function randomMessage(random: () => number): string {
    const pieces = ['a', ' ', '\n', 'ä', '€', '😀', '\ud800', '\u202e', '"', ']', '\\', '12 '];
    const length = 1 + Math.floor(random() ** 3 * 6000);
    let text = '';
    for (let i = 0; i < length; i += 1) text += pieces[Math.floor(random() * pieces.length)] ?? 'a';
    return text;
  }

  it('gives the same bytes as framing each message alone, at every digit boundary', () => {
    const messages = boundaryMessages();
    expect(frameAllOctetCounted(messages).equals(reference(messages))).toBe(true);
    for (const message of messages) expect(frameAllOctetCounted([message]).equals(frameOctetCounted(message))).toBe(true);
    expect(frameAllOctetCounted([]).length).toBe(0);
  });

  it('gives the same bytes as the reference for seeded random batches, each still intact after the next is framed', () => {
    const random = seededRandom(17_003);
    const batches: Array<{ messages: string[]; framed: Buffer }> = [];
    for (let round = 0; round < 40; round += 1) {
      const messages = Array.from({ length: 1 + Math.floor(random() * 60) }, () => randomMessage(random));
      batches.push({ messages, framed: frameAllOctetCounted(messages) });
    }
    // Checked only after all were framed: a batch must not share bytes with the scratch the next one reuses.
    for (const { messages, framed } of batches) {
      expect(framed.equals(reference(messages))).toBe(true);
      expect(parseOctetCounted(framed).messages.map((m) => m.toString('utf8'))).toEqual(messages.map((m) => Buffer.from(m, 'utf8').toString('utf8')));
    }
  });

  it('frames a batch larger than the reused scratch buffer', () => {
    const messages = Array.from({ length: 700 }, (_, i) => `${'€'.repeat(2000)} #${i}`);
    const framed = frameAllOctetCounted(messages);
    expect(framed.length).toBeGreaterThan(1024 * 1024);
    expect(framed.equals(reference(messages))).toBe(true);
  });
});
