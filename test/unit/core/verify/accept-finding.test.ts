/**
 * A quarantine release accepts the findings recorded when the bundle was kept, and only those
 * (verify-options.ts acceptFinding, quarantine/finding-match.ts): an accepted finding is reported
 * as overridden and neither rejects the bundle nor stops import's writing; a finding about another
 * file or member, or any other code (a checksum), still rejects.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../../../shared/problems.js';
import { checkBundle, type PayloadInspector, type PayloadSink } from '../../../../electron/core/verify/check-bundle.js';
import { recordedFindingMatcher } from '../../../../electron/core/quarantine/finding-match.js';
import { makeSigner, signedBag, tarOf, type TestSigner } from '../../../helpers/hostile-tar.js';

let dir: string;
let signer: TestSigner;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-accept-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.exe', content: 'MZ pretend executable\n' },
  { path: 'data/c.zip', content: 'PK pretend archive\n' },
  { path: 'data/d.txt', content: 'delta\n' },
];

/** Finds "malware" in files starting MZ, and an encrypted member inside files starting PK. */
const fakeScanner: PayloadInspector = {
  name: 'fake-scanner',
  inspect(file) {
    const chunks: Buffer[] = [];
    return {
      update: (chunk) => void chunks.push(Buffer.from(chunk)),
      end: (): Problem[] => {
        const head = Buffer.concat(chunks).subarray(0, 2).toString();
        if (head === 'MZ') return [{ code: 'MALWARE_FOUND', path: file.path, message: 'Test.Marker FOUND' }];
        if (head === 'PK') return [{ code: 'ARCHIVE_ENCRYPTED', path: file.path, members: ['inner.zip', 'secret.txt'], message: 'encrypted' }];
        return [];
      },
    };
  },
};

function recordingSink(): { sink: PayloadSink; written: string[] } {
  const written: string[] = [];
  return {
    written,
    sink: {
      openFile: async (path) => ({
        write: async () => undefined,
        close: async (verified) => {
          if (verified) written.push(path);
        },
      }),
    },
  };
}

async function verify(accept: ((p: Problem) => boolean) | undefined, edit?: (bytes: Buffer) => Buffer) {
  counter += 1;
  const bag = await signedBag(signer, files);
  let tar = tarOf([...bag.tagEntries, ...bag.payloadEntries]);
  if (edit) tar = edit(tar);
  const path = join(dir, `b${counter}.airlock.tar`);
  await writeFile(path, tar);
  const { sink, written } = recordingSink();
  const result = await checkBundle({
    bundlePath: path,
    trusted: [signer.trusted],
    inspectors: [fakeScanner],
    acceptFinding: accept,
    failFast: true,
    payloadSink: sink,
  });
  return { result, written };
}

const recorded: Problem[] = [
  { code: 'MALWARE_FOUND', path: 'data/dir/b.exe', message: 'Test.Marker FOUND (at quarantine)' },
  { code: 'ARCHIVE_ENCRYPTED', path: 'data/c.zip', members: ['inner.zip', 'secret.txt'], message: 'encrypted' },
];

describe('accepting recorded findings (quarantine release)', () => {
  it('without a predicate the findings reject and import stops writing after the first', async () => {
    const { result, written } = await verify(undefined);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['MALWARE_FOUND', 'ARCHIVE_ENCRYPTED']);
    expect(result.overridden).toBeUndefined();
    expect(written).not.toContain('d.txt');
  });

  it('the recorded findings are overridden: the bundle passes and every file is written', async () => {
    const { result, written } = await verify(recordedFindingMatcher(recorded));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.overridden?.map((p) => [p.code, p.path])).toEqual([
      ['MALWARE_FOUND', 'data/dir/b.exe'],
      ['ARCHIVE_ENCRYPTED', 'data/c.zip'],
    ]);
    expect(written).toEqual(['a.txt', 'dir/b.exe', 'c.zip', 'd.txt']);
  });

  it('a finding not recorded (another member of the same archive) still rejects', async () => {
    const onlyOther = [recorded[0] as Problem, { ...(recorded[1] as Problem), members: ['inner.zip', 'other.txt'] }];
    const { result } = await verify(recordedFindingMatcher(onlyOther));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['ARCHIVE_ENCRYPTED', 'data/c.zip']]);
  });

  it('a finding recorded under another code for the same file still rejects', async () => {
    const { result } = await verify(recordedFindingMatcher([{ code: 'SCAN_FAILED', path: 'data/dir/b.exe', message: '' }, recorded[1] as Problem]));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toEqual(['MALWARE_FOUND']);
  });

  it('integrity is never overridden: a changed byte is CHECKSUM_MISMATCH even when every content finding is accepted', async () => {
    const { result } = await verify(
      () => true,
      (tar) => {
        const at = tar.indexOf('delta\n');
        const copy = Buffer.from(tar);
        copy[at] = 'D'.charCodeAt(0);
        return copy;
      },
    );
    // Even a predicate that accepts everything only ever sees the inspectors' findings.
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['CHECKSUM_MISMATCH', 'data/d.txt']]);
    expect(result.overridden?.map((p) => p.code)).toEqual(['MALWARE_FOUND', 'ARCHIVE_ENCRYPTED']);
    const matcher = recordedFindingMatcher([{ code: 'CHECKSUM_MISMATCH', path: 'data/d.txt', message: '' }]);
    expect(matcher({ code: 'CHECKSUM_MISMATCH', path: 'data/d.txt', message: 'x' })).toBe(false);
  });

  it('the matcher never accepts a finding without a path (a summary line) nor any non-content code', () => {
    const matcher = recordedFindingMatcher([{ code: 'MALWARE_FOUND', message: '3 more entries have this problem' }, ...recorded]);
    expect(matcher({ code: 'MALWARE_FOUND', message: '3 more entries have this problem' })).toBe(false);
    for (const code of ['SIGNATURE_INVALID', 'FILE_UNLISTED', 'SCANNER_UNAVAILABLE', 'SCAN_DB_STALE'] as const)
      expect(matcher({ code, path: 'data/dir/b.exe', message: '' })).toBe(false);
    expect(matcher({ code: 'MALWARE_FOUND', path: 'data/dir/b.exe', message: 'another signature name' })).toBe(true);
  });
});
