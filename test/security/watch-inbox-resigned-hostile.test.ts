/**
 * Re-signed hostile bundles (test/helpers/resigned-cases.ts, signed by a key the station trusts)
 * dropped into a watched inbox with an honest one: `airlock watch` refuses each with the codes
 * verify gives it and moves it out of the inbox, never into the destination; it keeps running
 * and imports the honest bundle, whatever came before it.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { checkBundle } from '../../electron/core/verify/check-bundle.js';
import { makeSigner, type TestSigner } from '../helpers/hostile-tar.js';
import { nameCase, shapeCase, tagCase, type HostileCase } from '../helpers/resigned-cases.js';
import { createStation, type TestStation } from '../helpers/station.js';
import { readStatusFiles, startWatch, stopWatch, waitUntil, type WatchChild } from '../helpers/watch-process.js';

let root: string;
let station: TestStation;
let signer: TestSigner;
let running: WatchChild | null = null;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-hostile-'));
  await mkdir(join(root, 'station'));
  station = await createStation(join(root, 'station'), 'Watch Hostile');
  signer = await makeSigner('Sender');
  const keyFile = join(root, 'sender.asc');
  await writeFile(keyFile, signer.publicKey.armor());
  const trusted = await station.run(['keys', 'trust', keyFile, '--fingerprint', signer.trusted.fingerprint, '--label', 'sender']);
  expect(trusted.code, trusted.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  if (running) await stopWatch(running, 'SIGKILL');
  await rm(root, { recursive: true, force: true });
});

/** The cases: hostile ones from each class, and the honest one last (index 7, "bag-info.txt with CRLF line ends"). */
async function cases(): Promise<Array<{ name: string; c: HostileCase }>> {
  const ctx = { signer, top: 'bag' };
  const picked: HostileCase[] = [
    await shapeCase(ctx, 0), // an extra, unlisted entry
    await shapeCase(ctx, 2), // a duplicate entry with other bytes
    await shapeCase(ctx, 3), // an entry after the end blocks
    await shapeCase(ctx, 8), // a negative base-256 size
    await tagCase(ctx, 0), // Payload-Oxum twice
    await tagCase(ctx, 26), // the tag manifest listing a traversal
  ];
  for (let seed = 1; picked.length < 7; seed += 1) {
    const c = await nameCase(ctx, seed);
    if (c.hostile && c.what.startsWith('NUL')) picked.push(c);
  }
  picked.push(await tagCase(ctx, 7));
  return picked.map((c, i) => ({ name: `case${i}`, c }));
}

describe('airlock watch with re-signed hostile bundles', () => {
  it('refuses each with its codes, moves it out of the inbox, keeps running and imports the honest one', async () => {
    const inbox = join(root, 'inbox');
    const dest = join(root, 'dest');
    await mkdir(inbox);
    await mkdir(dest);
    const all = await cases();
    const honest = all.filter(({ c }) => !c.hostile);
    expect(honest.map(({ c }) => c.what)).toEqual(['bag-info.txt with CRLF line ends']);
    const expected = new Map<string, string[]>();
    for (const { name, c } of all) {
      const path = join(root, `${name}.airlock.tar`);
      await writeFile(path, c.bytes);
      const verified = await checkBundle({ bundlePath: path, trusted: [signer.trusted], limits: DEFAULT_LIMITS, reportNames: DEFAULT_POLICY.names });
      expect(verified.ok, c.what).toBe(!c.hostile);
      expected.set(`${name}.airlock.tar`, [...new Set(verified.problems.map((p) => p.code))].sort());
      await writeFile(join(inbox, `${name}.airlock.tar`), c.bytes);
      await writeFile(join(inbox, `${name}.airlock.tar.done`), '');
    }
    running = startWatch(station.home, inbox, dest);
    await waitUntil(
      'every bundle decided',
      async () => {
        const status = (await readStatusFiles(station.home))[0];
        return status !== undefined && status.recent.length >= all.length;
      },
      240_000,
    );
    const status = (await readStatusFiles(station.home))[0]!;
    const byName = new Map(status.recent.map((r) => [r.name, r]));
    for (const { name, c } of all) {
      const record = byName.get(name);
      expect(record, c.what).toBeDefined();
      if (c.hostile) {
        expect({ what: c.what, outcome: ['quarantined', 'rejected'].includes(record!.outcome), codes: [...record!.codes].sort() }).toEqual({
          what: c.what,
          outcome: true,
          codes: expected.get(`${name}.airlock.tar`),
        });
        expect(record!.movedTo, c.what).not.toBeNull();
      } else expect(record!.outcome, c.what).toBe('accepted');
    }
    // Still running after every refusal; nothing of a hostile bundle in the destination; the inbox emptied.
    expect(running.child.exitCode).toBeNull();
    // (The honest import's receipts lie beside it.)
    const landed = (await readdir(dest)).filter((n) => !n.startsWith('.'));
    expect(landed).toContain('bag');
    expect(landed.filter((n) => n !== 'bag' && !n.startsWith('bag.import-receipt.'))).toEqual([]);
    expect((await readdir(inbox)).filter((n) => n.endsWith('.tar'))).toEqual([]);
    await stopWatch(running);
    running = null;
  }, 300_000);
});
