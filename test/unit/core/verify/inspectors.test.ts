/**
 * The verify pipeline's plug-in point for checks of what the payload holds (inspectors.ts):
 * an inspector sees every listed file's bytes in the same single read as the checksum, its
 * problems reject the bundle in archive order, and its bundle-level rule runs only once the
 * archive was read whole; with no inspector, nothing changes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problem, type Problem } from '../../../../shared/problems.js';
import { checkBundle, type PayloadInspector } from '../../../../electron/core/verify/check-bundle.js';
import { makeSigner, signedBag, tarOf, type RawEntry, type TestSigner } from '../../../helpers/hostile-tar.js';

let dir: string;
let signer: TestSigner;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-inspectors-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.exe', content: 'MZ pretend executable\n' },
  { path: 'data/c.txt', content: 'charlie\n' },
];

async function verify(entries: Array<RawEntry | Buffer>, inspectors?: readonly PayloadInspector[]) {
  counter += 1;
  const path = join(dir, `b${counter}.airlock.tar`);
  await writeFile(path, tarOf(entries));
  return checkBundle({ bundlePath: path, trusted: [signer.trusted], inspectors });
}

/** Records what it was shown; refuses files whose first bytes are "MZ", and the bundle at the end when told to. */
function recordingInspector(options: { refuseAtFinish?: boolean } = {}) {
  const seen: Array<{ path: string; size: number; bytes: string; verified: boolean }> = [];
  let finished = 0;
  const inspector: PayloadInspector = {
    name: 'recording',
    inspect(file) {
      const chunks: Buffer[] = [];
      return {
        update(chunk) {
          chunks.push(Buffer.from(chunk));
        },
        end(verified) {
          const bytes = Buffer.concat(chunks);
          seen.push({ path: file.path, size: file.size, bytes: bytes.toString(), verified });
          return bytes.subarray(0, 2).toString() === 'MZ' ? [problem('POLICY_DENIED', 'an executable', file.path)] : [];
        },
      };
    },
    finish(): Problem[] {
      finished += 1;
      return options.refuseAtFinish ? [problem('POLICY_DENIED', 'the bundle as a whole')] : [];
    },
  };
  return { inspector, seen, finished: () => finished };
}

describe('payload inspectors', () => {
  it('see every listed file once, in archive order, with its bytes and whether they matched the signed checksum', async () => {
    const bag = await signedBag(signer, files);
    const watcher = recordingInspector();
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries], [watcher.inspector]);
    expect(watcher.seen).toEqual([
      { path: 'data/a.txt', size: 6, bytes: 'alpha\n', verified: true },
      { path: 'data/dir/b.exe', size: 22, bytes: 'MZ pretend executable\n', verified: true },
      { path: 'data/c.txt', size: 8, bytes: 'charlie\n', verified: true },
    ]);
    expect(watcher.finished()).toBe(1);
    // Its problem rejects the bundle, for the file it concerns; nothing is handed on for import.
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'POLICY_DENIED', path: 'data/dir/b.exe' })]);
    expect(result.payload.length).toBe(0);
  });

  it('are told when a file failed its checksum, and their problems follow the checksum problem', async () => {
    const bag = await signedBag(signer, files);
    const payload = bag.payloadEntries.map((e) => (e.path.endsWith('b.exe') ? { ...e, body: 'MZ pretend executablE\n' } : e));
    const watcher = recordingInspector();
    const result = await verify([...bag.tagEntries, ...payload], [watcher.inspector]);
    expect(watcher.seen.find((s) => s.path === 'data/dir/b.exe')).toMatchObject({ verified: false });
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([
      ['CHECKSUM_MISMATCH', 'data/dir/b.exe'],
      ['POLICY_DENIED', 'data/dir/b.exe'],
    ]);
  });

  it('never see an unlisted file, and their bundle-level rule runs after the completeness checks', async () => {
    const bag = await signedBag(
      signer,
      files.filter((f) => !f.path.endsWith('.exe')),
    );
    const watcher = recordingInspector({ refuseAtFinish: true });
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries, { path: 'bag/data/extra.txt', body: 'not signed\n' }], [watcher.inspector]);
    expect(watcher.seen.map((s) => s.path)).toEqual(['data/a.txt', 'data/c.txt']);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([
      ['FILE_UNLISTED', 'data/extra.txt'],
      ['POLICY_DENIED', undefined],
    ]);
  });

  it('are not reached when verification stops before the payload (no signature)', async () => {
    const bag = await signedBag(signer, files);
    const watcher = recordingInspector({ refuseAtFinish: true });
    const result = await verify([...bag.tagEntries.filter((e) => !e.path.endsWith('.asc')), ...bag.payloadEntries], [watcher.inspector]);
    expect(result.problems.map((p) => p.code)).toEqual(['SIGNATURE_MISSING']);
    expect(watcher.seen).toEqual([]);
    expect(watcher.finished()).toBe(0);
  });

  it('with none given, an intact bundle verifies as before', async () => {
    const bag = await signedBag(signer, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries], []);
    expect(result.ok).toBe(true);
    expect(result.payload.length).toBe(3);
  });
});
