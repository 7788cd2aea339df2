/**
 * A station home for forwarding tests: config.json with a `forward` section, the station context
 * (database and paths, what startForwarder takes), and a way to append audit events as any
 * operation would, hostile text included.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAuditEvent } from '../../electron/core/audit/audit-store.js';
import type { AuditEvent, AuditEventInput } from '../../electron/core/audit/audit-event.js';
import type { ForwardConfig } from '../../electron/core/home/forward-config.js';
import { openStationContext, type StationContext } from '../../electron/core/station/context.js';

export interface ForwardHome {
  home: string;
  context: StationContext;
  /** Append one event (an import of bundle `n` by default). */
  append(input?: Partial<AuditEventInput>): AuditEvent;
  /** Append `count` events; returns the last. */
  appendMany(count: number, input?: (i: number) => Partial<AuditEventInput>): AuditEvent | null;
  close(): void;
}

export const TEST_FINGERPRINT = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';

export function importEvent(n: number): AuditEventInput {
  return {
    type: 'import',
    outcome: 'ok',
    bundleUuid: `0000000${n % 10}-1111-4222-8333-${String(n).padStart(12, '0')}`,
    bundleName: `bundle-${n}`,
    tagmanifestSha256: 'ab'.repeat(32),
    signers: [TEST_FINGERPRINT],
    files: n,
    bytes: n * 100,
    details: { dest: '/srv/in' },
  };
}

export async function makeForwardHome(home: string, forward: ForwardConfig, extra: Record<string, unknown> = {}): Promise<ForwardHome> {
  await mkdir(home, { recursive: true });
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'station-1', operatorName: 'Test Operator', ...extra, forward }, null, 2));
  const context = await openStationContext({ home });
  let counter = 0;
  const forwardHome: ForwardHome = {
    home,
    context,
    append(input = {}) {
      counter += 1;
      return appendAuditEvent(context.database(), context.identity, { ...importEvent(counter), ...input });
    },
    appendMany(count, input) {
      let last: AuditEvent | null = null;
      const db = context.database();
      // IMMEDIATE, as appendAuditEvent itself: a deferred transaction that reads first cannot take the
      // write lock after another process (the forwarder moving its cursor) wrote in between.
      db.transaction(() => {
        for (let i = 0; i < count; i += 1) last = forwardHome.append(input?.(i));
      }).immediate();
      return last;
    },
    close: () => context.close(),
  };
  return forwardHome;
}
