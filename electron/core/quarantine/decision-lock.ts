/**
 * One decision at a time per quarantined bundle: `deciding.json` in the entry's folder, created
 * exclusively (a link that fails if the name is taken) and naming its process. A release
 * decision reads approvals.json, checks it with the new decision and writes it back; two
 * operators doing that at once would each see no approval and one decision would be lost (two
 * "first" approvals of a two-person release). With the lock, one records its decision and the
 * other is refused with QUARANTINE_BUSY, nothing recorded for it. A lock whose process is
 * provably dead (kill -9) is taken over; one whose process may be alive is never.
 */
import { AirlockError } from '../errors.js';
import { currentStamp, ownerState, parseStamp } from '../fs/process-owner.js';
import type { QuarantineStore } from './quarantine-store.js';

export const DECIDING_FILE = 'deciding.json';

async function tryLock(store: QuarantineStore, id: string): Promise<boolean> {
  try {
    await store.createJson(id, DECIDING_FILE, { owner: currentStamp(), at: new Date().toISOString() });
    return true;
  } catch (error) {
    if (error instanceof AirlockError && error.code === 'OUTPUT_EXISTS') return false;
    throw error;
  }
}

/** Whether the lock there now belongs to a process that is provably gone. */
async function lockIsStale(store: QuarantineStore, id: string): Promise<boolean> {
  const json = (await store.readJson(id, DECIDING_FILE).catch(() => null)) as { owner?: unknown } | null;
  if (json === null) return true;
  const owner = parseStamp(json.owner);
  return owner !== null && ownerState(owner) === 'dead';
}

/** Run `decide` holding the entry's decision lock; QUARANTINE_BUSY when another live process holds it. */
export async function withDecisionLock<T>(store: QuarantineStore, id: string, decide: () => Promise<T>): Promise<T> {
  let locked = await tryLock(store, id);
  if (!locked && (await lockIsStale(store, id))) {
    await store.removeFile(id, DECIDING_FILE);
    locked = await tryLock(store, id);
  }
  if (!locked)
    throw new AirlockError('QUARANTINE_BUSY', `Another operator is deciding about ${id} right now; look at it again (quarantine show), then decide.`);
  try {
    return await decide();
  } finally {
    await store.removeFile(id, DECIDING_FILE).catch(() => undefined);
  }
}
