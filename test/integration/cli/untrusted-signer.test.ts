/**
 * First contact (issue #13): a bundle from a station this one does not trust yet. The refusal
 * names the full fingerprint and the user ID the signature claims (Signer's User ID subpacket),
 * marked as a claim, in the text report and in --json, so the operator can check both with the
 * sender before trusting anything.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation, type VerifyJson } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let sender: TestStation;
let receiver: TestStation;
let bundle: string;

beforeAll(async () => {
  const work = await makeTemp('airlock-untrusted-');
  sender = await createStation(await makeTemp('airlock-untrusted-sender-'), 'Lab A Export Desk');
  receiver = await createStation(await makeTemp('airlock-untrusted-receiver-'), 'Lab B Diode');
  await writeFile(join(work, 'a.txt'), 'from lab a\n');
  await mkdir(join(work, 'out'));
  bundle = (await sender.exportBundle(join(work, 'out'), 'lab-a', [join(work, 'a.txt')])).bundle.bundlePath;
}, 90_000);

describe('a bundle signed by a key this station does not trust', () => {
  it('the text report names the full fingerprint and the user ID the signature claims', async () => {
    const result = await receiver.run(['verify', bundle]);
    expect(result.code, describeResult(result)).toBe(1);
    const out = `${result.stdout}${result.stderr}`;
    expect(out).toContain('SIGNER_UNTRUSTED');
    expect(out).toContain(
      `signed by a key this station does not trust: ${groupFingerprint(sender.fingerprint)} (claims to be "Lab A Export Desk <station@example.org>")`.replace(
        /^s/u,
        'S',
      ),
    );
  });

  it('--json gives the same in the problem, and as fields', async () => {
    const result = await receiver.run(['--json', 'verify', bundle]);
    expect(result.code, describeResult(result)).toBe(1);
    const report = parseJson<VerifyJson & { problems: Array<{ unknownSigners?: unknown }> }>(result);
    expect(report.problems.map((p) => p.code)).toEqual(['SIGNER_UNTRUSTED']);
    expect(report.problems[0]?.unknownSigners).toEqual([
      { fingerprint: sender.fingerprint, keyId: sender.fingerprint.slice(-16), claimedUserId: 'Lab A Export Desk <station@example.org>' },
    ]);
  });

  it('the sender itself trusts its own key: the subpacket changes nothing for a trusted key', async () => {
    const { code, report, result } = await sender.verify(bundle);
    expect(code, describeResult(result)).toBe(0);
    expect(report.signers.map((s) => s.fingerprint)).toEqual([sender.fingerprint]);
  });
});
