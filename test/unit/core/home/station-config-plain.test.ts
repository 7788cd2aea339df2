/**
 * config.json read without zod (home/station-config-plain.ts) against the schema that defines it,
 * over hostile files: the plain check gives a result only where the schema accepts, and then the
 * schema's result with its field order, `forward` included (forward-config-plain.ts); it leaves to
 * the schema only what it cannot measure as zod does (a text over its limit in UTF-16 units: zod
 * counts code points). A refused file goes to the schema, so the error is the schema's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStationConfig, singleLine, stationConfigSchema, stationIdentity } from '../../../../electron/core/home/station-config.js';
import { isPlainSingleLine, plainStationConfig } from '../../../../electron/core/home/station-config-plain.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';

const TEXTS: unknown[] = [
  '',
  ' ',
  'Station 3',
  'Transfer Station \u00e4\u00f6\u00fc',
  'a'.repeat(200),
  'a'.repeat(201),
  '\u{1F511}'.repeat(100),
  '\u{1F511}'.repeat(101),
  '\u{1F511}'.repeat(200),
  '\u{1F511}'.repeat(201),
  '\ud800'.repeat(3),
  'line\nbreak',
  'carriage\rreturn',
  'tab\there',
  'nul\u0000',
  'unit\u001f',
  'del\u007f',
  'nbsp\u00a0',
  'ls\u2028',
  '/abs/path',
  'relative/path',
  '/',
  `/${'p'.repeat(4095)}`,
  `/${'p'.repeat(4096)}`,
  `/${'\u{1F511}'.repeat(2048)}`,
  '/with\u0001control',
];
const ODD_VALUES: unknown[] = [
  ...TEXTS,
  null,
  true,
  0,
  1,
  -1,
  1.5,
  2 ** 53,
  2 ** 53 - 1,
  -0,
  1e300,
  [],
  [''],
  ['/a'],
  ['a'],
  {},
  { a: 1 },
  'en',
  'de',
  'fr',
  'EN',
];
const FIELDS = ['stationName', 'operatorName', 'organization', 'mediaRoots', 'largeMediumBytes', 'language', 'stagingFolder'];

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    stationName: 'Transfer Station 3',
    operatorName: 'Ann',
    organization: 'Site B',
    mediaRoots: ['/srv/diode/inbox', '/mnt/loop'],
    largeMediumBytes: 549_755_813_888,
    language: 'de',
    stagingFolder: '/srv/staging',
    ...overrides,
  };
}

function hostileConfigs(): unknown[] {
  const files: unknown[] = [
    null,
    0,
    'config',
    [],
    {},
    config(),
    { stationName: 'only' },
    config({ extra: 1 }),
    config({ forward: { jsonLines: { path: '/var/log/a.jsonl' } } }),
  ];
  files.push(config({ forward: { syslog: { url: 'udp://x:1' } } }), Object.fromEntries(Object.entries(config()).reverse()));
  files.push(config({ mediaRoots: [] }), config({ mediaRoots: Array.from({ length: 64 }, (_, i) => `/m${String(i)}`) }));
  files.push(config({ mediaRoots: Array.from({ length: 65 }, (_, i) => `/m${String(i)}`) }));
  for (const field of FIELDS) {
    const { [field]: _dropped, ...without } = config();
    files.push(without);
    for (const value of ODD_VALUES) {
      files.push(config({ [field]: value }));
      if (field === 'mediaRoots') files.push(config({ mediaRoots: ['/ok', value] }));
    }
  }
  files.push(JSON.parse(`{"stationName":"x","__proto__":{"stationName":"y"}}`));
  for (const forward of hostileForwards()) files.push(config({ forward }));
  return files;
}

const SYSLOG = {
  url: 'tls://siem.example:6514',
  ca: '/etc/airlock/ca.pem',
  cert: '/etc/airlock/c.pem',
  key: '/etc/airlock/c.key',
  appName: 'airlock',
  facility: 13,
};
const JSON_LINES = { path: '/var/log/airlock/audit.ecs.jsonl', maxBytes: 104_857_600, keep: 5 };
const FORWARD_VALUES: unknown[] = [
  ...ODD_VALUES,
  'tcp://127.0.0.1:1514',
  'tcp://[::1]:514',
  'tls://host:0',
  'tls://host:65535',
  'tls://host:65536',
  'tls://host:99999',
  'udp://host:514',
  'tcp://host',
  'tcp://-bad-:1',
  `tcp://${'h'.repeat(253)}:1`,
  `tcp://${'h'.repeat(254)}:1`,
  `tcp://${'h'.repeat(290)}:1`,
  `tcp://[${'1'.repeat(300)}]:1`,
  'tcp://host:1\n',
  '!~',
  'a'.repeat(48),
  'a'.repeat(49),
  'with space',
  23,
  24,
  4095,
  4096,
  1024 ** 4,
  1024 ** 4 + 1,
  1000,
  1001,
];

function hostileForwards(): unknown[] {
  const forwards: unknown[] = [{}, { syslog: SYSLOG }, { jsonLines: JSON_LINES }, { syslog: SYSLOG, jsonLines: JSON_LINES }, { other: 1 }, null, [], 'x'];
  forwards.push(
    { syslog: { url: 'tcp://siem:514' } },
    { jsonLines: { path: '/a' } },
    { syslog: { ...SYSLOG, extra: 1 } },
    { jsonLines: { ...JSON_LINES, extra: 1 } },
  );
  forwards.push(
    { syslog: { url: 'tcp://siem:514', ca: '/ca.pem' } },
    { syslog: { url: 'tls://siem:514', cert: '/c.pem' } },
    { syslog: { url: 'tls://siem:514', key: '/c.key' } },
  );
  forwards.push({ syslog: { url: 'tcp://siem:514', cert: '/c.pem', key: '/c.key' } }, { syslog: { key: '/k', cert: '/c', url: 'tls://h:1' } });
  for (const [sink, base] of [
    ['syslog', SYSLOG],
    ['jsonLines', JSON_LINES],
  ] as const) {
    for (const field of Object.keys(base)) {
      const { [field]: _dropped, ...without } = base as Record<string, unknown>;
      forwards.push({ [sink]: without });
      for (const value of FORWARD_VALUES) forwards.push({ [sink]: { ...base, [field]: value } });
    }
  }
  return forwards;
}

/** What the plain check leaves to the schema even when the schema accepts. */
function leftToSchema(json: unknown): boolean {
  const file = json as Record<string, unknown>;
  const long = (value: unknown, limit: number): boolean => typeof value === 'string' && value.length > limit;
  const forward = (typeof file.forward === 'object' && file.forward !== null ? file.forward : {}) as Record<string, Record<string, unknown> | undefined>;
  const syslog = forward.syslog ?? {};
  const jsonLines = forward.jsonLines ?? {};
  return (
    ['stationName', 'operatorName', 'organization'].some((key) => long(file[key], 200)) ||
    (Array.isArray(file.mediaRoots) && file.mediaRoots.some((root) => long(root, 4096))) ||
    long(file.stagingFolder, 4096) ||
    long(syslog.url, 300) ||
    ['ca', 'cert', 'key'].some((key) => long(syslog[key], 4096)) ||
    long(jsonLines.path, 4096)
  );
}

