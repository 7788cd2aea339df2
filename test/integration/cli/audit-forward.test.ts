/**
 * `airlock audit forward` as an operator runs it: nothing configured says so; a SIEM that is down
 * exits 3 with FORWARD_UNAVAILABLE and keeps the backlog (shown by --status with the reason); once
 * it is up, the backlog goes out and --status shows none. One-shot commands (export, keys ...)
 * never wait for the SIEM: their events wait in the log for the forwarder.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ForwardStatus } from '../../../shared/forward.js';
import { SD_ID } from '../../../electron/core/forward/syslog-format.js';
import { parseJson, runAirlock } from '../../helpers/cli-runner.js';
import { startRsyslog, type RsyslogServer } from '../../helpers/rsyslog-process.js';
import { createStation } from '../../helpers/station.js';
import { freePort } from '../../helpers/test-daemons.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let rsyslog: RsyslogServer | null = null;
afterAll(async () => {
  await rsyslog?.dispose();
});

type StatusJson = ForwardStatus & { ok: boolean; busy: boolean };

describe('airlock audit forward', () => {
  it('says when nothing is configured', async () => {
    const home = await tempDir('airlock-fwd-cli-');
    const text = await runAirlock(['--home', home, 'audit', 'forward']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/no "forward" section/u);
    const status = await runAirlock(['--home', home, 'audit', 'forward', '--status', '--json']);
    expect(parseJson<StatusJson>(status)).toEqual({ ok: true, busy: false, configured: false, sinks: [] });
  });

  it('keeps the backlog while the SIEM is down (exit 3), delivers it once it is up', async () => {
    const root = await tempDir('airlock-fwd-cli-');
    const station = await createStation(root, 'Forwarding Station');
    const port = await freePort();
    const url = `tcp://127.0.0.1:${port}`;
    await writeFile(join(station.home, 'config.json'), JSON.stringify({ stationName: 'cli-forward', forward: { syslog: { url } } }));

    // A one-shot command with the SIEM down completes; its event waits in the outbox.
    const trusted = await station.run(['keys', 'list', '--json']);
    expect(trusted.code).toBe(0);
    const down = await station.run(['audit', 'forward', '--json']);
    expect(down.code).toBe(3);
    const error = parseJson<{ ok: false; error: { code: string } }>(down);
    expect(error.error.code).toBe('FORWARD_UNAVAILABLE');
    expect(down.stderr).toMatch(/FORWARD_UNAVAILABLE|outbox/u);

    const status = parseJson<StatusJson>(await station.run(['audit', 'forward', '--status', '--json']));
    expect(status.configured).toBe(true);
    expect(status.sinks[0]).toMatchObject({ kind: 'syslog', target: url, deliveredSeq: 0 });
    expect(status.sinks[0]?.backlog).toBeGreaterThan(0);
    expect(status.sinks[0]?.lastError).toMatch(/ECONNREFUSED/u);
    const head = status.sinks[0]?.headSeq ?? 0;

    const text = await station.run(['audit', 'forward', '--status']);
    expect(text.stdout).toMatch(new RegExp(`syslog\\s+${url.replace(/\./gu, '\\.')}\\s+delivered #0 of #${head}, backlog ${head}`, 'u'));
    expect(text.stdout).toMatch(/FAILING: ECONNREFUSED/u);

    rsyslog = await startRsyslog();
    await writeFile(join(station.home, 'config.json'), JSON.stringify({ stationName: 'cli-forward', forward: { syslog: { url: rsyslog.url } } }));
    const up = await station.run(['audit', 'forward', '--json']);
    expect(up.code, up.stderr).toBe(0);
    const after = parseJson<StatusJson>(up);
    expect(after.sinks[0]).toMatchObject({ deliveredSeq: head, backlog: 0, lastError: null });
    // This rsyslog serves this test only; the events name the station as it was called when they were recorded.
    const messages = (await rsyslog.messages()).filter((m) => m.params[SD_ID] !== undefined);
    expect(messages.map((m) => Number(m.params[SD_ID]?.['seq'])).sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(messages.some((m) => m.params[SD_ID]?.['type'] === 'key-generate')).toBe(true);
  });

  it('refuses --follow with --status', async () => {
    const home = await tempDir('airlock-fwd-cli-');
    const result = await runAirlock(['--home', home, 'audit', 'forward', '--follow', '--status']);
    expect(result.code).toBe(2);
  });
});
