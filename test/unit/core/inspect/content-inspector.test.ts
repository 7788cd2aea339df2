/**
 * The content inspector (electron/core/inspect/content-inspector.ts) with a fake scanner and fake
 * type/archive parts, so every outcome path is reached on demand: clean, found, scan error (refuse
 * or warn), scanner gone mid-scan, a scanner that throws, bytes that failed their checksum, archive
 * members (with their inner path), walk limits, unreadable and unsupported archives, macros, and
 * the bounded summary.
 */
import { describe, expect, it } from 'vitest';
import { ContentInspector } from '../../../../electron/core/inspect/content-inspector.js';
import { TYPE_SNIFF_BYTES, type ByteSource } from '../../../../electron/core/inspect/contract.js';
import { bufferSource } from '../../../../electron/core/inspect/byte-sources.js';
import { resolveInspectPolicy, type InspectPolicyFile } from '../../../../electron/core/policy/inspect-policy.js';
import { FakeScanner, fakeParts, fakeZip, MARKER, readyStatus, type FakeScannerOptions } from '../../../helpers/fake-inspection.js';

function inspector(
  options: { policy?: InspectPolicyFile; scanner?: FakeScannerOptions | null; walkThrows?: boolean; caps?: { flagged: number; clean: number } } = {},
) {
  const policy = resolveInspectPolicy(options.policy ?? { scan: { clamd: 'unix:/fake/clamd.sock' } });
  if (!policy) throw new Error('no policy');
  const scanner = options.scanner === null ? null : new FakeScanner(options.scanner ?? {});
  const { parts, log } = fakeParts({ walkThrows: options.walkThrows });
  const content = new ContentInspector({ policy, scanner, scannerStatus: scanner ? readyStatus() : null, parts, caps: options.caps });
  return { content, scanner, log };
}

/** Feed one file through the inspector as the payload pass would, in chunks of `chunk` bytes. */
async function feed(content: ContentInspector, path: string, text: string | Buffer, opts: { chunk?: number; verified?: boolean; reread?: boolean } = {}) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const source: ByteSource = bufferSource([bytes]);
  const file = content.inspect({ path, size: bytes.length, reread: opts.reread === false ? () => null : () => source });
  const step = opts.chunk ?? 7;
  for (let at = 0; at < bytes.length; at += step) await file.update(bytes.subarray(at, at + step));
  const found = await file.end(opts.verified ?? true);
  // Scan verdicts settle off the pass (scan-verdicts.ts): the inspector's finish() gives their problems.
  return [...found, ...(await content.finish())];
}

