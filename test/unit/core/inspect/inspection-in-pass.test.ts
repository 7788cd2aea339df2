/**
 * Content inspection inside the real verify pipeline (check-bundle.ts): the inspector sees each
 * payload file in the one pass, and what needs random access reads exactly the verified bytes
 * back, from the bundle file at the entry's data offset, or, for a bundle streamed without a
 * file (stdin, split parts), from the inspector's own private copy. A file that failed its
 * checksum is never inspected; a finding rejects the bundle; the pass reads the bundle once.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentInspector } from '../../../../electron/core/inspect/content-inspector.js';
import { resolveInspectPolicy } from '../../../../electron/core/policy/inspect-policy.js';
import { checkBundle } from '../../../../electron/core/verify/check-bundle.js';
import { FakeScanner, fakeParts, fakeZip, MARKER, readyStatus } from '../../../helpers/fake-inspection.js';
import { makeSigner, signedBag, tarOf, type TestSigner } from '../../../helpers/hostile-tar.js';

let dir: string;
let signer: TestSigner;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-inspect-pass-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const archive = fakeZip([
  { name: 'a.txt', content: 'alpha' },
  { name: 'n/inner.zip', content: fakeZip([{ name: 'x/marker.txt', content: MARKER }]) },
]);
// Long enough that the archive does not start at a block boundary the test could guess by luck.
const files = [
  { path: 'data/first.txt', content: 'f'.repeat(1234) },
  { path: 'data/sub/bundle.zip', content: archive },
  { path: 'data/last.txt', content: 'last\n' },
];

function contentInspector() {
  const policy = resolveInspectPolicy({ scan: { clamd: 'unix:/fake/clamd.sock' } });
  if (!policy) throw new Error('no policy');
  const scanner = new FakeScanner();
  const { parts, log } = fakeParts();
  return { inspector: new ContentInspector({ policy, scanner, scannerStatus: readyStatus(), parts }), log, scanner };
}

async function bundleFile(content = files): Promise<string> {
  counter += 1;
  const bag = await signedBag(signer, content);
  const path = join(dir, `b${counter}.airlock.tar`);
  await writeFile(path, tarOf([...bag.tagEntries, ...bag.payloadEntries]));
  return path;
}

describe('content inspection in the one payload pass', () => {
  it('verify from a file: the archive is read back at its data offset in the bundle, and the inner marker is named', async () => {
    const path = await bundleFile();
    const { inspector, log } = contentInspector();
    const result = await checkBundle({ bundlePath: path, trusted: [signer.trusted], inspectors: [inspector] });
    expect(log.walked).toEqual([archive]);
    expect(result.ok).toBe(false);
    const inner = result.problems.find((p) => p.members !== undefined);
    expect(inner).toMatchObject({ code: 'MALWARE_FOUND', path: 'data/sub/bundle.zip', members: ['n/inner.zip', 'x/marker.txt'] });
    const summary = inspector.summary();
    expect(summary).toMatchObject({ files: 3, members: 2, complete: true });
  });

  it('verify from a stream (no file to read back): the inspector spools the archive privately and removes its copy', async () => {
    const path = await bundleFile();
    const { inspector, log } = contentInspector();
    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('airlock-inspect-') && !n.startsWith('airlock-inspect-pass-')).length;
    const result = await checkBundle({
      bundlePath: 'stdin',
      source: { size: null, open: () => createReadStream(path) },
      trusted: [signer.trusted],
      inspectors: [inspector],
    });
    expect(log.walked).toEqual([archive]);
    expect(result.problems.some((p) => p.members?.join('/') === 'n/inner.zip/x/marker.txt')).toBe(true);
    const after = (await readdir(tmpdir())).filter((n) => n.startsWith('airlock-inspect-') && !n.startsWith('airlock-inspect-pass-')).length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it('a clean bundle passes, with every file scanned once', async () => {
    const path = await bundleFile([
      { path: 'data/a.txt', content: 'alpha' },
      { path: 'data/z.zip', content: fakeZip([{ name: 'b.txt', content: 'beta' }]) },
    ]);
    const { inspector, scanner } = contentInspector();
    const result = await checkBundle({ bundlePath: path, trusted: [signer.trusted], inspectors: [inspector] });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // Two payload files and one member, each scanned on its own stream.
    expect(scanner.finished).toBe(3);
  });
});
