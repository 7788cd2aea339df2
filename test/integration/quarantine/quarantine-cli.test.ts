/**
 * The station's quarantine through the CLI, with the real inspection pipeline (a type policy, no
 * scanner needed): an import refused for its content keeps a COPY of the bundle (the media is not
 * changed) and says where; the refusal's audit event names the id; list/show; release verifies
 * again and imports to --dest overriding only the recorded findings (a new finding refuses;
 * a tampered or swapped kept bundle never imports); release twice is QUARANTINE_NOT_HELD; the
 * two-person release (the same key twice refused, a second trusted key releases); purge on record;
 * hostile ids never reach the file system.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson, type CliResult } from '../../helpers/cli-runner.js';
import { setMediaRoots } from '../../helpers/media-cli.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

let sender: TestStation;
let receiver: TestStation;
let reviewer: TestStation;

interface EntryJson {
  id: string;
  status: 'held' | 'released';
  codes: string[];
  bundleName: string;
  tagmanifestSha256: string | null;
  bytes: number;
  releases: Array<{ operator: string; reason: string; fingerprint: string | null }>;
  releasedTo: string | null;
}
interface ImportJson {
  ok: boolean;
  problems: Array<{ code: string; path?: string }>;
  destination: string | null;
  warnings: string[];
  auditEvent: number;
  quarantine?: { id: string; path: string };
  overridden?: Array<{ code: string; path?: string }>;
}
interface AuditJson {
  events: Array<{ seq: number; type: string; outcome: string; errorCode: string | null; problemCodes: string[]; details: Record<string, unknown> }>;
}

async function publicKeyFile(station: TestStation): Promise<string> {
  const file = join(await makeTemp('airlock-q-pub-'), 'key.asc');
  await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
  return file;
}

async function policy(inspect: Record<string, unknown>): Promise<void> {
  await writeFile(join(receiver.home, 'policy.json'), JSON.stringify({ inspect }));
}

const DENY_EXE = { types: { denyExtensions: ['exe'] } };

async function exportTree(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const src = join(await makeTemp('airlock-q-src-'), name);
  await mkdir(src, { recursive: true });
  for (const [path, content] of Object.entries(files)) await writeFile(join(src, path), content);
  return (await sender.exportBundle(await makeTemp('airlock-q-out-'), name, [src])).bundle.bundlePath;
}

async function importRefused(bundle: string): Promise<{ report: ImportJson; dest: string }> {
  const dest = await makeTemp('airlock-q-dest-');
  const result = await receiver.run(['import', bundle, '--dest', dest, '--json']);
  expect(result.code, describeResult(result)).toBe(1);
  expect(await readdir(dest)).toEqual([]);
  return { report: parseJson<ImportJson>(result), dest };
}

async function audit(type: string, limit = 1): Promise<AuditJson['events']> {
  return parseJson<AuditJson>(await receiver.run(['audit', 'list', '--type', type, '--limit', String(limit), '--json'])).events;
}

function release(id: string, dest: string, extra: string[] = []): Promise<CliResult> {
  return receiver.run(['quarantine', 'release', id, '--dest', dest, '--reason', 'checked by hand: a signed installer we ordered', '--yes', '--json', ...extra]);
}

async function show(id: string): Promise<{ entry: EntryJson; approvals: { given: number; required: number }; files: Array<{ name: string }> }> {
  const result = await receiver.run(['quarantine', 'show', id, '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson(result);
}

beforeAll(async () => {
  sender = await createStation(await makeTemp('airlock-q-sender-'), 'Sending Station');
  receiver = await createStation(await makeTemp('airlock-q-receiver-'), 'Receiving Station');
  reviewer = await createStation(await makeTemp('airlock-q-reviewer-'), 'Reviewer Rafael');
  expect((await receiver.run(['keys', 'trust', await publicKeyFile(sender), '--fingerprint', sender.fingerprint])).code).toBe(0);
  expect((await receiver.run(['keys', 'trust', await publicKeyFile(reviewer), '--fingerprint', reviewer.fingerprint, '--role', 'operator'])).code).toBe(0);
}, 120_000);

describe('an import refused for its content', () => {
  it('is kept in quarantine (a copy; the media untouched), the CLI says where, the audit event names the id', async () => {
    await policy(DENY_EXE);
    const bundle = await exportTree('tools', { 'setup.exe': 'MZ pretend installer\n', 'notes.txt': 'read me\n' });
    const before = await readFile(bundle);
    const { report } = await importRefused(bundle);
    expect(report.problems.map((p) => [p.code, p.path])).toEqual([['TYPE_DENIED', 'data/tools/setup.exe']]);
    expect(report.quarantine?.id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/u);
    expect(report.quarantine?.path).toBe(join(receiver.home, 'quarantine', report.quarantine?.id ?? ''));
    expect(await readFile(bundle)).toEqual(before);
    expect(await readFile(join(report.quarantine?.path ?? '', 'bundle', 'tools.airlock.tar'))).toEqual(before);
    const [event] = await audit('import');
    expect(event).toMatchObject({ seq: report.auditEvent, outcome: 'rejected', problemCodes: ['TYPE_DENIED'] });
    expect(event?.details.quarantine).toEqual({ kept: true, id: report.quarantine?.id, path: report.quarantine?.path });

    const text = await receiver.run(['import', bundle, '--dest', await makeTemp('airlock-q-dest-')]);
    expect(text.stdout).toMatch(/QUARANTINED {2}\d{8}T\d{6}Z-[0-9a-f]{8}/u);
    const list = parseJson<{ entries: EntryJson[] }>(await receiver.run(['quarantine', 'list', '--json']));
    expect(list.entries.filter((e) => e.bundleName === 'tools.airlock.tar').map((e) => e.status)).toEqual(['held', 'held']);
    const detail = await show(report.quarantine?.id ?? '');
    expect(detail.entry).toMatchObject({ status: 'held', codes: ['TYPE_DENIED'], bytes: before.length, releases: [], releasedTo: null });
    expect(detail.files.map((f) => f.name)).toEqual(['tools.airlock.tar']);
  });

  it('is not kept when the policy says keep: false, nor for SCANNER_UNAVAILABLE (the station, not the content)', async () => {
    const bundle = await exportTree('unkept', { 'setup.exe': 'MZ\n' });
    await policy({ ...DENY_EXE, quarantine: { keep: false } });
    expect((await importRefused(bundle)).report.quarantine).toBeUndefined();
    await policy({ scan: { clamd: `unix:${join(receiver.home, 'no-such-clamd.sock')}` } });
    const { report } = await importRefused(bundle);
    expect(report.problems.map((p) => p.code)).toEqual(['SCANNER_UNAVAILABLE']);
    expect(report.quarantine).toBeUndefined();
    const [event] = await audit('import');
    expect(event?.details.quarantine).toBeUndefined();
  });
});

describe('release', () => {
  it('verifies again, imports to --dest overriding only the recorded finding, on record; a second release is QUARANTINE_NOT_HELD', async () => {
    await policy(DENY_EXE);
    const bundle = await exportTree('release-one', { 'setup.exe': 'MZ pretend installer\n', 'notes.txt': 'read me\n' });
    const id = (await importRefused(bundle)).report.quarantine?.id ?? '';
    const dest = await makeTemp('airlock-q-dest-');
    const released = await release(id, dest);
    expect(released.code, describeResult(released)).toBe(0);
    const outcome = parseJson<{ ok: boolean; entry: EntryJson; import: ImportJson; auditEvent: number }>(released);
    expect(outcome.import.overridden?.map((p) => [p.code, p.path])).toEqual([['TYPE_DENIED', 'data/release-one/setup.exe']]);
    expect(outcome.entry).toMatchObject({ status: 'released', releasedTo: join(dest, 'release-one') });
    expect(outcome.entry.releases).toEqual([expect.objectContaining({ reason: 'checked by hand: a signed installer we ordered', fingerprint: null })]);
    expect(await readFile(join(dest, 'release-one', 'release-one', 'setup.exe'), 'utf8')).toBe('MZ pretend installer\n');
    const [event] = await audit('quarantine-release');
    expect(event).toMatchObject({ seq: outcome.auditEvent, outcome: 'ok' });
    expect(event?.details).toMatchObject({ id, reason: 'checked by hand: a signed installer we ordered', destination: join(dest, 'release-one') });
    expect(event?.details.overridden).toEqual([{ code: 'TYPE_DENIED', path: 'data/release-one/setup.exe', members: [], count: 1 }]);
    const [importEvent] = await audit('import');
    expect(importEvent).toMatchObject({ seq: outcome.import.auditEvent, outcome: 'ok' });
    expect(importEvent?.details.quarantineRelease).toBe(id);

    const again = await release(id, await makeTemp('airlock-q-dest-'));
    expect(again.code).toBe(3);
    expect(parseJson<{ error: { code: string } }>(again).error.code).toBe('QUARANTINE_NOT_HELD');
    const [failed] = await audit('quarantine-release');
    expect(failed).toMatchObject({ outcome: 'failed', errorCode: 'QUARANTINE_NOT_HELD' });
  });

  it('a new finding refuses the release: nothing imported, the bundle stays held', async () => {
    await policy(DENY_EXE);
    const bundle = await exportTree('release-new', { 'setup.exe': 'MZ\n', 'macro.bat': '@echo off\n' });
    const id = (await importRefused(bundle)).report.quarantine?.id ?? '';
    await policy({ types: { denyExtensions: ['exe', 'bat'] } });
    const dest = await makeTemp('airlock-q-dest-');
    const refused = await release(id, dest);
    expect(refused.code, describeResult(refused)).toBe(1);
    const outcome = parseJson<{ ok: boolean; import: ImportJson; entry: EntryJson }>(refused);
    expect(outcome.ok).toBe(false);
    expect(outcome.import.problems.map((p) => [p.code, p.path])).toEqual([['TYPE_DENIED', 'data/release-new/macro.bat']]);
    expect(outcome.entry.status).toBe('held');
    expect(await readdir(dest)).toEqual([]);
    expect((await audit('quarantine-release'))[0]).toMatchObject({ outcome: 'rejected', problemCodes: ['TYPE_DENIED'] });
  });

  it('a kept bundle changed on disk never imports: a flipped byte is CHECKSUM_MISMATCH, a swapped bundle RELEASE_APPROVAL_INVALID', async () => {
    await policy(DENY_EXE);
    const bundle = await exportTree('release-tamper', { 'setup.exe': 'MZ pretend installer\n' });
    const { report } = await importRefused(bundle);
    const kept = join(report.quarantine?.path ?? '', 'bundle', 'release-tamper.airlock.tar');
    const bytes = await readFile(kept);
    const at = bytes.indexOf('pretend installer');
    bytes[at] = 'P'.charCodeAt(0);
    await writeFile(kept, bytes);
    const dest = await makeTemp('airlock-q-dest-');
    const flipped = await release(report.quarantine?.id ?? '', dest);
    expect(flipped.code, describeResult(flipped)).toBe(1);
    expect(parseJson<{ import: ImportJson }>(flipped).import.problems.map((p) => p.code)).toContain('CHECKSUM_MISMATCH');
    expect(await readdir(dest)).toEqual([]);

    // Another validly signed bundle put in its place: the approved tag manifest does not match.
    const other = await exportTree('release-tamper', { 'setup.exe': 'MZ another installer\n' });
    await writeFile(kept, await readFile(other));
    const swapped = await release(report.quarantine?.id ?? '', dest);
    expect(swapped.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(swapped).error.code).toBe('RELEASE_APPROVAL_INVALID');
    expect(await readdir(dest)).toEqual([]);
    expect((await show(report.quarantine?.id ?? '')).entry.status).toBe('held');
  });

  it('needs a reason in words', async () => {
    await policy(DENY_EXE);
    const id = (await importRefused(await exportTree('release-reason', { 'a.exe': 'MZ\n' }))).report.quarantine?.id ?? '';
    const result = await receiver.run(['quarantine', 'release', id, '--dest', await makeTemp('airlock-q-dest-'), '--reason', '   ', '--yes', '--json']);
    expect(result.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('RELEASE_APPROVAL_INVALID');
    expect((await show(id)).entry.status).toBe('held');
  });

  it('two persons: the same key twice is refused, a second trusted key releases; each decision on record with its key', async () => {
    await policy({ ...DENY_EXE, quarantine: { releaseApprovals: 2 } });
    const id = (await importRefused(await exportTree('release-two', { 'setup.exe': 'MZ\n' }))).report.quarantine?.id ?? '';
    const dest = await makeTemp('airlock-q-dest-');
    const first = await release(id, dest, ['--passphrase-file', receiver.passFile]);
    expect(first.code, describeResult(first)).toBe(0);
    expect(parseJson<{ import: unknown; approvals: { given: number; required: number } }>(first)).toMatchObject({
      import: null,
      approvals: { given: 1, required: 2 },
    });
    expect(await readdir(dest)).toEqual([]);

    const same = await release(id, dest, ['--passphrase-file', receiver.passFile]);
    expect(same.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(same).error.code).toBe('RELEASE_APPROVAL_INVALID');
    const elsewhere = await release(id, await makeTemp('airlock-q-dest-'), [
      '--key',
      join(reviewer.home, 'keys', 'station-key.private.asc'),
      '--passphrase-file',
      reviewer.passFile,
    ]);
    expect(elsewhere.code).toBe(2);
    expect(await readdir(dest)).toEqual([]);

    const second = await release(id, dest, ['--key', join(reviewer.home, 'keys', 'station-key.private.asc'), '--passphrase-file', reviewer.passFile]);
    expect(second.code, describeResult(second)).toBe(0);
    const outcome = parseJson<{ entry: EntryJson; import: ImportJson }>(second);
    expect(outcome.import.ok).toBe(true);
    expect(outcome.entry.releases.map((r) => r.fingerprint)).toEqual([receiver.fingerprint, reviewer.fingerprint]);
    expect((await stat(join(dest, 'release-two'))).isDirectory()).toBe(true);
    const [event] = await audit('quarantine-release');
    expect(event?.details).toMatchObject({ id, approvals: 2, required: 2, complete: true });
    expect((event?.details.approvers as Array<{ fingerprint: string }>).map((a) => a.fingerprint)).toEqual([receiver.fingerprint, reviewer.fingerprint]);
  });

  it('two persons, two first approvals at once: never both counted as the first (one is QUARANTINE_BUSY, or the later one completes the release)', async () => {
    await policy({ ...DENY_EXE, quarantine: { releaseApprovals: 2 } });
    const reviewerKey = ['--key', join(reviewer.home, 'keys', 'station-key.private.asc'), '--passphrase-file', reviewer.passFile];
    const seen = new Set<string>();
    for (let round = 0; round < 3; round += 1) {
      const id = (await importRefused(await exportTree(`approve-race-${round}`, { 'setup.exe': 'MZ\n' }))).report.quarantine?.id ?? '';
      const dest = await makeTemp('airlock-q-dest-');
      const [a, b] = await Promise.all([release(id, dest, ['--passphrase-file', receiver.passFile]), release(id, dest, reviewerKey)]);
      const codes = [a, b].map((r) => (r.code === 0 ? 'ok' : parseJson<{ error: { code: string } }>(r).error.code)).sort();
      const detail = await show(id);
      if (codes.join() === 'ok,ok') {
        // One after the other: the second decision saw the first and completed the release.
        expect(detail.entry.status).toBe('released');
        expect(detail.entry.releases).toHaveLength(2);
        seen.add('serialized');
      } else {
        expect(codes).toEqual(['QUARANTINE_BUSY', 'ok']);
        expect(detail.entry.status).toBe('held');
        expect(detail.approvals.given).toBe(1);
        expect(await readdir(dest)).toEqual([]);
        seen.add('one refused');
      }
      const decisions = (await audit('quarantine-release', 50)).filter((e) => e.details.id === id && e.outcome === 'ok');
      expect(decisions).toHaveLength(codes.filter((c) => c === 'ok').length);
    }
    expect(seen.size).toBeGreaterThan(0);
  }, 180_000);

  it('two persons: an unsigned decision is refused', async () => {
    await policy({ ...DENY_EXE, quarantine: { releaseApprovals: 2 } });
    const id = (await importRefused(await exportTree('release-unsigned', { 'setup.exe': 'MZ\n' }))).report.quarantine?.id ?? '';
    // No terminal, no passphrase file: the CLI cannot ask for the station key.
    const result = await release(id, await makeTemp('airlock-q-dest-'));
    expect(result.code).not.toBe(0);
    expect((await show(id)).approvals.given).toBe(0);
  });
});

describe('a split bundle', () => {
  it('is kept whole (every part, the volume index and its signature) and released from the kept copy', async () => {
    await policy(DENY_EXE);
    const outbox = await makeTemp('airlock-q-outbox-');
    await setMediaRoots(sender.home, [outbox]);
    const src = join(await makeTemp('airlock-q-src-'), 'split');
    await mkdir(src);
    await writeFile(join(src, 'setup.exe'), 'MZ split installer\n');
    await writeFile(join(src, 'data.bin'), Buffer.alloc(600 * 1024, 3));
    const exported = await sender.run([
      'export',
      '--to-media',
      outbox,
      '--name',
      'split',
      '--part-size',
      '256K',
      '--passphrase-file',
      sender.passFile,
      '--json',
      src,
    ]);
    expect(exported.code, describeResult(exported)).toBe(0);
    const onMedia = (await readdir(outbox)).sort();
    expect(onMedia.filter((n) => n.includes('.part-'))).toHaveLength(3);
    const { report } = await importRefused(join(outbox, 'split.airlock-index.json'));
    expect(report.problems.map((p) => p.code)).toEqual(['TYPE_DENIED']);
    const id = report.quarantine?.id ?? '';
    const kept = (await show(id)).files.map((f) => f.name);
    expect(kept).toEqual(onMedia.filter((n) => n.startsWith('split.airlock')));
    expect((await readdir(outbox)).sort()).toEqual(onMedia);
    const dest = await makeTemp('airlock-q-dest-');
    const released = await release(id, dest);
    expect(released.code, describeResult(released)).toBe(0);
    expect(await readFile(join(dest, 'split', 'split', 'setup.exe'), 'utf8')).toBe('MZ split installer\n');
  });
});

describe('ids from outside', () => {
  it('never name a path outside the quarantine: QUARANTINE_NOT_FOUND, exit 3, nothing touched', async () => {
    await mkdir(join(receiver.home, 'victim'), { recursive: true });
    await writeFile(join(receiver.home, 'victim', 'entry.json'), '{}');
    for (const id of ['../victim', '../../etc', '/etc', '.', '..', 'x/../../victim']) {
      for (const args of [
        ['show', id],
        ['release', id, '--dest', '/tmp', '--reason', 'r', '--yes'],
        ['purge', id],
      ]) {
        const result = await receiver.run(['quarantine', ...args, '--json']);
        expect(result.code, `${args.join(' ')}: ${describeResult(result)}`).toBe(3);
        expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('QUARANTINE_NOT_FOUND');
      }
    }
    expect(await readFile(join(receiver.home, 'victim', 'entry.json'), 'utf8')).toBe('{}');
  });
});

describe('purge', () => {
  it('deletes by id, all released, or by age, on record; the ids are gone from the list', async () => {
    await policy(DENY_EXE);
    const held = (await importRefused(await exportTree('purge-held', { 'a.exe': 'MZ\n' }))).report.quarantine?.id ?? '';
    const purged = await receiver.run(['quarantine', 'purge', held, '--json']);
    expect(purged.code, describeResult(purged)).toBe(0);
    expect(parseJson<{ purged: Array<{ id: string }> }>(purged).purged.map((p) => p.id)).toEqual([held]);
    const [event] = await audit('quarantine-purge');
    expect(event).toMatchObject({ outcome: 'ok', details: expect.objectContaining({ ids: [held], criteria: 'ids' }) });
    expect((await readdir(join(receiver.home, 'quarantine'))).filter((n) => n.includes(held))).toEqual([]);

    const allReleased = await receiver.run(['quarantine', 'purge', '--all-released', '--json']);
    expect(allReleased.code).toBe(0);
    const after = parseJson<{ entries: EntryJson[] }>(await receiver.run(['quarantine', 'list', '--json'])).entries;
    expect(after.some((e) => e.status === 'released')).toBe(false);
    expect(after.length).toBeGreaterThan(0);

    const aged = await receiver.run(['quarantine', 'purge', '--older-than', '0', '--json']);
    expect(aged.code).toBe(0);
    expect(parseJson<{ entries: EntryJson[] }>(await receiver.run(['quarantine', 'list', '--json'])).entries).toEqual([]);
    expect((await receiver.run(['quarantine', 'purge', '--older-than', 'soon'])).code).toBe(2);
    expect((await receiver.run(['quarantine', 'purge'])).code).toBe(2);
  });
});