describe('content inspector: one payload file', () => {
  it('passes a clean file and lists it with its scan verdict', async () => {
    const { content, scanner } = inspector();
    expect(await feed(content, 'data/a.txt', 'hello world\n')).toEqual([]);
    await content.finish();
    const summary = content.summary();
    expect(summary).toMatchObject({ enabled: true, files: 1, members: 0, refused: 0, warned: 0, bytesScanned: 12, complete: true, omitted: 0 });
    expect(summary.items).toEqual([expect.objectContaining({ path: 'data/a.txt', members: [], scan: 'clean', findings: [], warnings: [] })]);
    expect(scanner?.finished).toBe(1);
  });

  it('refuses a file the scanner finds a threat in (the marker split across chunks), naming the file and the signature', async () => {
    const { content } = inspector();
    const found = await feed(content, 'data/dir/x.txt', `abc${MARKER}def`, { chunk: 5 });
    expect(found).toEqual([expect.objectContaining({ code: 'MALWARE_FOUND', path: 'data/dir/x.txt' })]);
    expect(found[0]?.message).toContain('"data/dir/x.txt"');
    expect(found[0]?.message).toContain('Airlock.Test.Marker.UNOFFICIAL');
    expect(found[0]?.members).toBeUndefined();
    expect(content.summary().items[0]).toMatchObject({ scan: 'found', scanDetail: 'Airlock.Test.Marker.UNOFFICIAL', findings: ['MALWARE_FOUND'] });
  });

  it('a scan error refuses by default (fail closed) and only warns when the policy says warn', async () => {
    const error = { outcome: 'error' as const, detail: 'INSTREAM size limit exceeded. ERROR' };
    const refusing = inspector({ scanner: { verdict: error } });
    expect(await feed(refusing.content, 'data/big.bin', 'x'.repeat(100))).toEqual([expect.objectContaining({ code: 'SCAN_FAILED', path: 'data/big.bin' })]);
    const warning = inspector({ policy: { scan: { clamd: 'unix:/fake/clamd.sock', onError: 'warn' } }, scanner: { verdict: error } });
    expect(await feed(warning.content, 'data/big.bin', 'x'.repeat(100))).toEqual([]);
    expect(warning.content.summary()).toMatchObject({ refused: 0, warned: 1 });
    expect(warning.content.summary().items[0]).toMatchObject({ scan: 'error', findings: [], warnings: ['SCAN_FAILED'] });
  });

  it('a scanner that stops answering mid-scan, or cannot be reached at all, is SCANNER_UNAVAILABLE, never clean', async () => {
    const gone = inspector({ scanner: { verdict: { outcome: 'unavailable', detail: 'connection reset' } } });
    expect(await feed(gone.content, 'data/a.txt', 'abc')).toEqual([expect.objectContaining({ code: 'SCANNER_UNAVAILABLE' })]);
    const refused = inspector({ scanner: { throwOnBegin: true } });
    expect(await feed(refused.content, 'data/a.txt', 'abc')).toEqual([expect.objectContaining({ code: 'SCANNER_UNAVAILABLE' })]);
    expect(refused.content.summary().items[0]).toMatchObject({ scan: 'unavailable' });
  });

  it('bytes that failed their checksum are not inspected: the scan is dropped and nothing is reported for them', async () => {
    const { content, scanner } = inspector();
    expect(await feed(content, 'data/a.txt', `x${MARKER}`, { verified: false })).toEqual([]);
    expect(scanner?.aborted).toBe(1);
    expect(scanner?.finished).toBe(0);
    expect(content.summary()).toMatchObject({ files: 0, items: [] });
  });

  it('sniffs exactly the first TYPE_SNIFF_BYTES, whatever the chunking', async () => {
    const { content, log } = inspector();
    const bytes = Buffer.alloc(TYPE_SNIFF_BYTES * 3, 0x61);
    bytes.write('MZ', 0);
    await feed(content, 'data/tool.exe', bytes, { chunk: 1000 });
    expect(log.detected).toHaveLength(1);
    expect(log.detected[0]?.head.length).toBe(TYPE_SNIFF_BYTES);
    expect(log.detected[0]?.name).toBe('tool.exe');
  });

  it('type findings come through with their severity: an executable refused, a lying extension warned when the policy says so', async () => {
    const { content } = inspector({ policy: { types: { onMismatch: 'warn' }, scan: { clamd: 'unix:/fake/clamd.sock' } } });
    const found = await feed(content, 'data/readme.txt', 'MZ\x90\x00 not text');
    expect(found.map((p) => p.code)).toEqual(['TYPE_DENIED']);
    expect(content.summary().items[0]).toMatchObject({
      findings: ['TYPE_DENIED'],
      warnings: ['TYPE_MISMATCH'],
      detectedType: 'application/x-msdownload',
      extension: 'txt',
    });
  });

  it('the polyglot check sees the last bytes of a file, however it was chunked, and of a member too', async () => {
    const { content } = inspector();
    const joined = `${'x'.repeat(200_000)}ZIPEND`;
    expect((await feed(content, 'data/photo.jpg', joined, { chunk: 4096 })).map((p) => p.code)).toEqual(['TYPE_MISMATCH']);
    const inZip = await feed(content, 'data/a.zip', fakeZip([{ name: 'in/photo.jpg', content: joined }]));
    expect(inZip.map((p) => [p.code, p.members])).toEqual([['TYPE_MISMATCH', ['in/photo.jpg']]]);
  });

  it('an empty file is not sent to the scanner and is not a finding', async () => {
    const { content, scanner } = inspector();
    expect(await feed(content, 'data/empty', '')).toEqual([]);
    expect(scanner?.begun).toBe(0);
    expect(content.summary().items[0]).toMatchObject({ scan: 'not-scanned', findings: [] });
  });

  it('without a scanner in the policy, types are still checked and nothing is scanned', async () => {
    const { content } = inspector({ policy: { types: {} }, scanner: null });
    expect(await feed(content, 'data/a.txt', `${MARKER}`)).toEqual([]);
    expect(content.summary()).toMatchObject({ scanner: null, bytesScanned: 0 });
    expect(content.summary().items[0]).toMatchObject({ scan: 'not-scanned' });
  });
});

