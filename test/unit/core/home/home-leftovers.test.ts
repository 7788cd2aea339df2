/**
 * Temp files a killed run left in the station home (audit-head.json, config, keys, receipts of
 * media exports) are removed when the station next opens, once their writer is provably gone;
 * a live writer's and a user's own files stay.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStamp, processStartTicks, type ProcessStamp } from '../../../../electron/core/fs/process-owner.js';
import { ensureHome } from '../../../../electron/core/home/station-home.js';

let root: string;

function tempName(final: string, owner: ProcessStamp): string {
  return `.${final}.al-${owner.host}-${owner.boot ?? 'x'}-${owner.pid}-${owner.start ?? 'x'}-${owner.thread}-0badc0de.partial`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-home-left-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('opening a station home', () => {
  it("removes a killed run's temp files of audit-head.json, keys and receipts; leaves a live writer's and the user's", async () => {
    const home = join(root, 'home');
    await mkdir(join(home, 'keys'), { recursive: true });
    await mkdir(join(home, 'receipts'));
    const me = currentStamp();
    const earlierBoot: ProcessStamp = { ...me, boot: me.boot === 'ffffffff' ? 'eeeeeeee' : 'ffffffff', start: '1' };
    const live: ProcessStamp = { ...me, pid: process.ppid, start: processStartTicks(process.ppid) };
    const dead = [
      join(home, tempName('audit-head.json', earlierBoot)),
      join(home, 'keys', tempName('trusted-signers.json', earlierBoot)),
      join(home, 'receipts', tempName('q3.export-receipt.html', earlierBoot)),
    ];
    const kept = [join(home, tempName('config.json', live)), join(home, 'notes.partial'), join(home, 'receipts', 'q3.export-receipt.html')];
    for (const file of [...dead, ...kept]) await writeFile(file, 'x');
    await ensureHome(home);
    const present = [
      ...(await readdir(home)).map((f) => join(home, f)),
      ...(await readdir(join(home, 'keys'))).map((f) => join(home, 'keys', f)),
      ...(await readdir(join(home, 'receipts'))).map((f) => join(home, 'receipts', f)),
    ];
    for (const file of dead) expect(present).not.toContain(file);
    for (const file of kept) expect(present).toContain(file);
  });
});
