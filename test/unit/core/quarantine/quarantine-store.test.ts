/**
 * The quarantine store (core/quarantine/): an entry appears whole or not at all; a keep's temp
 * folder left by a killed process is swept and never listed; ids from outside never name a path
 * outside the quarantine; a full disk (before or during the copy) is NO_SPACE with nothing left.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../../../shared/results.js';
import { keepBundle } from '../../../../electron/core/quarantine/keep-bundle.js';
import { assertQuarantineId, isQuarantineId, newQuarantineId } from '../../../../electron/core/quarantine/quarantine-id.js';
import { QuarantineStore } from '../../../../electron/core/quarantine/quarantine-store.js';
import { currentStamp } from '../../../../electron/core/fs/process-owner.js';
import { AirlockError } from '../../../../electron/core/errors.js';

let dir: string;
let bundle: string;

function report(): VerifyResult {
  return {
    ok: false,
    bundle: {
      name: 'b',
      path: bundle,
      uuid: null,
      station: null,
      operator: null,
      sequence: null,
      created: null,
      files: 1,
      bytes: 5,
      tagmanifestSha256: 'ab'.repeat(32),
    },
    signers: [],
    problems: [
      { code: 'MALWARE_FOUND', path: 'data/x.exe', message: 'Test.Marker FOUND' },
      { code: 'TYPE_MISMATCH', path: 'data/y.pdf', message: 'an executable named .pdf' },
      { code: 'MALWARE_FOUND', path: 'data/z.exe', message: 'Test.Marker FOUND' },
    ],
    files: { total: 0, ok: 0, failed: 0, notChecked: 0, listed: [], omitted: 0 } as unknown as VerifyResult['files'],
    policy: {} as VerifyResult['policy'],
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-qstore-'));
  bundle = join(dir, 'b.airlock.tar');
  await writeFile(bundle, Buffer.alloc(64 * 1024, 7));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function freshStore(): Promise<QuarantineStore> {
  return new QuarantineStore(await mkdtemp(join(dir, 'q-')));
}

describe('quarantine ids', () => {
  it('are sortable time plus random, and only that shape is accepted', () => {
    const id = newQuarantineId(new Date('2026-12-03T06:45:12.345Z'));
    expect(id).toMatch(/^20261203T064512Z-[0-9a-f]{8}$/u);
    expect(isQuarantineId(id)).toBe(true);
    for (const hostile of ['../x', '..', '.', '/etc', `${id}/..`, `../${id}`, `${id}\0`, ` ${id}`, `.${id}.al-x.partial`, '', id.toUpperCase(), `${id}.purge`])
      expect(() => assertQuarantineId(hostile), hostile).toThrow(expect.objectContaining({ code: 'QUARANTINE_NOT_FOUND' }));
  });
});

describe('keeping a bundle', () => {
  it('copies the bundle (the original untouched) with report.json and entry.json, listed as held', async () => {
    const store = await freshStore();
    const before = await stat(bundle);
    const kept = await keepBundle(store, { bundlePath: bundle, files: [{ source: bundle, name: 'b.airlock.tar' }], report: report() });
    expect((await stat(bundle)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(join(kept.path, 'bundle', 'b.airlock.tar'))).toEqual(await readFile(bundle));
    expect(kept.entry).toMatchObject({
      status: 'held',
      bytes: 64 * 1024,
      codes: ['MALWARE_FOUND', 'TYPE_MISMATCH'],
      bundleName: 'b.airlock.tar',
      releases: [],
    });
    expect(await store.list()).toEqual([kept.entry]);
    expect(await store.read(kept.id)).toEqual(kept.entry);
    expect((await store.readReport(kept.id)).problems).toHaveLength(3);
    expect(await store.keptBundlePath(kept.id)).toBe(join(kept.path, 'bundle', 'b.airlock.tar'));
    expect((await readdir(store.root)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a hostile id never reaches the file system: show and read say QUARANTINE_NOT_FOUND', async () => {
    const store = await freshStore();
    await mkdir(join(store.root, '..', 'outside'), { recursive: true });
    await writeFile(join(store.root, '..', 'outside', 'entry.json'), '{}');
    for (const id of ['../outside', '/etc', '..']) await expect(store.read(id)).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
    await expect(store.read(newQuarantineId())).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
  });

  it('a folder without a readable entry.json is not an entry (a half-built one, an edited one)', async () => {
    const store = await freshStore();
    const id = newQuarantineId();
    await mkdir(join(store.root, id, 'bundle'), { recursive: true });
    expect(await store.list()).toEqual([]);
    await writeFile(join(store.root, id, 'entry.json'), '{"id":"x"');
    expect(await store.list()).toEqual([]);
    await expect(store.read(id)).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
  });

  it('a temp folder a dead process left is swept and never listed; one whose owner may be alive is left alone', async () => {
    const store = await freshStore();
    const me = currentStamp();
    const id = newQuarantineId();
    // pid 2^22+1 is beyond Linux's pid_max: provably no such process.
    const dead = `.${id}.al-${me.host}-${me.boot ?? 'x'}-4194305-${me.start ?? 'x'}-0-0badf00d.partial`;
    const alive = `.${newQuarantineId()}.al-${me.host}-${me.boot ?? 'x'}-1-x-0-0badf00d.partial`;
    for (const name of [dead, alive]) {
      await mkdir(join(store.root, name, 'bundle'), { recursive: true });
      await writeFile(join(store.root, name, 'entry.json'), JSON.stringify({ id }));
    }
    expect(await store.list()).toEqual([]);
    const swept = await store.sweep();
    expect(swept.removed).toEqual([join(store.root, dead)]);
    expect((await readdir(store.root)).sort()).toEqual([alive]);
  });

  it('NO_SPACE before a byte is written when the quarantine has no room: nothing is left behind', async () => {
    const store = await freshStore();
    const error = await keepBundle(
      store,
      { bundlePath: bundle, files: [{ source: bundle, name: 'b.airlock.tar' }], report: report() },
      { freeBytes: async () => 1000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('NO_SPACE');
    expect(await readdir(store.root)).toEqual([]);
  });

  it('a file missing from the start is a coded error, nothing kept', async () => {
    const store = await freshStore();
    const error = await keepBundle(store, {
      bundlePath: bundle,
      files: [
        { source: bundle, name: 'b.airlock.tar' },
        { source: join(dir, 'never.airlock-index.json'), name: 'b.airlock-index.json' },
      ],
      report: report(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(await readdir(store.root).catch(() => [])).toEqual([]);
  });

  it('a file that vanishes once the copy has begun (media pulled) fails the keep and removes the half-built entry', async () => {
    const store = await freshStore();
    const second = join(dir, 'vanishing.airlock-index.json');
    await writeFile(second, '{}');
    const error = await keepBundle(
      store,
      {
        bundlePath: bundle,
        files: [
          { source: bundle, name: 'b.airlock.tar' },
          { source: second, name: 'b.airlock-index.json' },
        ],
        report: report(),
      },
      // Runs after the sizes were read, before the first byte is copied.
      {
        freeBytes: async () => {
          await rm(second);
          return Number.MAX_SAFE_INTEGER;
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect(await readdir(store.root)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });
});
