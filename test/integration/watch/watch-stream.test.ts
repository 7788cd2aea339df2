/**
 * `airlock watch INBOX --dest DIR` as a real process under a stream of bundles: good ones (with
 * `.done` markers, out of name order), a tampered one, a replayed one, one still being written
 * when the watcher looks (it must wait for it), one truncated for good, a link, a folder, and
 * names Airlock never writes. Exactly the good ones land in DIR; the rest end in quarantine/ or
 * refused/ with reports, and the watcher goes on after each.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStation, type TestStation } from '../../helpers/station.js';
import { inboxFolder, readStatusFiles, settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../../helpers/watch-process.js';

let root: string;
let station: TestStation;
const bundles = new Map<string, Buffer>();
let running: WatchChild | null = null;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-stream-'));
  station = await createStation(root, 'Watch Stream');
  const out = join(root, 'out');
  await mkdir(out);
  for (const name of ['good1', 'good2', 'good3', 'spare']) {
    const src = join(root, 'src', name);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, `${name}.txt`), `payload of ${name}\n`.repeat(200));
    await station.exportBundle(out, name, [src]);
    bundles.set(name, await readFile(join(out, `${name}.airlock.tar`)));
  }
}, 120_000);

afterEach(async () => {
  if (running) await stopWatch(running, 'SIGKILL');
  running = null;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function drop(inbox: string, file: string, bytes: Buffer, mtime?: Date): Promise<void> {
  await writeFile(join(inbox, file), bytes);
  if (mtime) await utimes(join(inbox, file), mtime, mtime);
  await writeFile(join(inbox, `${file}.done`), '');
}

function tampered(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  // A byte of good2's payload (after the tag files): the signature still verifies, the checksum does not.
  const at = copy.indexOf(Buffer.from('payload of good2'));
  copy[at] = copy[at]! ^ 0x20;
  return copy;
}

describe('airlock watch under a stream of bundles', () => {
  it('imports exactly the good ones, quarantines the bad with reports, waits for one still arriving, and stops on SIGTERM', async () => {
    const inbox = join(root, 'inbox-a');
    const dest = join(root, 'dest-a');
    await mkdir(inbox);
    const good1 = bundles.get('good1')!;
    const good2 = bundles.get('good2')!;
    const good3 = bundles.get('good3')!;
    // good2 is older than good1: taken first although its name sorts later.
    await drop(inbox, 'good2.airlock.tar', good2, new Date(Date.now() - 120_000));
    await drop(inbox, 'good1.airlock.tar', good1, new Date(Date.now() - 60_000));
    await drop(inbox, 'broken.airlock.tar', tampered(good2), new Date(Date.now() - 30_000));
    await drop(inbox, 'again.airlock.tar', good1); // the same signed bundle as good1: a replay
    await drop(inbox, 'cut.airlock.tar', good3.subarray(0, 8192)); // truncated, and said to be complete
    await writeFile(join(inbox, 'good3.airlock.tar'), good3.subarray(0, Math.floor(good3.length / 2))); // still being written
    await symlink('/etc/passwd', join(inbox, 'link.airlock.tar'));
    await mkdir(join(inbox, 'a-folder'));
    // A settle time far longer than the test: only the markers complete files here.
    running = startWatch(station.home, inbox, dest, ['--settle', '600']);
    await waitUntil('the marked bundles taken', async () => (await readdir(inbox)).filter((n) => n.endsWith('.done')).length === 0);
    await waitUntil('outcomes recorded', async () => ((await readStatusFiles(station.home))[0]?.counts.rejected ?? 0) >= 4);
    expect(await settledNames(inbox, 'accepted')).toEqual(['good1', 'good2']);
    expect(await settledNames(inbox, 'quarantine')).toEqual(['again', 'broken', 'cut']);
    expect((await inboxFolder(inbox, 'refused')).length).toBe(1); // the link, moved aside unfollowed
    // The half-written bundle is left alone, counted as arriving; the folder waits for its settle time.
    expect(await readdir(inbox)).toEqual(expect.arrayContaining(['good3.airlock.tar', 'a-folder']));
    const during = (await readStatusFiles(station.home))[0]!;
    expect(during.state).toBe('running');
    expect(during.counts.arriving).toBeGreaterThanOrEqual(1);
    // The sender finishes it: now it is taken.
    await appendFile(join(inbox, 'good3.airlock.tar'), good3.subarray(Math.floor(good3.length / 2)));
    await writeFile(join(inbox, 'good3.airlock.tar.done'), '');
    await waitUntil('good3 accepted', async () => (await settledNames(inbox, 'accepted')).includes('good3'));

    // Exactly the good ones in DIR, whole.
    expect((await readdir(dest)).filter((n) => !n.includes('receipt')).sort()).toEqual(['good1', 'good2', 'good3']);
    for (const name of ['good1', 'good2', 'good3']) {
      const file = await readFile(join(dest, name, name, `${name}.txt`), 'utf8');
      expect(file).toBe(`payload of ${name}\n`.repeat(200));
    }
    // Oldest first: good2 before good1 (the outcome lines come in the order taken).
    const lines = running.stdout().split('\n');
    expect(lines.findIndex((l) => l.includes(' good2'))).toBeLessThan(lines.findIndex((l) => l.includes(' good1')));
    // Each moved folder holds the bundle, its report (the import --json shape) and the outcome.
    const [brokenFolder] = (await inboxFolder(inbox, 'quarantine')).filter((n) => n.startsWith('broken.'));
    const report = JSON.parse(await readFile(join(inbox, 'quarantine', brokenFolder!, 'report.json'), 'utf8')) as {
      ok: boolean;
      problems: Array<{ code: string }>;
    };
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect((await stat(join(inbox, 'quarantine', brokenFolder!, 'broken.airlock.tar'))).size).toBe(good2.length);
    const [againFolder] = (await inboxFolder(inbox, 'quarantine')).filter((n) => n.startsWith('again.'));
    const again = JSON.parse(await readFile(join(inbox, 'quarantine', againFolder!, 'outcome.json'), 'utf8')) as { outcome: string; codes: string[] };
    expect(again).toMatchObject({ outcome: 'rejected', codes: ['REPLAY'] });

    const ended = await stopWatch(running);
    expect(ended).toEqual({ code: 0, signal: null });
    const final = (await readStatusFiles(station.home))[0]!;
    expect(final.state).toBe('stopped');
    expect(final.counts).toMatchObject({ accepted: 3, rejected: 4, failed: 0 });
    expect(final.recent[0]?.name).toBe('good3');
    const status = await station.run(['watch', '--status', inbox, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, watchers: [{ state: 'stopped', inbox: expect.stringContaining('inbox-a') }] });
    const events = JSON.parse((await station.run(['audit', 'list', '--json'])).stdout) as { events: Array<{ type: string }> };
    const types = events.events.map((e) => e.type);
    expect(types).toContain('watch-start');
    expect(types).toContain('watch-stop');
    expect(types.filter((t) => t === 'import').length).toBe(6);
    expect((await station.run(['audit', 'verify'])).code).toBe(0);
  }, 240_000);

  it('moves aside, unread, names Airlock never writes once they settle; leaves hidden temp files alone', async () => {
    const inbox = join(root, 'inbox-b');
    const dest = join(root, 'dest-b');
    await mkdir(inbox);
    const hostile = [
      Buffer.from('esc\x1b[31mred.airlock.tar'),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x61, 0x69, 0x72, 0x6c, 0x6f, 0x63, 0x6b, 0x2e, 0x74, 0x61, 0x72]), // not UTF-8
      Buffer.from(`${'x'.repeat(240)}.airlock.tar`), // longer than a bundle name may be
      Buffer.from('report.pdf'),
      Buffer.from('new\nline.airlock.tar'),
    ];
    for (const name of hostile) await writeFile(Buffer.concat([Buffer.from(`${inbox}/`), name]), 'not a bundle');
    await writeFile(join(inbox, '.good1.airlock.tar.partial'), 'a sender still writing');
    await writeFile(join(inbox, 'good1.airlock.tar.done'), ''); // a marker without its file: waits
    running = startWatch(station.home, inbox, dest, ['--settle', '0.5']);
    // A refused folder is made, then its report.json written, then the entry moved in (refuse-entry.ts):
    // done when every folder holds both, not when the folders exist.
    const complete = async (): Promise<boolean> => {
      const ids = await inboxFolder(inbox, 'refused');
      if (ids.length !== hostile.length) return false;
      const contents = await Promise.all(ids.map(async (id) => (await readdir(join(inbox, 'refused', id))).sort().join(',')));
      return contents.every((c) => c === 'entry,report.json');
    };
    await waitUntil('every hostile entry moved aside', complete);
    const reports = await Promise.all(
      (await inboxFolder(inbox, 'refused')).map(
        async (id) => JSON.parse(await readFile(join(inbox, 'refused', id, 'report.json'), 'utf8')) as { refused: { nameHex: string } },
      ),
    );
    expect(reports.map((r) => r.refused.nameHex).sort()).toEqual(hostile.map((h) => h.toString('hex')).sort());
    expect((await readdir(inbox)).sort()).toEqual([
      '.airlock-watch',
      '.good1.airlock.tar.partial',
      'accepted',
      'good1.airlock.tar.done',
      'quarantine',
      'refused',
    ]);
    expect(await readdir(dest)).toEqual([]);
    // Hostile text never reaches the terminal raw.
    expect(running.stdout()).not.toContain('\u001b');
    expect(running.stdout()).toContain('esc\\u001b[31mred');
    expect(await stopWatch(running)).toEqual({ code: 0, signal: null });
  }, 120_000);
});
