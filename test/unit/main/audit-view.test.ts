/** The one-line subject the audit view shows for each kind of event, from details that may hold anything. */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../electron/core/index.js';
import { auditEventView } from '../../../electron/main/ipc/audit-view.js';

function event(type: string, details: Record<string, unknown>, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    seq: 1,
    at: '2026-11-28T10:00:00.000Z',
    type,
    outcome: 'ok',
    operator: 'op',
    station: 'st',
    bundleUuid: null,
    bundleName: null,
    tagmanifestSha256: null,
    signers: [],
    problemCodes: [],
    errorCode: null,
    files: null,
    bytes: null,
    details,
    filesDigest: null,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...extra,
  };
}

describe('audit event view', () => {
  it('names what each event was about', () => {
    expect(auditEventView(event('import', { bundlePath: '/usb/b.airlock.tar', destDir: '/in', destination: '/in/b' })).subject).toBe(
      '/usb/b.airlock.tar → /in/b',
    );
    expect(auditEventView(event('import', { bundlePath: '/usb/b.airlock.tar', destDir: '/in' })).subject).toBe('/usb/b.airlock.tar → /in');
    expect(auditEventView(event('export', { bundlePath: '/out/x.airlock.tar', selection: ['/a'] })).subject).toBe('/out/x.airlock.tar');
    expect(auditEventView(event('export', { outDir: '/out', selection: ['/a'], message: 'cancelled' }, { outcome: 'cancelled' }))).toMatchObject({
      subject: '/out',
      message: 'cancelled',
    });
    expect(auditEventView(event('key-trust', { file: '/k.asc', label: 'Lab B', userIds: ['Lab B <b@x>'] })).subject).toBe('Lab B <b@x> [Lab B] /k.asc');
    expect(auditEventView(event('key-generate', { userIds: ['Station 3'], algorithm: 'ed25519' })).subject).toBe('Station 3');
    expect(auditEventView(event('media-readback', { label: 'TRANSFER' })).subject).toBe('TRANSFER');
  });

  it('lists settings changes old -> new, ignoring entries that are not settings', () => {
    const view = auditEventView(
      event('settings-change', {
        changes: [
          { field: 'operatorName', from: null, to: 'Dana' },
          { field: 'maxEntries', from: 10, to: null },
          { field: '__proto__', from: 1, to: 2 },
          'junk',
          { field: 'clockSkewSeconds', from: { nested: true }, to: 60 },
        ],
      }),
    );
    expect(view.changes).toEqual([
      { field: 'operatorName', from: null, to: 'Dana' },
      { field: 'maxEntries', from: 10, to: null },
      { field: 'clockSkewSeconds', from: null, to: 60 },
    ]);
    expect(view.subject).toBe('operatorName: (default) → Dana; maxEntries: 10 → (default); clockSkewSeconds: (default) → 60');
    expect(auditEventView(event('settings-change', { requested: { config: {} }, message: 'bad' }, { outcome: 'failed' }))).toMatchObject({
      subject: 'settings not changed',
      message: 'bad',
      changes: [],
    });
  });

  it('ignores details of the wrong type and clips long subjects, keeping no details', () => {
    expect(auditEventView(event('verify', { bundlePath: 42, message: ['x'] }))).toMatchObject({ subject: null, message: null });
    const long = auditEventView(event('verify', { bundlePath: `/${'x'.repeat(2000)}` }));
    expect(long.subject).toHaveLength(500);
    expect(long.subject?.endsWith('…')).toBe(true);
    expect(long).not.toHaveProperty('details');
  });
});
