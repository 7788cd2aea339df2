/**
 * Heartbeat alarms (docs/channels.md): a channel silent past its policy interval raises ONE
 * `channel-alarm` audit event per silence; repeated checks return the alarm but record nothing
 * more; traffic clears it, and the next silence raises a new one.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../../electron/core/station.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let sender: TestStation;
let receiver: TestStation;
let out: string;
let station: Station;

beforeAll(async () => {
  sender = await createStation(await makeTemp('airlock-hba-a-'), 'Sender Station');
  receiver = await createStation(await makeTemp('airlock-hba-b-'), 'Receiver Station');
  const keyFile = join(await makeTemp('airlock-hba-key-'), 'a.asc');
  await writeFile(keyFile, (await sender.run(['keys', 'export-public'])).stdout);
  expect((await receiver.run(['keys', 'trust', keyFile, '--fingerprint', sender.fingerprint])).code).toBe(0);
  await writeFile(
    join(receiver.home, 'policy.json'),
    JSON.stringify({ channels: { heartbeatIntervalSeconds: 600, channels: { quiet: { heartbeatIntervalSeconds: null } } } }),
  );
  out = await makeTemp('airlock-hba-out-');
  station = await Station.open({ home: receiver.home });
});
afterAll(() => station.close());

async function heartbeatReceived(channel: string): Promise<void> {
  const sent = await sender.run(['heartbeat', '--channel', channel, '--out', out, '--passphrase-file', sender.passFile, '--json']);
  expect(sent.code, describeResult(sent)).toBe(0);
  const { bundle } = parseJson<{ bundle: { bundlePath: string } }>(sent);
  const imported = await receiver.run(['import', '--json', bundle.bundlePath, '--dest', await makeTemp('airlock-hba-dest-')]);
  expect(imported.code, describeResult(imported)).toBe(0);
}

const alarmEvents = (): number => station.listAudit({}).filter((e) => e.type === 'channel-alarm').length;
const later = (seconds: number): Date => new Date(Date.now() + seconds * 1000);

describe('heartbeat alarms', () => {
  it('raises one alarm per silence, clears on traffic, and skips channels without an interval', async () => {
    await heartbeatReceived('hb');
    await heartbeatReceived('quiet');
    expect(await station.checkHeartbeatAlarms(later(60))).toEqual([]);
    expect(alarmEvents()).toBe(0);

    const first = await station.checkHeartbeatAlarms(later(700));
    expect(first.map((a) => [a.channel, a.signer, a.intervalSeconds])).toEqual([['hb', sender.fingerprint, 600]]);
    expect(first[0]?.overdueSeconds).toBeGreaterThanOrEqual(99);
    expect(alarmEvents()).toBe(1);
    // Checked again (and again): the alarm stands, no second event.
    expect(await station.checkHeartbeatAlarms(later(800))).toHaveLength(1);
    expect(await station.checkHeartbeatAlarms(later(900))).toHaveLength(1);
    expect(alarmEvents()).toBe(1);
    const [state] = (await station.channelStates(later(900))).filter((s) => s.channel === 'hb');
    expect(state?.alarm?.channel).toBe('hb');
    const event = station.listAudit({}).find((e) => e.type === 'channel-alarm');
    expect(event?.details).toMatchObject({ channel: 'hb', signer: sender.fingerprint, intervalSeconds: 600 });

    // Traffic resumes: no alarm now; the next silence is a new alarm.
    await heartbeatReceived('hb');
    expect(await station.checkHeartbeatAlarms(later(60))).toEqual([]);
    expect(await station.checkHeartbeatAlarms(later(700))).toHaveLength(1);
    expect(alarmEvents()).toBe(2);
  });
});
