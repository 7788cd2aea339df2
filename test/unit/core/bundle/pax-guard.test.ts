import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../../../electron/core/bundle/archive-error.js';
import { checkLongName, checkPaxHeader, parsePaxRecords } from '../../../../electron/core/bundle/pax-guard.js';
import { paxRecord } from '../../../helpers/hostile-tar.js';

function refusal(run: () => unknown): ArchiveError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    return error as ArchiveError;
  }
  throw new Error('expected a refusal');
}

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
  it('rejects a body that ends in NUL padding (it is a pax header, whatever it ends with)', () => {
    expect(parsePaxRecords(`${paxRecord('path', 'x')}\0\0\0`)).toBeNull();
  });
  it('rejects a record that is not valid UTF-8', () => {
    expect(parsePaxRecords(Buffer.concat([Buffer.from('12 path=a'), Buffer.from([0xff]), Buffer.from('\n')]))).toBeNull();
  });
});

describe('checkPaxHeader', () => {
  it('returns the path and size it sets', () => {
    expect(checkPaxHeader(Buffer.from(paxRecord('path', 'bag/data/long name') + paxRecord('size', '9000000000')))).toEqual({
      path: 'bag/data/long name',
      size: 9_000_000_000,
    });
    expect(checkPaxHeader(Buffer.from(paxRecord('mtime', '1700000000.25') + paxRecord('atime', '1') + paxRecord('SCHILY.xattr.user.k', 'v')))).toEqual({});
  });
  it.each([
    ['newline in a value', paxRecord('path', 'a\nb')],
    ['NUL in a value', paxRecord('path', 'a\0b')],
    ['unknown key', paxRecord('SOMETHING.else', '1')],
    ['a type key', paxRecord('type', '2')],
    ['negative size', paxRecord('size', '-5')],
    ['size hidden after a NUL-ended body', `${paxRecord('path', 'x')}\0${paxRecord('size', '1')}`],
    ['the same key twice', paxRecord('path', 'a') + paxRecord('path', 'b')],
    ['an empty path', paxRecord('path', '')],
    ['an mtime that is not a time', paxRecord('mtime', 'soon')],
    ['a vendor key that changes the type', paxRecord('SCHILY.filetype', 'symlink')],
  ])('refuses %s as ARCHIVE_CORRUPT', (_label, body) => {
    expect(refusal(() => checkPaxHeader(Buffer.from(body))).kind).toBe('corrupt');
  });
  it.each([
    ['a link target', paxRecord('linkpath', '/etc')],
    ['sparse records', paxRecord('GNU.sparse.map', '0,1')],
  ])('refuses %s as an unsafe entry type', (_label, body) => {
    expect(refusal(() => checkPaxHeader(Buffer.from(body))).kind).toBe('unsafe-type');
  });
});

describe('checkLongName', () => {
  it('takes the name up to its NUL padding, CR and LF included', () => {
    expect(checkLongName(Buffer.from('bag/data/a\nb\0'))).toBe('bag/data/a\nb');
    expect(checkLongName(Buffer.from('bag/data/x'))).toBe('bag/data/x');
  });
  it.each([
    ['a NUL inside the name', Buffer.from('a\0b\0')],
    ['an empty name', Buffer.from('\0\0')],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28, 0])],
  ])('refuses %s', (_label, body) => {
    expect(refusal(() => checkLongName(body)).kind).toBe('corrupt');
  });
});
