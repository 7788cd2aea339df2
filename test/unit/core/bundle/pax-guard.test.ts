import { describe, expect, it } from 'vitest';
import { checkMetaHeader, parsePaxRecords } from '../../../../electron/core/bundle/pax-guard.js';
import { paxRecord } from '../../../helpers/hostile-tar.js';

describe('pax records', () => {
  it('parses records by their length prefix, including multi-byte UTF-8 values', () => {
    const body = paxRecord('path', 'data/ünï.txt') + paxRecord('mtime', '1700000000.5');
    expect(parsePaxRecords(body)).toEqual([
      { key: 'path', value: 'data/ünï.txt' },
      { key: 'mtime', value: '1700000000.5' },
    ]);
  });
  it('rejects wrong lengths, missing newlines and trailing junk', () => {
    expect(parsePaxRecords('11 path=x\n')).toBeNull();
    expect(parsePaxRecords('10 path=x\n')).toEqual([{ key: 'path', value: 'x' }]);
    expect(parsePaxRecords('9 path=x ')).toBeNull();
    expect(parsePaxRecords(`${paxRecord('path', 'x')}junk`)).toBeNull();
    expect(parsePaxRecords('0 =\n')).toBeNull();
  });
  it('accepts ordinary pax and GNU long-name headers', () => {
    expect(checkMetaHeader(paxRecord('path', 'bag/data/long name'))).toEqual({ ok: true });
    expect(checkMetaHeader('bag/data/a\nb\0')).toEqual({ ok: true });
  });
  it.each([
    ['newline in a value', paxRecord('path', 'a\nb')],
    ['NUL in a value', paxRecord('path', 'a\0b')],
    ['link target', paxRecord('linkpath', '/etc')],
    ['unknown key', paxRecord('SOMETHING.else', '1')],
    ['negative size', paxRecord('size', '-5')],
    ['NUL inside a long name', 'a\0b\0'],
  ])('refuses %s', (_label, meta) => {
    expect(checkMetaHeader(meta).ok).toBe(false);
  });
  it('marks sparse headers as an unsafe entry type', () => {
    expect(checkMetaHeader(paxRecord('GNU.sparse.map', '0,1'))).toMatchObject({ ok: false, sparse: true });
  });
});
