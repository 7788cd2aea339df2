// Child process for the concurrency test: appends `count` events tagged with `worker`, as the
// CLI and the desktop app would when they share one home.
import { appendAuditEvent } from '../../../electron/core/audit/audit-store.js';
import { openStationDb } from '../../../electron/core/db/station-db.js';

const [file, worker, count] = process.argv.slice(2);
const db = openStationDb(file ?? '');
// Start together: say ready, then wait for the parent's go, so the two writers really overlap
// however long each took to start.
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const startedAt = Date.now();
for (let i = 0; i < Number(count); i += 1) {
  appendAuditEvent(
    db,
    { station: 'st', operator: `worker-${worker}`, organization: null },
    {
      type: 'verify',
      outcome: 'ok',
      details: { worker, i },
      fileRows: [{ path: `data/${worker}/${i}`, size: i, sha256: 'd'.repeat(64) }],
    },
  );
}
db.close();
process.stdout.write(`${JSON.stringify({ startedAt, finishedAt: Date.now() })}\n`);