describe('config.json read without zod', () => {
  it('gives a result only where the schema accepts, the schema result with its field order, and leaves only over-long texts to it', () => {
    let accepted = 0;
    let refused = 0;
    let deferred = 0;
    for (const [index, file] of hostileConfigs().entries()) {
      const json = JSON.parse(JSON.stringify(file)) as unknown;
      const label = `case ${String(index)}: ${JSON.stringify(json).slice(0, 300)}`;
      const schema = stationConfigSchema().safeParse(json);
      const plain = plainStationConfig(json);
      if (plain !== undefined) {
        expect(schema.success, label).toBe(true);
        expect(JSON.stringify(plain), label).toBe(JSON.stringify(schema.data));
        expect(plain, label).toEqual(schema.data);
        accepted += 1;
      } else if (schema.success) {
        expect(leftToSchema(json), label).toBe(true);
        deferred += 1;
      } else refused += 1;
    }
    expect(accepted).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(100);
    expect(deferred).toBeGreaterThan(2);
  });

  it('takes a one-line name only where the schema takes it, and leaves only names over 200 UTF-16 units to it', () => {
    for (const value of ODD_VALUES) {
      const schema = singleLine().safeParse(value).success;
      if (isPlainSingleLine(value)) expect(schema, JSON.stringify(value)).toBe(true);
      else if (schema) expect((value as string).length, JSON.stringify(value)).toBeGreaterThan(200);
    }
  });

  it('--operator: a name the plain check leaves to the schema is still judged by it', () => {
    expect(stationIdentity({}, '\u{1F511}'.repeat(150)).operator).toContain('\u{1F511}');
    expect(() => stationIdentity({}, '\u{1F511}'.repeat(201))).toThrow(/one line of at most 200 characters/u);
    expect(() => stationIdentity({}, 'two\nlines')).toThrow(/one line of at most 200 characters/u);
  });

  it('readStationConfig: a hostile config.json is CONFIG_INVALID in the schema’s words', async () => {
    const home = await mkdtemp(join(tmpdir(), 'airlock-config-plain-'));
    try {
      const paths = homePaths(home);
      await writeFile(paths.config, JSON.stringify(config({ extra: 1 })));
      await expect(readStationConfig(paths)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('extra') });
      await writeFile(paths.config, JSON.stringify(config({ mediaRoots: ['relative'] })));
      await expect(readStationConfig(paths)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('mediaRoots.0: must be an absolute path without control characters'),
      });
      await writeFile(paths.config, JSON.stringify(config()));
      expect(await readStationConfig(paths)).toEqual(config());
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
