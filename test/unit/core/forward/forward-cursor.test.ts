/**
 * The forwarder's page reads (raw rows turned into events by column position): every field of
 * every event, hostile text and nulls included, must equal what the audit log stored, page by
 * page in seq order, whatever the page size.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../../electron/core/audit/audit-event.js';
import { listAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { eventsAfter } from '../../../../electron/core/forward/forward-cursor.js';
import { makeForwardHome } from '../../../helpers/forward-home.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

describe('eventsAfter', () => {
  it('returns the stored events field for field, in seq order, across pages of any size', async () => {
    const home = await makeForwardHome(await tempDir('airlock-cursor-'), {});
    try {
      const appended: AuditEvent[] = [];
      for (let i = 0; i < 23; i += 1) {
        appended.push(
          home.append(
            i % 3 === 0
              ? {
                  type: 'verify',
                  outcome: 'rejected',
                  bundleUuid: null,
                  bundleName: `evil\n"]\\\u202e${i}`,
                  files: null,
                  bytes: null,
                  problemCodes: ['SIGNATURE_INVALID'],
                  errorCode: 'BUNDLE_REJECTED',
                  signers: [],
                  details: { channel: { stamp: { channel: 'c', sequence: i } } },
                }
              : {},
          ),
        );
      }
      const db = home.context.database();
      const stored = listAuditEvents(db, { limit: 1000 }).sort((a, b) => a.seq - b.seq);
      expect(eventsAfter(db, 0, 1000)).toEqual(stored);
      expect(stored).toEqual(appended);
      for (const pageSize of [1, 4, 7, 23]) {
        const read: AuditEvent[] = [];
        for (let after = 0; ;) {
          const page = eventsAfter(db, after, pageSize);
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(pageSize);
          read.push(...page);
          after = page[page.length - 1]?.seq ?? after;
        }
        expect(read).toEqual(appended);
      }
      expect(eventsAfter(db, appended.length, 10)).toEqual([]);
    } finally {
      home.close();
    }
  });
});