describe('content inspector: archives inside the payload', () => {
  const nested = fakeZip([
    { name: 'readme.txt', content: 'fine' },
    { name: 'inner/b.zip', content: fakeZip([{ name: 'deep/marker.txt', content: `..${MARKER}..` }]) },
  ]);

  it('scans every member on its own and names the inner path of a threat (Problem.members and the message)', async () => {
    for (const reread of [true, false]) {
      // reread false: no source from the pass (stdin, split parts): the inspector keeps its own private copy.
      const { content, log } = inspector();
      const found = await feed(content, 'data/outer.zip', nested, { reread });
      expect(log.walked).toEqual([nested]);
      const malware = found.filter((p) => p.code === 'MALWARE_FOUND');
      // The outer file's own scan finds it too (the whole archive's bytes); the member's finding names where.
      const inner = malware.find((p) => p.members !== undefined);
      expect(inner).toMatchObject({ path: 'data/outer.zip', members: ['inner/b.zip', 'deep/marker.txt'] });
      expect(inner?.message).toContain('"inner/b.zip" → "deep/marker.txt"');
      expect(content.summary()).toMatchObject({ files: 1, members: 2 });
    }
  });

  it('scans a member by the bytes that arrive, never by its declared size (hostile: declared empty or negative)', async () => {
    for (const declaredSize of [0, -1]) {
      const lying = fakeZip([{ name: 'empty-looking.txt', content: `..${MARKER}..`, declaredSize }]);
      const { content } = inspector();
      const found = await feed(content, 'data/lying.zip', lying);
      expect(found.find((p) => p.code === 'MALWARE_FOUND' && p.members !== undefined)).toMatchObject({ members: ['empty-looking.txt'] });
    }
  });

  it('a limit hit refuses whatever the policy (never a silent pass); encrypted and unreadable follow the policy', async () => {
    const walkFindings = [
      { code: 'ARCHIVE_LIMIT' as const, members: ['a.zip'], detail: 'More than 5 levels deep.' },
      { code: 'ARCHIVE_ENCRYPTED' as const, members: ['secret.zip'], detail: 'Encrypted.' },
    ];
    const strict = inspector();
    const found = await feed(strict.content, 'data/x.zip', fakeZip([], walkFindings));
    expect(found.map((p) => [p.code, p.members])).toEqual([
      ['ARCHIVE_LIMIT', ['a.zip']],
      ['ARCHIVE_ENCRYPTED', ['secret.zip']],
    ]);
    const lenient = inspector({ policy: { archives: { encrypted: 'allow', unreadable: 'warn' }, scan: { clamd: 'unix:/fake/clamd.sock' } } });
    expect((await feed(lenient.content, 'data/x.zip', fakeZip([], walkFindings))).map((p) => p.code)).toEqual(['ARCHIVE_LIMIT']);
  });

  it('an archive the walk breaks on is ARCHIVE_UNREADABLE, and a kind the station does not open too', async () => {
    const broken = inspector({ walkThrows: true });
    expect((await feed(broken.content, 'data/x.zip', fakeZip([]))).map((p) => p.code)).toEqual(['ARCHIVE_UNREADABLE']);
    const seven = inspector();
    expect((await feed(seven.content, 'data/x.7z', 'FAKE7Z....')).map((p) => p.code)).toEqual(['ARCHIVE_UNREADABLE']);
  });

  it('with archives.expand false nothing is walked', async () => {
    const { content, log } = inspector({ policy: { archives: { expand: false }, scan: { clamd: 'unix:/fake/clamd.sock' } } });
    const found = await feed(content, 'data/x.zip', nested);
    expect(found.map((p) => [p.code, p.members])).toEqual([['MALWARE_FOUND', undefined]]);
    expect(log.walked).toEqual([]);
  });
});

describe('content inspector: Office macros', () => {
  it('refuses an Office file with a VBA project by default, reads nothing when the policy allows macros', async () => {
    const strict = inspector();
    expect((await feed(strict.content, 'data/report.doc', 'OLE!...VBA...')).map((p) => p.code)).toEqual(['MACRO_FOUND']);
    expect(strict.content.summary().items[0]).toMatchObject({ macros: true });
    expect((await feed(strict.content, 'data/clean.doc', 'OLE!... nothing ...')).map((p) => p.code)).toEqual([]);
    // One that cannot be read through is never a pass.
    expect((await feed(strict.content, 'data/locked.doc', 'OLE!...ENCRYPTED...')).map((p) => p.code)).toEqual(['ARCHIVE_ENCRYPTED']);
    const lenient = inspector({ policy: { types: { macros: 'allow' }, scan: { clamd: 'unix:/fake/clamd.sock' } } });
    expect(await feed(lenient.content, 'data/report.doc', 'OLE!...VBA...')).toEqual([]);
    expect(lenient.log.macroChecks).toBe(0);
  });
});

