/** ECS JSON lines: one object per line whatever the names hold, values exact, the ECS fields a SIEM maps. */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../electron/core/audit/audit-event.js';
import { formatEcsLine } from '../../../../electron/core/forward/ecs-format.js';
import { unsafeCharIn } from '../../../helpers/forward-checks.js';
import { hostileText, UNSAFE_IN_VALUE } from '../../../helpers/hostile-text.js';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq: 7,
    at: '2026-12-03T09:00:00.123Z',
    type: 'import',
    outcome: 'rejected',
    operator: 'Ann (ann)',
    station: 'high-side-1',
    bundleUuid: '6f1c2a70-1111-4222-8333-444455556666',
    bundleName: 'reports',
    tagmanifestSha256: 'ab'.repeat(32),
    signers: ['A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'],
    problemCodes: ['CHECKSUM_MISMATCH'],
    errorCode: null,
    files: 3,
    bytes: 1234,
    details: { channel: { stamp: { channel: 'diode-a', sequence: 4 }, findings: [{ code: 'CHANNEL_GAP' }] } },
    filesDigest: null,
    prevHash: 'cd'.repeat(32),
    hash: 'ef'.repeat(32),
    ...overrides,
  };
}

interface EcsDoc {
  '@timestamp': string;
  event: { type: string[]; sequence: number };
  host: { name: string };
  user: { name: string };
  file: { name: string };
  labels: Record<string, string>;
  airlock: { bundle: Record<string, unknown>; channel: unknown; prev_hash: string; details: { note: string } };
}

const ECS_CATEGORIES = new Set([
  'api',
  'authentication',
  'configuration',
  'database',
  'driver',
  'email',
  'file',
  'host',
  'iam',
  'intrusion_detection',
  'library',
  'malware',
  'network',
  'package',
  'process',
  'registry',
  'session',
  'threat',
  'vulnerability',
  'web',
]);
const ECS_TYPES = new Set([
  'access',
  'admin',
  'allowed',
  'change',
  'connection',
  'creation',
  'deletion',
  'denied',
  'end',
  'error',
  'group',
  'indicator',
  'info',
  'installation',
  'protocol',
  'start',
  'user',
]);

describe('ECS JSON lines', () => {
  it('maps the event onto ECS fields', () => {
    const line = formatEcsLine(event());
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    const doc = JSON.parse(line) as EcsDoc;
    expect(doc['@timestamp']).toBe('2026-12-03T09:00:00.123Z');
    expect(doc.event).toMatchObject({ kind: 'event', action: 'import', outcome: 'failure', sequence: 7, hash: 'ef'.repeat(32), code: 'CHECKSUM_MISMATCH' });
    expect(doc.event.type).toContain('denied');
    expect(doc.host.name).toBe('high-side-1');
    expect(doc.user.name).toBe('Ann (ann)');
    expect(doc.file.name).toBe('reports');
    expect(doc.labels).toMatchObject({ airlock_seq: '7', airlock_bundle_id: '6f1c2a70-1111-4222-8333-444455556666', airlock_channel: 'diode-a' });
    expect(doc.airlock.bundle).toMatchObject({
      id: '6f1c2a70-1111-4222-8333-444455556666',
      tagmanifest_sha256: 'ab'.repeat(32),
      signers: ['A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'],
    });
    expect(doc.airlock.channel).toEqual({ name: 'diode-a', sequence: 4, findings: ['CHANNEL_GAP'] });
    expect(doc.airlock.prev_hash).toBe('cd'.repeat(32));
  });

  it.each([
    'export',
    'verify',
    'import',
    'key-trust',
    'settings-change',
    'quarantine-release',
    'quarantine-purge',
    'feed-import',
    'heartbeat',
    'channel-alarm',
    'watch-start',
    'watch-stop',
    'media-write',
    'export-approve',
  ])('uses only ECS-allowed categories and types for %s', (type) => {
    const doc = JSON.parse(formatEcsLine(event({ type }))) as { event: { category: string[]; type: string[]; kind: string } };
    for (const category of doc.event.category) expect(ECS_CATEGORIES.has(category), category).toBe(true);
    for (const t of doc.event.type) expect(ECS_TYPES.has(t), t).toBe(true);
    expect(['event', 'alert']).toContain(doc.event.kind);
  });

  it('keeps hostile names exact but never lets a raw line break or display control into the line', () => {
    const name = 'a\nb\r\u0000"}\u2028\u2029\u202e\u0085\u007f\ud800 {"event":{"sequence":1}}';
    const line = formatEcsLine(event({ bundleName: name, operator: name, details: { note: name } }));
    expect(unsafeCharIn(line.slice(0, -1))).toBeNull();
    const doc = JSON.parse(line) as EcsDoc;
    expect(doc.file.name).toBe(name);
    expect(doc.user.name).toBe(name);
    expect(doc.airlock.details.note).toBe(name);
    expect(doc.event.sequence).toBe(7);
  });

  it('syslog-record-injection in JSON lines: 2,000 seeded hostile values stay one line with nothing unsafe raw, and parse back exactly', () => {
    for (let seed = 8110; seed < 8110 + 2000; seed += 1) {
      const name = hostileText(seed);
      const line = formatEcsLine(event({ bundleName: name, operator: hostileText(seed + 1), details: { note: hostileText(seed + 2) } }));
      expect(line.indexOf('\n'), `seed ${seed}`).toBe(line.length - 1);
      expect(UNSAFE_IN_VALUE.test(line.slice(0, -1)), `seed ${seed}: ${line}`).toBe(false);
      const doc = JSON.parse(line) as EcsDoc;
      expect(doc.file.name, `seed ${seed}`).toBe(name);
    }
  });
});
