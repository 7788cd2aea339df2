import { describe, expect, it } from 'vitest';
import { bagInfoValue, formatBagInfo, humanBagSize, parseBagInfo, parsePayloadOxum } from '../../../../electron/core/bundle/bag-info.js';

describe('bag-info.txt', () => {
  it('round-trips labels and values, labels case-insensitive on lookup', () => {
    const text = formatBagInfo([
      { label: 'Payload-Oxum', value: '10.2' },
      { label: 'External-Identifier', value: 'abc' },
    ]);
    expect(text).toBe('Payload-Oxum: 10.2\nExternal-Identifier: abc\n');
    const parsed = parseBagInfo(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(bagInfoValue(parsed.info, 'payload-oxum')).toBe('10.2');
  });
  it('joins continuation lines', () => {
    const parsed = parseBagInfo('Description: one\n  two\n\tthree\n');
    expect(parsed.ok && parsed.info).toEqual([{ label: 'Description', value: 'one two three' }]);
  });
  it('refuses to write a value that would break the line format', () => {
    expect(() => formatBagInfo([{ label: 'Airlock-Operator', value: 'a\nPayload-Oxum: 1.1' }])).toThrow();
  });
  it('rejects lines without a label', () => {
    expect(parseBagInfo('no colon here\n').ok).toBe(false);
    expect(parseBagInfo('  continuation first\n').ok).toBe(false);
  });
  it('parses Payload-Oxum strictly', () => {
    expect(parsePayloadOxum('1024.3')).toEqual({ octets: 1024, streams: 3 });
    expect(parsePayloadOxum(' 0.0 ')).toEqual({ octets: 0, streams: 0 });
    for (const bad of ['1024', '-1.2', '1.2.3', 'a.b', '99999999999999999.1']) expect(parsePayloadOxum(bad)).toBeNull();
  });
  it('gives a human Bag-Size', () => {
    expect(humanBagSize(512)).toBe('512 B');
    expect(humanBagSize(2_500_000)).toBe('2.5 MB');
  });
});
