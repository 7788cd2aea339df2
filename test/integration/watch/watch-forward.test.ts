/**
 * `airlock watch` with config.json's `forward` section: the same process forwards the audit log to
 * a real rsyslog (plain TCP here; TLS is the forwarding suite's), so the SIEM sees the watcher
 * start, each import (accepted or refused, with its problem codes) and the stop, by seq.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SD_ID } from '../../../electron/core/forward/syslog-format.js';
import { startRsyslog, type RsyslogServer } from '../../helpers/rsyslog-process.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { settledNames, startWatch, stopWatch, waitUntil } from '../../helpers/watch-process.js';

let root: string;
let station: TestStation;
let rsyslog: RsyslogServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-fwd-'));
  rsyslog = await startRsyslog();
  station = await createStation(root, 'Watch Forward');
}, 120_000);

afterAll(async () => {
  await rsyslog?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('airlock watch forwards its audit events', () => {
  it('sends watch-start, every import outcome and watch-stop to the configured syslog', async () => {
    await writeFile(join(station.home, 'config.json'), JSON.stringify({ stationName: 'watch-fwd', forward: { syslog: { url: rsyslog.url } } }));
    const out = join(root, 'out');
    const src = join(root, 'src');
    await mkdir(out);
    await mkdir(src);
    await writeFile(join(src, 'a.txt'), 'forwarded\n');
    await station.exportBundle(out, 'fwd', [src]);
    const bytes = await readFile(join(out, 'fwd.airlock.tar'));
    const inbox = join(root, 'inbox');
    await mkdir(inbox);
    await writeFile(join(inbox, 'fwd.airlock.tar'), bytes);
    await writeFile(join(inbox, 'fwd.airlock.tar.done'), '');
    await station.exportBundle(out, 'other', [src]);
    const bad = await readFile(join(out, 'other.airlock.tar'));
    const at = bad.indexOf(Buffer.from('forwarded'));
    bad[at] = bad[at]! ^ 0x20;
    await writeFile(join(inbox, 'bad.airlock.tar'), bad);
    await writeFile(join(inbox, 'bad.airlock.tar.done'), '');
    const watch = startWatch(station.home, inbox, join(root, 'dest'), ['--settle', '600']);
    await waitUntil('both taken', async () => (await settledNames(inbox, 'accepted')).length + (await settledNames(inbox, 'quarantine')).length === 2);
    expect(await stopWatch(watch)).toEqual({ code: 0, signal: null });
    const received = await rsyslog.waitFor((messages) => messages.some((m) => m.msgid === 'watch-stop'), 60_000);
    const ours = received.filter((m) => m.params[SD_ID]?.['station'] === 'watch-fwd');
    const types = ours.map((m) => `${m.msgid}:${m.params[SD_ID]?.['outcome'] ?? ''}`);
    expect(types).toEqual(expect.arrayContaining(['watch-start:ok', 'import:ok', 'import:rejected', 'watch-stop:ok']));
    const refused = ours.find((m) => m.msgid === 'import' && m.params[SD_ID]?.['outcome'] === 'rejected');
    expect(refused?.params[SD_ID]?.['problems']).toMatch(/CHECKSUM_MISMATCH|ARCHIVE_CORRUPT/u);
  }, 180_000);
});
