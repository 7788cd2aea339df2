/**
 * RFC 5424 formatting of audit events: the header, PRI by outcome, and hostile text (file and
 * operator names with newlines, `]`, `"`, `\`, NUL, bidi overrides, 64 KiB) that must never end
 * the SD element, inject a parameter, or split the message. A strict parser of the RFC's grammar
 * (written here from §6) reads every message back.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../electron/core/audit/audit-event.js';
import { createSyslogFormatter, formatSyslogMessage, safeText, SD_ID } from '../../../../electron/core/forward/syslog-format.js';
import { unsafeCharIn } from '../../../helpers/forward-checks.js';
import { hostileText, UNSAFE_IN_VALUE } from '../../../helpers/hostile-text.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq: 42,
    at: '2026-12-03T09:00:00.123Z',
    type: 'import',
    outcome: 'ok',
    operator: 'Ann (ann)',
    station: 'high-side-1',
    bundleUuid: '6f1c2a70-1111-4222-8333-444455556666',
    bundleName: 'reports-2026-12',
    tagmanifestSha256: 'ab'.repeat(32),
    signers: ['A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', 'FFEEDDCCBBAA99887766554433221100FFEEDDCC'],
    problemCodes: [],
    errorCode: null,
    files: 3,
    bytes: 1234,
    details: {},
    filesDigest: null,
    prevHash: 'cd'.repeat(32),
    hash: 'ef'.repeat(32),
    ...overrides,
  };
}

interface Parsed {
  pri: number;
  header: string[];
  elements: Array<{ id: string; params: Array<[string, string]> }>;
  msg: string;
}

/** RFC 5424 §6 by the letter: header fields of PRINTUSASCII, SD-ELEMENTs with escaped PARAM-VALUEs, then MSG. */
function parse5424(text: string): Parsed {
  const header = /^<(\d{1,3})>1 (\S+) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) /u.exec(text);
  if (header === null) throw new Error(`bad header: ${text.slice(0, 120)}`);
  let i = header[0].length;
  const elements: Parsed['elements'] = [];
  if (text[i] === '-') i += 1;
  else {
    while (text[i] === '[') {
      const id = /^\[([^= \]"]{1,32})/u.exec(text.slice(i));
      if (id === null) throw new Error('bad SD-ID');
      i += id[0].length;
      const params: Array<[string, string]> = [];
      while (text[i] === ' ') {
        const name = /^ ([^= \]"]{1,32})="/u.exec(text.slice(i));
        if (name === null) throw new Error(`bad SD-PARAM at ${i}`);
        i += name[0].length;
        let value = '';
        for (;;) {
          const char = text[i];
          if (char === undefined) throw new Error('unterminated value');
          if (char === '\\' && ['"', '\\', ']'].includes(text[i + 1] ?? '')) {
            value += text[i + 1];
            i += 2;
          } else if (char === '"') {
            i += 1;
            break;
          } else if (char === ']') throw new Error('unescaped ] inside a value');
          else {
            value += char;
            i += 1;
          }
        }
        params.push([name[1] ?? '', value]);
      }
      if (text[i] !== ']') throw new Error(`SD-ELEMENT not closed at ${i}: ${text.slice(i, i + 20)}`);
      i += 1;
      elements.push({ id: id[1] ?? '', params });
    }
  }
  if (i < text.length && text[i] !== ' ') throw new Error('no space before MSG');
  return { pri: Number(header[1]), header: header.slice(2, 7), elements, msg: text.slice(i + 1) };
}

/** Undo safeText's visible escapes (the reverse a SIEM-side reader would apply). */
function unescapeSafe(text: string): string {
  return text.replace(/\\(\\|n|r|t|u[0-9a-f]{4}|u\{[0-9a-f]+\})/gu, (_all, code: string) => {
    if (code === '\\') return '\\';
    if (code === 'n') return '\n';
    if (code === 'r') return '\r';
    if (code === 't') return '\t';
    if (code.startsWith('u{')) return String.fromCodePoint(parseInt(code.slice(2, -1), 16));
    return String.fromCharCode(parseInt(code.slice(1), 16));
  });
}

const PARAM_NAMES = new Set([
  'seq',
  'hash',
  'prevHash',
  'type',
  'outcome',
  'bundleId',
  'bundleName',
  'tagmanifestSha256',
  'signers',
  'problems',
  'errorCode',
  'channel',
  'channelSeq',
  'channelFindings',
  'files',
  'bytes',
  'station',
  'operator',
]);

describe('RFC 5424 formatting', () => {
  it('writes the header from the event: PRI, timestamp, station, app, procid, type', () => {
    const text = formatSyslogMessage(event(), { procId: '777' });
    expect(text.startsWith('<110>1 2026-12-03T09:00:00.123Z high-side-1 airlock 777 import [airlock@32473 seq="42" hash="')).toBe(true);
    const parsed = parse5424(text);
    expect(parsed.elements).toHaveLength(1);
    expect(parsed.elements[0]?.id).toBe(SD_ID);
    expect(Object.fromEntries(parsed.elements[0]?.params ?? [])).toMatchObject({
      seq: '42',
      hash: 'ef'.repeat(32),
      type: 'import',
      outcome: 'ok',
      bundleId: '6f1c2a70-1111-4222-8333-444455556666',
      bundleName: 'reports-2026-12',
      tagmanifestSha256: 'ab'.repeat(32),
      signers: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678,FFEEDDCCBBAA99887766554433221100FFEEDDCC',
      station: 'high-side-1',
      operator: 'Ann (ann)',
    });
    expect(parsed.msg).toBe('import ok, bundle "reports-2026-12", 3 files, by Ann (ann)');
  });

  it.each([
    ['ok', 6],
    ['rejected', 4],
    ['failed', 3],
    ['cancelled', 5],
  ])('severity for %s is %i; facility from the config', (outcome, severity) => {
    expect(parse5424(formatSyslogMessage(event({ outcome }))).pri).toBe(13 * 8 + severity);
    expect(parse5424(formatSyslogMessage(event({ outcome }), { facility: 4 })).pri).toBe(4 * 8 + severity);
  });

  it('carries channel findings from details.channel and warns', () => {
    const text = formatSyslogMessage(
      event({
        details: { channel: { stamp: { channel: 'diode-a', sequence: 9 }, signer: 'X', findings: [{ code: 'CHANNEL_GAP' }, { code: 'CHANNEL_REORDERED' }] } },
      }),
    );
    const params = Object.fromEntries(parse5424(text).elements[0]?.params ?? []);
    expect(params).toMatchObject({ channel: 'diode-a', channelSeq: '9', channelFindings: 'CHANNEL_GAP,CHANNEL_REORDERED' });
    expect(parse5424(text).pri).toBe(13 * 8 + 4);
    const heartbeat = Object.fromEntries(
      parse5424(formatSyslogMessage(event({ type: 'heartbeat', details: { channel: 'diode-a', sequence: 3 } }))).elements[0]?.params ?? [],
    );
    expect(heartbeat).toMatchObject({ channel: 'diode-a', channelSeq: '3' });
  });

  const hostile: Array<[string, string]> = [
    ['newlines', 'a\nb\r\nc'],
    ['a closing bracket and a forged parameter', 'x"] [evil@1 admin="1"] seq="1'],
    ['quotes and backslashes', 'C:\\temp\\"quoted"\\'],
    ['NUL', 'nul\u0000byte'],
    ['bidi overrides', 'invoice\u202egpj.exe\u2066x\u2069'],
    ['C1 and DEL', 'esc\u009b31m\u007f'],
    ['a lone surrogate', 'half\ud800pair'],
    ['line and paragraph separators', 'a\u2028b\u2029c'],
    ['an octet-count lookalike', '12 <13>1 - - - - - - forged'],
  ];

  it.each(hostile)('a name with %s stays inside its value and reads back exactly', (_what, name) => {
    const text = formatSyslogMessage(event({ bundleName: name, operator: name, station: name }));
    expect(unsafeCharIn(text)).toBeNull();
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u);
    const parsed = parse5424(text);
    expect(parsed.elements.map((e) => e.id)).toEqual([SD_ID]);
    const params = parsed.elements[0]?.params ?? [];
    for (const [param] of params) expect(PARAM_NAMES.has(param), param).toBe(true);
    expect(new Set(params.map(([param]) => param)).size).toBe(params.length);
    const values = Object.fromEntries(params);
    // A lone surrogate is escaped too; everything else reads back exactly.
    expect(unescapeSafe(values['bundleName'] ?? '')).toBe(name);
    expect(unescapeSafe(values['operator'] ?? '')).toBe(name);
    expect(parsed.header[1]).toMatch(/^[!-~]+$/u);
  });

  it('bounds a 64 KiB name: the message stays under 4 KiB, the cut marked, the element intact', () => {
    const long = `${'ä'.repeat(30_000)}]"\\\n${'x'.repeat(35_000)}`;
    const text = formatSyslogMessage(
      event({ bundleName: long, operator: long.slice(0, 200), problemCodes: Array.from({ length: 500 }, () => 'CHECKSUM_MISMATCH') }),
    );
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    const params = Object.fromEntries(parse5424(text).elements[0]?.params ?? []);
    expect(params['bundleName']?.endsWith('…')).toBe(true);
    expect(params['seq']).toBe('42');
    expect(params['hash']).toBe('ef'.repeat(32));
  });

  it('survives random hostile names (seeded): one element, known parameters, exact read-back', () => {
    const random = seededRandom(20261203);
    const alphabet = ['a', ' ', '"', '\\', ']', '[', '=', '\n', '\r', '\u0000', '\u202e', '\u2069', 'é', '😀', '\ud800', '\u0085', '}', '<', '>', '1', '-'];
    for (let trial = 0; trial < 500; trial += 1) {
      const length = Math.floor(random() * 60);
      let name = '';
      for (let i = 0; i < length; i += 1) name += alphabet[Math.floor(random() * alphabet.length)] ?? '';
      const text = formatSyslogMessage(event({ bundleName: name, operator: name }));
      const parsed = parse5424(text);
      expect(parsed.elements).toHaveLength(1);
      const values = Object.fromEntries(parsed.elements[0]?.params ?? []);
      expect(unescapeSafe(values['bundleName'] ?? '')).toBe(name);
      expect(Object.keys(values).every((key) => PARAM_NAMES.has(key))).toBe(true);
    }
  });

  it('safeText escapes the backslash so an escape is never ambiguous', () => {
    expect(safeText('a\\nb', 100)).toBe('a\\\\nb');
    expect(safeText('a\nb', 100)).toBe('a\\nb');
    expect(unescapeSafe(safeText('a\\nb', 100))).toBe('a\\nb');
  });
});

describe('syslog-record-injection: the shared rule over every character class', () => {
  it('2,000 seeded hostile names and operators (escapes, C1, bidi, zero-width, tags, separators): one record, one element, nothing unsafe, exact read-back', () => {
    for (let seed = 5424; seed < 5424 + 2000; seed += 1) {
      const name = hostileText(seed);
      const text = formatSyslogMessage(event({ bundleName: name, operator: hostileText(seed + 1), station: hostileText(seed + 2, 4) }));
      expect(UNSAFE_IN_VALUE.test(text), `seed ${seed}: ${text}`).toBe(false);
      const parsed = parse5424(text);
      expect(parsed.elements, `seed ${seed}`).toHaveLength(1);
      const values = Object.fromEntries(parsed.elements[0]?.params ?? []);
      if (Buffer.byteLength(name) < 100) expect(unescapeSafe(values['bundleName'] ?? ''), `seed ${seed}`).toBe(name);
    }
  });

  it('a zero-width or tag character in a name is a visible escape, so two names that look alike do not in the SIEM', () => {
    const a = parse5424(formatSyslogMessage(event({ bundleName: 'invoice\u200b.pdf' }))).elements[0]?.params ?? [];
    const b = parse5424(formatSyslogMessage(event({ bundleName: 'invoice\u{e0041}.pdf' }))).elements[0]?.params ?? [];
    expect(Object.fromEntries(a)['bundleName']).toBe('invoice\\u200b.pdf');
    expect(Object.fromEntries(b)['bundleName']).toBe('invoice\\u{e0041}.pdf');
  });
});

describe('createSyslogFormatter (one per sink, header parts cached)', () => {
  it('formats a long stream exactly as a fresh formatter per event, past its cache bounds and with hostile stations and types', () => {
    const random = seededRandom(1703);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const stations = ['high-side-1', 'a b', 'ü-station', '', 'x'.repeat(300), ...Array.from({ length: 90 }, (_, i) => `st-${i}`)];
    const types = ['import', 'verify', 'channel-alarm', 'type with space', '\u202eevil', ...Array.from({ length: 80 }, (_, i) => `t${i}`)];
    const texts = ['plain', 'with "quote"', 'br]acket', 'back\\slash', 'new\nline', 'bidi\u202e', 'ä😀', 'x'.repeat(700)];
    const outcomes = ['ok', 'failed', 'rejected', 'cancelled'] as const;
    const options = { facility: 4, appName: 'airlock', procId: '4242' };
    const formatter = createSyslogFormatter(options);
    for (let i = 0; i < 3000; i += 1) {
      const sample = event({
        seq: i + 1,
        station: pick(stations),
        type: pick(types),
        outcome: pick(outcomes),
        bundleName: pick([null, ...texts]),
        operator: pick(texts),
        hash: pick(['ef'.repeat(32), ...texts]),
        files: pick([null, 0, 7, 123456789]),
        at: pick(['2026-12-03T09:00:00.123Z', 'not a time']),
      });
      const text = formatter(sample);
      expect(text).toBe(formatSyslogMessage(sample, options));
      expect(parse5424(text).pri).toBe(
        4 * 8 +
          (sample.outcome === 'failed' ? 3 : sample.outcome === 'rejected' || sample.type === 'channel-alarm' ? 4 : sample.outcome === 'cancelled' ? 5 : 6),
      );
    }
  });
});
