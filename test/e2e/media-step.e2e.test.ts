/**
 * The media step end to end in Debian's Chromium (issue #19.4), against the real main-process
 * handlers, job host and core: a folder declared as a medium and marked large by a low
 * `largeMediumBytes` needs the warning ticked before signing; the export then reports write,
 * flush and read-back as its own phases in order; and an export whose file is changed on the
 * medium after it was written (during the flush) ends in "Read-back failed" naming the file, the
 * first difference and both SHA-256, the read-back phase marked failed, and no Eject.
 */
import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { chromiumAvailable } from './harness/launch-chromium.js';
import type { RealMain } from './harness/real-main.js';

const PASSPHRASE = 'media step e2e passphrase';
const PAYLOAD_BYTES = 64 << 20;
const CORRUPT_AT = (60 << 20) + 4321;
/** Bounds for waits on events (never a timed assertion): generous for a loaded 2-core machine. */
const STEP = 60_000;
/** A job over the 64 MiB payload: hash, write, flush, read back, on a machine others share. */
const JOB_STEP = 4 * STEP;
const TEST_TIMEOUT = 8 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
let main: RealMain;
let medium: string;
let src: string;
const phasesSeen: string[] = [];
/** Set by a test: change one byte of the bundle's temp file when its flush starts (after the write, before the read-back). */
let corruptOnFlush = false;
let corrupted = false;

/**
 * One byte near the end of the bundle being written to the medium, changed in place. The job runs
 * in a worker and this runs when main relays its `syncing` event: the byte is far enough in that
 * the flush and the read-back of the 60 MiB before it leave ample time for the relay.
 */
function corruptTempBundle(): void {
  const temp = readdirSync(medium).find((f) => f.includes('.airlock.tar') && f !== 'first.airlock.tar');
  if (!temp) return;
  const fd = openSync(join(medium, temp), 'r+');
  try {
    writeSync(fd, Buffer.from('!'), 0, 1, CORRUPT_AT);
  } finally {
    closeSync(fd);
  }
  corrupted = true;
}

async function toDestination(name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: /^Export/ })
    .click();
  const again = page.getByRole('button', { name: /^(Start over|Export something else)$/u });
  if (await again.isVisible()) await again.click();
  main.dialogs.exportSources = [join(src, 'payload.bin')];
  await page.getByRole('button', { name: 'Add files…' }).click();
  await page.getByRole('button', { name: 'Next: review' }).click();
  await page.getByRole('table', { name: 'Selection' }).waitFor();
  await page.getByRole('button', { name: 'Next: destination' }).click();
  await page.getByRole('radiogroup', { name: 'Destination' }).getByRole('radio', { name: medium }).check();
  await page.getByLabel('Bundle name (optional)').fill(name);
}

async function sign(): Promise<void> {
  await page.getByRole('button', { name: 'Next: sign' }).click();
  await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Sign and write bundle' }).click();
  await page.getByRole('heading', { name: 'Writing to the medium and reading it back' }).waitFor();
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('the media step end to end (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-media-'));
    const home = join(base, 'home');
    medium = join(base, 'medium');
    src = join(base, 'src');
    await mkdir(medium);
    await mkdir(src);
    await writeFile(join(src, 'payload.bin'), Buffer.alloc(PAYLOAD_BYTES, 0x42));
    const station = await Station.open({ home });
    await station.generateKey({ name: 'Media Step Station', passphrase: PASSPHRASE });
    station.close();
    // Any real folder is "large" at 1 KiB: the warning path without a 2 TB disk.
    await writeFile(join(home, 'config.json'), JSON.stringify({ mediaRoots: [medium], largeMediumBytes: 1024 }));
    app = await openApp({
      home,
      rendererDir: join(base, 'renderer'),
      stepMs: STEP,
      onEvent: (event) => {
        if (event.type !== 'progress') return;
        phasesSeen.push(event.progress.phase);
        if (corruptOnFlush && !corrupted && event.progress.phase === 'syncing') corruptTempBundle();
      },
    });
    ({ page, main } = app);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'a large drive must be acknowledged; then write, flush and read back run as phases in that order',
    async () => {
      await toDestination('first');
      const warning = page.locator('[data-warning="large-drive"]');
      await warning.waitFor();
      expect(await page.getByRole('button', { name: 'Next: sign' }).isDisabled()).toBe(true);
      await warning.getByRole('checkbox').check();
      expect(await page.getByRole('button', { name: 'Next: sign' }).isDisabled()).toBe(false);
      const before = phasesSeen.length;
      await sign();
      await page.getByRole('heading', { name: 'Bundle written and read back' }).waitFor({ timeout: JOB_STEP });
      const phases = phasesSeen.slice(before);
      // A medium on ext4/xfs/btrfs takes the bundle in one pass ('hashing-and-writing'), any other in two.
      const writePhase = phases.includes('hashing-and-writing') ? 'hashing-and-writing' : 'writing';
      expect(phases).toEqual(expect.arrayContaining([writePhase, 'syncing', 'reading-back']));
      expect(phases.indexOf(writePhase)).toBeLessThan(phases.indexOf('syncing'));
      expect(phases.lastIndexOf('syncing')).toBeLessThan(phases.indexOf('reading-back'));
    },
    TEST_TIMEOUT,
  );

  it(
    'a read-back that finds other bytes shows the file, the first difference and both hashes, the phase failed, and no Eject',
    async () => {
      await toDestination('second');
      await page.locator('[data-warning="large-drive"]').getByRole('checkbox').check();
      corruptOnFlush = true;
      const before = phasesSeen.length;
      await sign();
      const failure = page.locator('[data-failure="read-back"]');
      await failure.waitFor({ timeout: JOB_STEP });
      expect(corrupted).toBe(true);
      const text = (await failure.textContent()) ?? '';
      expect(text).toContain('Read-back failed: do not use this medium');
      expect(text).toContain(join(medium, 'second.airlock.tar'));
      if (phasesSeen.slice(before).includes('hashing-and-writing')) {
        // One pass (ext4 and the like): checked region by region, so the finding is the region
        // holding the changed byte, with its byte range; no whole-file SHA-256 was there to expect.
        const range = /Differs in.*\(bytes (\d+)–(\d+) of the file\)/u.exec(text);
        expect(range).not.toBeNull();
        expect(Number(range?.[1])).toBeLessThanOrEqual(CORRUPT_AT);
        expect(Number(range?.[2])).toBeGreaterThanOrEqual(CORRUPT_AT);
        expect(text).not.toContain('Expected SHA-256');
      } else {
        const chunk = Math.floor(CORRUPT_AT / (1 << 20)) * (1 << 20);
        expect(text).toContain(`at byte ${chunk} (within bytes ${chunk}–${chunk + (1 << 20) - 1})`);
        expect(text).toMatch(/Expected SHA-256[0-9a-f]{64}/u);
      }
      expect(text).toMatch(/Found SHA-256[0-9a-f]{64}/u);
      expect(await page.locator('[data-media-phase="reading-back"]').getAttribute('data-state')).toBe('failed');
      expect(await page.getByRole('button', { name: /Eject/ }).count()).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
