/**
 * runAudited() is the one place an operation's audit event is written: success, rejection,
 * failure with its code, cancellation. Each case here fails if the helper forgets its event or
 * records it twice.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { AirlockError } from '../../../../electron/core/errors.js';
import { runAudited } from '../../../../electron/core/station/audited-operation.js';
import { openStationContext, type StationContext } from '../../../../electron/core/station/context.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let context: StationContext;

beforeEach(async () => {
  context = await openStationContext({ home: await tempDir('airlock-audited-'), operator: 'Ann' });
});
afterEach(() => {
  context.close();
});

const events = () => listAuditEvents(context.database(), {}).sort((a, b) => a.seq - b.seq);

describe('runAudited', () => {
  it('records the success event the operation builds from its result, and returns it', async () => {
    const done = await runAudited(context, {
      type: 'key-trust',
      failureDetails: { file: 'k.asc' },
      run: async () => ({ fingerprint: 'F'.repeat(40) }),
      succeeded: (key) => ({ outcome: 'ok', signers: [key.fingerprint], details: { file: 'k.asc' } }),
    });
    expect(done.value).toEqual({ fingerprint: 'F'.repeat(40) });
    const all = events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      seq: done.event.seq,
      type: 'key-trust',
      outcome: 'ok',
      signers: ['F'.repeat(40)],
      errorCode: null,
      details: { file: 'k.asc' },
    });
  });

  it('records a failure with its code and message, and throws that failure', async () => {
    const thrown = await runAudited(context, {
      type: 'verify',
      failureDetails: { bundlePath: '/x.airlock' },
      run: async () => {
        throw new AirlockError('NOT_A_BUNDLE', 'x.airlock is a folder.');
      },
      succeeded: () => ({ outcome: 'ok' }),
    }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(AirlockError);
    expect(thrown).toMatchObject({ code: 'NOT_A_BUNDLE' });
    const all = events();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      type: 'verify',
      outcome: 'failed',
      errorCode: 'NOT_A_BUNDLE',
      details: { bundlePath: '/x.airlock', message: (thrown as AirlockError).message },
    });
  });

  it('maps a plain error to its code before recording it (ENOENT -> NOT_FOUND)', async () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT', path: '/gone' });
    await expect(
      runAudited(context, { type: 'key-revoke', failureDetails: { file: '/gone' }, run: () => Promise.reject(enoent), succeeded: () => ({ outcome: 'ok' }) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(events().map((e) => [e.type, e.outcome, e.errorCode])).toEqual([['key-revoke', 'failed', 'NOT_FOUND']]);
  });

  it('records a cancellation as cancelled (CANCELLED), not as failed', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(
      runAudited(context, {
        type: 'export',
        failureDetails: { outDir: '/out' },
        run: async () => {
          abort.signal.throwIfAborted();
        },
        succeeded: () => ({ outcome: 'ok' }),
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(events().map((e) => [e.type, e.outcome, e.errorCode])).toEqual([['export', 'cancelled', 'CANCELLED']]);
  });

  it("records nothing when `succeeded` says null, or for a failure declared 'not recorded' (the original error passes through)", async () => {
    const none = await runAudited(context, { type: 'settings-change', failureDetails: {}, run: async () => [], succeeded: () => null });
    expect(none.event).toBeNull();
    const original = new Error('gpg said no');
    await expect(
      runAudited(context, { type: 'key-generate', failureDetails: 'not recorded', run: () => Promise.reject(original), succeeded: () => ({ outcome: 'ok' }) }),
    ).rejects.toBe(original);
    expect(events()).toEqual([]);
  });

  it('commits an onFailure step in the same transaction as the failure event, after the other events of the operation', async () => {
    const seen: boolean[] = [];
    await expect(
      runAudited(context, {
        type: 'export',
        failureDetails: { media: ['/m'] },
        run: async (during) => {
          during.onFailure(() => seen.push(context.database().inTransaction));
          during.also({ type: 'media-write', outcome: 'failed', errorCode: 'MEDIA_REMOVED' });
          throw new AirlockError('MEDIA_REMOVED');
        },
        succeeded: () => ({ outcome: 'ok' }),
      }),
    ).rejects.toMatchObject({ code: 'MEDIA_REMOVED' });
    expect(seen).toEqual([true]);
    expect(events().map((e) => [e.type, e.outcome])).toEqual([
      ['media-write', 'failed'],
      ['export', 'failed'],
    ]);
  });

  it('a failing onFailure step rolls the failure event back with it (both or neither)', async () => {
    await expect(
      runAudited(context, {
        type: 'export',
        failureDetails: {},
        run: async (during) => {
          during.onFailure(() => {
            throw new Error('disk gone');
          });
          throw new AirlockError('NO_SPACE');
        },
        succeeded: () => ({ outcome: 'ok' }),
      }),
    ).rejects.toThrow('disk gone');
    expect(events()).toEqual([]);
  });

  it('commits `alongside` in the same transaction as the success event; success events of other types go first', async () => {
    const seen: boolean[] = [];
    await runAudited(context, {
      type: 'export',
      failureDetails: {},
      run: async () => 'written',
      succeeded: (_value, also) => {
        also({ type: 'media-readback', outcome: 'ok' });
        return { outcome: 'ok', alongside: () => seen.push(context.database().inTransaction) };
      },
    });
    expect(seen).toEqual([true]);
    expect(events().map((e) => [e.type, e.outcome])).toEqual([
      ['media-readback', 'ok'],
      ['export', 'ok'],
    ]);
  });

  it('an outcome the work recorded itself (inside its own transaction) is not recorded twice', async () => {
    const succeeded = vi.fn(() => ({ outcome: 'ok' as const }));
    const done = await runAudited(context, {
      type: 'import',
      failureDetails: {},
      run: async (during) => {
        during.outcomeNow({ outcome: 'rejected', problemCodes: ['SIGNATURE_INVALID'] });
        return 'rejected';
      },
      succeeded,
    });
    expect(succeeded).not.toHaveBeenCalled();
    expect(events().map((e) => [e.seq, e.type, e.outcome])).toEqual([[done.event.seq, 'import', 'rejected']]);
  });

  it('a failure the work recorded itself is the one thrown, and is not recorded twice', async () => {
    let recorded: AirlockError | null = null;
    await expect(
      runAudited(context, {
        type: 'import',
        failureDetails: { bundlePath: '/b.airlock' },
        run: async (during) => {
          recorded = during.failureNow(new AirlockError('NO_SPACE'));
          throw new Error('the claim transaction unwound');
        },
        succeeded: () => ({ outcome: 'ok' }),
      }),
    ).rejects.toSatisfy((error) => error === recorded);
    expect(events().map((e) => [e.type, e.outcome, e.errorCode])).toEqual([['import', 'failed', 'NO_SPACE']]);
  });
});

describe('the audit log is appended only through runAudited', () => {
  it('no module under electron/core/station/ but audited-operation.ts, nor the facade, calls appendAuditEvent', async () => {
    const dir = join(import.meta.dirname, '../../../../electron/core/station');
    const offenders: string[] = [];
    for (const name of await readdir(dir)) {
      if (name === 'audited-operation.ts' || !name.endsWith('.ts')) continue;
      if (/\bappendAuditEvent\b/u.test(await readFile(join(dir, name), 'utf8'))) offenders.push(name);
    }
    if (/\bappendAuditEvent\b/u.test(await readFile(join(dir, '../station.ts'), 'utf8'))) offenders.push('station.ts');
    expect(offenders).toEqual([]);
  });
});
