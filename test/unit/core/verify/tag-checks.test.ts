/**
 * Tag-file reading (RFC 8493): UTF-8 without a byte-order mark, and a payload manifest read a
 * slice at a time that stops at the station's file limit.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';
import { checkBagitTxt, decodeTagFile, readBagInfoFacts, readPayloadManifest, readTagManifest } from '../../../../electron/core/verify/tag-checks.js';

const H = 'ab'.repeat(32);
const lines = (count: number, from = 0): string => Array.from({ length: count }, (_, i) => `${H}  data/f${from + i}.txt\n`).join('');

describe('decodeTagFile', () => {
  it('refuses a UTF-8 byte-order mark, which the decoder would otherwise drop silently', () => {
    const result = decodeTagFile('bagit.txt', Buffer.from('\uFEFFBagIt-Version: 1.0\n'));
    expect(result).toMatchObject({ problem: { code: 'MANIFEST_INVALID', path: 'bagit.txt' } });
    expect('problem' in result && result.problem.message).toContain('byte-order mark');
  });
  it.each([
    ['UTF-16LE', Buffer.from('\uFEFFBagIt', 'utf16le')],
    ['UTF-16BE', Buffer.from('\uFEFFBagIt', 'utf16le').swap16()],
    ['UTF-32LE', Buffer.from([0xff, 0xfe, 0, 0, 0x42, 0, 0, 0])],
    ['Latin-1', Buffer.from('Jos\xe9', 'latin1')],
  ])('refuses %s as not UTF-8', (_label, bytes) => {
    expect(decodeTagFile('bag-info.txt', bytes)).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
  });
  it('keeps a byte-order mark met later in the text (so the exact-bytes checks see it)', () => {
    expect(decodeTagFile('x', Buffer.from('a\uFEFFb'))).toEqual({ text: 'a\uFEFFb' });
  });
});

describe('readPayloadManifest', () => {
  it('reads every line of a manifest at the limit, across slices', () => {
    const result = readPayloadManifest(Buffer.from(lines(20_000)), { ...DEFAULT_LIMITS, maxEntries: 20_000 });
    expect('entries' in result && result.entries.size).toBe(20_000);
  });
  it('stops at the limit: what follows the limit is never parsed (a malformed line there does not change the answer)', () => {
    const bytes = Buffer.from(`${lines(5)}not a manifest line\n`);
    expect(readPayloadManifest(bytes, { ...DEFAULT_LIMITS, maxEntries: 5 })).toMatchObject({
      problem: { code: 'LIMIT_EXCEEDED', path: 'manifest-sha256.txt' },
    });
    expect(readPayloadManifest(bytes, { ...DEFAULT_LIMITS, maxEntries: 10 })).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
  });
  it('refuses a byte-order mark and names the line that is malformed', () => {
    expect(readPayloadManifest(Buffer.from(`\uFEFF${lines(1)}`), DEFAULT_LIMITS)).toMatchObject({ problem: { code: 'MANIFEST_INVALID' } });
    const result = readPayloadManifest(Buffer.from(`${lines(3)}oops\n`), DEFAULT_LIMITS);
    expect('problem' in result && result.problem.message).toContain('line 4');
  });
});

describe('checkBagitTxt', () => {
  it.each([
    'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    'BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n',
    'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8',
    'BagIt-Version: 1.0\rTag-File-Character-Encoding: UTF-8\r',
    'BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\n',
  ])('accepts the two required lines exactly (%j)', (text) => {
    expect(checkBagitTxt(text)).toBeNull();
  });
  it.each([
    ['another version', 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n'],
    ['another encoding', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n'],
    ['the lines swapped', 'Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n'],
    ['a third line', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nExtra: x\n'],
    ['a trailing blank line', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n\n'],
    ['a trailing space', 'BagIt-Version: 1.0 \nTag-File-Character-Encoding: UTF-8\n'],
    ['an empty file', ''],
    ['two line ends after the first line (CR then LF apart)', 'BagIt-Version: 1.0\n\rTag-File-Character-Encoding: UTF-8\n'],
    ['a CR after the final line end', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n\r'],
  ])('refuses %s as MANIFEST_INVALID on bagit.txt', (_label, text) => {
    expect(checkBagitTxt(text)).toMatchObject({ code: 'MANIFEST_INVALID', path: 'bagit.txt' });
  });
});

describe('readBagInfoFacts', () => {
  const info = [
    'External-Identifier: 6b1c',
    'Airlock-Station: lab-a',
    'Airlock-Operator: Ana',
    'Airlock-Sequence: 42',
    'Airlock-Created: 2026-01-01T00:00:00Z',
    'Airlock-Format-Version: 1',
    'Payload-Oxum: 12.2',
    '',
  ].join('\n');

  it('reads the facts verify reports', () => {
    expect(readBagInfoFacts(info)).toEqual({
      facts: {
        uuid: '6b1c',
        station: 'lab-a',
        operator: 'Ana',
        sequence: 42,
        created: '2026-01-01T00:00:00Z',
        formatVersion: '1',
        oxum: { octets: 12, streams: 2 },
      },
    });
  });
  it('leaves out what is absent, and a sequence that is not a plain number', () => {
    expect(readBagInfoFacts('Airlock-Sequence: 4e2\n')).toEqual({
      facts: { uuid: null, station: null, operator: null, sequence: null, created: null, formatVersion: null, oxum: null },
    });
    expect(readBagInfoFacts('Airlock-Sequence: 1234567890123456\n')).toMatchObject({ facts: { sequence: null } });
  });
  it.each(['12', '12.2.1', '-1.2', 'twelve.two', '99999999999999999.1'])('refuses Payload-Oxum %j', (oxum) => {
    expect(readBagInfoFacts(`Payload-Oxum: ${oxum}\n`)).toMatchObject({ problem: { code: 'MANIFEST_INVALID', path: 'bag-info.txt' } });
  });
  it('refuses a bag-info.txt that does not parse (a continuation line first)', () => {
    expect(readBagInfoFacts('  continued\nA: b\n')).toMatchObject({ problem: { code: 'MANIFEST_INVALID', path: 'bag-info.txt' } });
  });
  it.each(['Payload-Oxum', 'External-Identifier', 'Airlock-Sequence', 'Airlock-Station', 'Airlock-Operator', 'Airlock-Created', 'Airlock-Format-Version'])(
    'refuses %s twice (other BagIt readers may take the second value Airlock ignores)',
    (label) => {
      const read = readBagInfoFacts(`${label}: 6.1\nBagging-Date: 2026-01-01\n${label.toUpperCase()}: 7.1\n`);
      expect(read).toMatchObject({ problem: { code: 'MANIFEST_INVALID', path: 'bag-info.txt' } });
      expect('problem' in read && read.problem.message).toContain(`${label} appears 2 times`);
    },
  );
  it('lets informational labels repeat, as RFC 8493 allows (Source-Organization, Bagging-Date)', () => {
    expect(readBagInfoFacts('Source-Organization: A\nSource-Organization: B\nBagging-Date: 1\nBagging-Date: 2\n')).toMatchObject({ facts: { uuid: null } });
  });
});

describe('readTagManifest', () => {
  const line = (path: string, sum = H): string => `${sum}  ${path}\n`;
  const required = line('bagit.txt') + line('manifest-sha256.txt');

  it('maps each covered tag file to its checksum', () => {
    const result = readTagManifest(required + line('bag-info.txt', 'cd'.repeat(32)));
    expect('entries' in result && [...result.entries]).toEqual([
      ['bagit.txt', H],
      ['manifest-sha256.txt', H],
      ['bag-info.txt', 'cd'.repeat(32)],
    ]);
  });
  it.each([
    ['does not cover bagit.txt', line('manifest-sha256.txt'), 'MANIFEST_INVALID'],
    ['does not cover the payload manifest', line('bagit.txt'), 'MANIFEST_INVALID'],
    ['lists a payload file', required + line('data/a.txt'), 'MANIFEST_INVALID'],
    ['lists the data folder itself', required + line('data'), 'MANIFEST_INVALID'],
    ['lists itself', required + line('tagmanifest-sha256.txt'), 'MANIFEST_INVALID'],
    ['lists the signature', required + line('tagmanifest-sha256.txt.asc'), 'MANIFEST_INVALID'],
    ['lists a tag file twice', required + line('bagit.txt'), 'DUPLICATE_ENTRY'],
    ['lists a path leaving the bag', required + line('../x.txt'), 'UNSAFE_PATH'],
    ['lists an absolute path', required + line('/etc/passwd'), 'UNSAFE_PATH'],
    ['holds a line that is not a checksum and a path', `${required}not a line\n`, 'MANIFEST_INVALID'],
  ])('refuses a tag manifest that %s', (_label, text, code) => {
    expect(readTagManifest(text)).toMatchObject({ problem: { code, path: 'tagmanifest-sha256.txt' } });
  });
});

describe('readPayloadManifest path rules', () => {
  it.each([
    ['a path outside data/', `${H}  bagit.txt\n`, 'MANIFEST_INVALID'],
    ['a path leaving data/', `${H}  data/../../x\n`, 'UNSAFE_PATH'],
    ['a path over the depth limit', `${H}  data/${'d/'.repeat(70)}x\n`, 'LIMIT_EXCEEDED'],
    ['a path twice', `${H}  data/a\n${H}  data/a\n`, 'DUPLICATE_ENTRY'],
    ['two paths equal after case folding', `${H}  data/a\n${H}  data/A\n`, 'DUPLICATE_ENTRY'],
    ['a file where another path needs a folder', `${H}  data/a\n${H}  data/a/b\n`, 'DUPLICATE_ENTRY'],
  ])('refuses %s', (_label, text, code) => {
    expect(readPayloadManifest(Buffer.from(text), DEFAULT_LIMITS)).toMatchObject({ problem: { code } });
  });
  it('decodes percent-encoded line breaks in paths (RFC 8493 §2.1.3)', () => {
    const result = readPayloadManifest(Buffer.from(`${H}  data/f%0A1.txt\n`), DEFAULT_LIMITS);
    expect('entries' in result && result.entries.paths()).toEqual(['data/f\n1.txt']);
  });
});