describe('content inspector: the summary stays bounded', () => {
  it('lists clean items up to the cap and counts the rest; flagged items up to theirs, counted in refused', async () => {
    const { content } = inspector({ caps: { flagged: 3, clean: 2 } });
    for (let i = 0; i < 10; i += 1) await feed(content, `data/clean-${i}.txt`, `file ${i}`);
    for (let i = 0; i < 5; i += 1) await feed(content, `data/bad-${i}.txt`, MARKER);
    await content.finish();
    const summary = content.summary();
    expect(summary).toMatchObject({ files: 15, refused: 5, omitted: 8, complete: true });
    expect(summary.items).toHaveLength(5);
  });

  it('is marked incomplete when the pass never finished', () => {
    const { content } = inspector();
    expect(content.summary().complete).toBe(false);
  });
});

describe('content inspector: verdicts settle off the payload pass', () => {
  it('a file’s end does not wait for clamd’s verdict; finish() does, and only then is the bundle decided', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { content, scanner } = inspector({ scanner: { gate } });
    const file = content.inspect({ path: 'data/x.txt', size: MARKER.length, reread: () => null });
    await file.update(Buffer.from(MARKER));
    // Resolves while the scan is still running: the pass reads on.
    expect(await file.end(true)).toEqual([]);
    expect(scanner?.finished).toBe(0);
    let decided = false;
    const finishing = content.finish().then((problems) => {
      decided = true;
      return problems;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(decided).toBe(false);
    expect(content.summary().complete).toBe(false);
    open();
    expect((await finishing).map((p) => p.code)).toEqual(['MALWARE_FOUND']);
    expect(content.summary()).toMatchObject({ complete: true, refused: 1 });
  });

  it('a scan that throws at its end is SCAN_FAILED (fail closed), reported at finish', async () => {
    const { content } = inspector({ scanner: { finishThrows: true } });
    expect((await feed(content, 'data/a.txt', 'abc')).map((p) => p.code)).toEqual(['SCAN_FAILED']);
    expect(content.summary().items[0]).toMatchObject({ scan: 'error', findings: ['SCAN_FAILED'] });
  });

  it('a cancel while verdicts are outstanding ends finish() with CANCELLED at once, even if a scan ignores its abort', async () => {
    const controller = new AbortController();
    const policy = resolveInspectPolicy({ scan: { clamd: 'unix:/fake/clamd.sock' } });
    if (!policy) throw new Error('no policy');
    const scanner = new FakeScanner({ gate: new Promise<void>(() => undefined) });
    const { parts } = fakeParts({});
    const content = new ContentInspector({ policy, scanner, scannerStatus: readyStatus(), parts, signal: controller.signal });
    const file = content.inspect({ path: 'data/a.txt', size: 3, reread: () => null });
    await file.update(Buffer.from('abc'));
    await file.end(true);
    const finishing = content.finish();
    controller.abort();
    await expect(finishing).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(scanner.aborted).toBe(1);
  });

  it('outstanding scans listening for a cancel on one signal raise no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      // The CLI and the verify pipeline listen too.
      for (let i = 0; i < 3; i++) controller.signal.addEventListener('abort', () => undefined);
      const policy = resolveInspectPolicy({ scan: { clamd: 'unix:/fake/clamd.sock' } });
      if (!policy) throw new Error('no policy');
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const fake = new FakeScanner({ gate });
      // Like InstreamScan: a listener for the scan and one for its reply wait, until it is over.
      const scanner = Object.assign(Object.create(fake) as FakeScanner, {
        begin: async (signal?: AbortSignal) => {
          const scan = await fake.begin();
          const listeners = [() => undefined, () => undefined];
          for (const listener of listeners) signal?.addEventListener('abort', listener);
          return { ...scan, finish: async () => scan.finish().finally(() => listeners.forEach((l) => signal?.removeEventListener('abort', l))) };
        },
      });
      const { parts } = fakeParts({});
      const content = new ContentInspector({ policy, scanner, scannerStatus: readyStatus(), parts, signal: controller.signal });
      for (const path of ['data/a', 'data/b', 'data/c', 'data/d']) {
        const file = content.inspect({ path, size: 3, reread: () => null });
        await file.update(Buffer.from('abc'));
        await file.end(true);
      }
      open();
      expect(await content.finish()).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('dispose() drops the scans an operation left unsettled', async () => {
    const gate = new Promise<void>(() => undefined);
    const { content, scanner } = inspector({ scanner: { gate } });
    const file = content.inspect({ path: 'data/a.txt', size: 3, reread: () => null });
    await file.update(Buffer.from('abc'));
    await file.end(true);
    content.dispose();
    expect(scanner?.aborted).toBe(1);
  });
});
