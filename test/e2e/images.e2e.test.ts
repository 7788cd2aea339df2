/**
 * Images end to end in Debian's Chromium (#15.6): the built renderer, the real main-process
 * handlers and job host, a real Station, and Debian's docker-registry on 127.0.0.1. An operator
 * exports two images from an OCI layout the repo's script builds (one multi-platform, sharing a
 * base layer), verifies the bundle and sees the images with their digests, then imports it with
 * "Push images to a registry": per-image progress while it pushes, per-image results after, and
 * skopeo reads from the registry the very digests the report showed. A bundle with one tampered
 * blob is rejected, and nothing reaches the registry. An image goes straight onto a medium too
 * (written, read back, listed in the result). Screenshots land in test-results/e2e/.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/ipc.js';
import { Station } from '../../electron/core/index.js';
import { buildTestLayout, defaultTestImages } from '../helpers/oci-test-image.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { mustRun } from '../helpers/tools.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { chromiumAvailable } from './harness/launch-chromium.js';
import type { RealMain } from './harness/real-main.js';
import { tamperOneBlob } from './harness/tamper-bundle.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e images passphrase';
/** Every wait is for an event and returns when it happens; the bound only says when to give up (a loaded 2-core machine). */
const STEP = 90_000;
const TEST_TIMEOUT = 5 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
let main: RealMain | undefined;
let registry: RegistryServer | undefined;
const dirs = { home: '', layout: '', out: '', dest: '', medium: '' };
const events: JobEvent[] = [];

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function section(name: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
}

/** The digest of the manifest the registry serves for `repository:tag`, as skopeo reads it. */
function registryDigest(host: string, reference: string): string {
  const raw = mustRun('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${reference}`]).stdout;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** Repositories the registry holds (its catalog). */
async function catalog(): Promise<string[]> {
  const response = await fetch(`${registry?.url ?? ''}/v2/_catalog`);
  return ((await response.json()) as { repositories?: string[] }).repositories ?? [];
}

async function addImage(reference: string): Promise<void> {
  await page.getByLabel(/^Image reference/).fill(reference);
  await page.getByRole('button', { name: 'Add image' }).click();
  await page.getByRole('list', { name: 'Images to send' }).getByText(reference).waitFor();
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('desktop app: images end to end (Debian Chromium, docker-registry)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-images-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(SHOTS, { recursive: true });
    await buildTestLayout(dirs.layout, defaultTestImages());
    registry = await startRegistry();
    const station = await Station.open({ home: dirs.home });
    try {
      await station.generateKey({ name: 'Image Station 1', passphrase: PASSPHRASE });
    } finally {
      station.close();
    }
    // A folder declared as a medium (config.json mediaRoots): the app offers it like a USB stick.
    await writeFile(join(dirs.home, 'config.json'), JSON.stringify({ mediaRoots: [dirs.medium] }));
    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP, onEvent: (event) => events.push(event) });
    ({ page, main } = app);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    await registry?.stop();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'exports two images from an OCI layout beside nothing else, and lists them in the result',
    async () => {
      await section(/^Export/);
      await page.getByRole('heading', { name: 'Choose what to send' }).waitFor();
      // A reference without a transport is refused in the page, before anything is sent.
      await page.getByLabel(/^Image reference/).fill(`${dirs.layout}:app-1.0`);
      await page.getByRole('button', { name: 'Add image' }).click();
      await page.getByText(/Start with one of oci:/).waitFor();
      await addImage(`oci:${dirs.layout}:app-1.0`);
      await addImage(`oci:${dirs.layout}:tool-1.0`);
      await shot('30-export-images');
      await page.getByRole('button', { name: 'Next: review' }).click();
      const toSend = page.getByRole('table', { name: 'Images and charts to send' });
      await toSend.waitFor();
      expect(await toSend.textContent()).toContain(`oci:${dirs.layout}:tool-1.0`);
      await page.getByRole('button', { name: 'Next: destination' }).click();
      await page.getByText('Images are sized when they are read').waitFor();
      await page.getByRole('radio', { name: /A folder/ }).check();
      if (!main) throw new Error('main not started');
      main.dialogs.folder = dirs.out;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      await page.getByLabel('Bundle name (optional)').fill('release-images');
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle written' }).waitFor();
      const images = page.getByRole('table', { name: 'Images and charts' });
      await expect.poll(() => images.locator('tbody tr').count(), { timeout: STEP }).toBe(2);
      await shot('31-export-images-result');
      expect(await readdir(dirs.out)).toContain('release-images.airlock.tar');
    },
    TEST_TIMEOUT,
  );

  it(
    'exports an image straight to a medium: written, read back, and listed in the result',
    async () => {
      await section(/^Export/);
      await page.getByRole('button', { name: 'Export something else' }).click();
      await page.getByRole('heading', { name: 'Choose what to send' }).waitFor();
      await addImage(`oci:${dirs.layout}:tool-1.0`);
      await page.getByRole('button', { name: 'Next: review' }).click();
      await page.getByRole('table', { name: 'Images and charts to send' }).waitFor();
      await page.getByRole('button', { name: 'Next: destination' }).click();
      await page.getByText('Images are sized when they are read').waitFor();
      await page.getByRole('radiogroup', { name: 'Destination' }).getByRole('radio', { name: dirs.medium }).check();
      await page.getByLabel('Bundle name (optional)').fill('media-images');
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle written and read back' }).waitFor();
      const images = page.getByRole('table', { name: 'Images and charts' });
      await expect.poll(() => images.locator('tbody tr').count(), { timeout: STEP }).toBe(1);
      await shot('36-export-images-to-medium');
      expect(await readdir(dirs.medium)).toEqual(['media-images.airlock.tar']);
    },
    TEST_TIMEOUT,
  );

  it(
    'verifies, pushes on import with per-image progress and results, and the registry serves the digests the report showed',
    async () => {
      if (!main || !registry) throw new Error('not started');
      const bundle = join(dirs.out, 'release-images.airlock.tar');
      await section(/^Import/);
      main.dialogs.bundle = bundle;
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      const importing = page.locator('section[aria-label="Import"]');
      await importing.getByRole('heading', { name: 'Bundle verified' }).waitFor();
      const report = importing.getByRole('table', { name: 'Images and charts' });
      await expect.poll(() => report.locator('tbody tr').count(), { timeout: STEP }).toBe(2);
      const shown = new Map<string, string>();
      for (const row of await report.locator('tbody tr').all()) {
        const name = (await row.getAttribute('data-image')) ?? '';
        const digest = (await row.locator('[data-digest]').getAttribute('data-digest')) ?? '';
        expect(await row.locator('[data-digest]').getAttribute('translate')).toBe('no');
        shown.set(name, digest);
      }
      const tool = [...shown.keys()].find((name) => name.endsWith(':tool-1.0')) ?? '';
      expect(await report.locator(`tr[data-image="${tool}"]`).textContent()).toContain('linux/amd64, linux/arm64/v8');
      await shot('32-import-verified-images');

      await page.getByRole('button', { name: 'Next: destination' }).click();
      main.dialogs.folder = dirs.dest;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      await page.getByRole('checkbox', { name: /Push the 2 images to a registry/ }).check();
      await page.getByRole('textbox', { name: /^Registry/ }).fill(`${registry.host}/e2e`);
      // Plain HTTP for this loopback registry only.
      await page.getByRole('checkbox', { name: /Plain HTTP/ }).check();
      await page.locator('main section:not([hidden])').getByLabel('Station key passphrase').fill(PASSPHRASE);
      await shot('33-import-push-options');
      const eventsBefore = events.length;
      await page.getByRole('button', { name: 'Import and push' }).click();
      await page.getByRole('heading', { name: 'Imported', exact: true }).waitFor();
      await shot('34-import-pushed');

      const results = page.getByRole('table', { name: 'Registry push results' });
      const rows = await results.locator('tbody tr').all();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(await row.getAttribute('data-outcome')).toBe('pushed');
        expect(await row.textContent()).toContain('Pushed');
      }
      expect(await page.getByRole('status').filter({ hasText: '2 pushed, 0 already present, 0 failed' }).count()).toBe(1);
      // The page saw the push phase, item by item.
      const items = events
        .slice(eventsBefore)
        .flatMap((e) => (e.type === 'progress' && e.progress.phase === 'pushing-images' && e.progress.item ? [e.progress.item] : []));
      expect(new Set(items).size).toBeGreaterThanOrEqual(1);
      // What skopeo reads from the registry is what the verification report showed.
      for (const [name, digest] of shown) {
        const [repository, tag] = name.split(':');
        expect(registryDigest(registry.host, `e2e/${repository ?? ''}:${tag ?? ''}`), name).toBe(digest);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'rejects a bundle with one tampered blob before anything reaches the registry',
    async () => {
      if (!main || !registry) throw new Error('not started');
      const tampered = join(dirs.out, 'tampered.airlock.tar');
      await tamperOneBlob(join(dirs.out, 'release-images.airlock.tar'), tampered);
      const before = await catalog();
      await section(/^Import/);
      await page.getByRole('button', { name: 'Import another bundle' }).click();
      main.dialogs.bundle = tampered;
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      const importing = page.locator('section[aria-label="Import"]');
      await importing.getByRole('heading', { name: 'Bundle rejected' }).waitFor();
      const problems = await importing.getByRole('list', { name: 'Problems found' }).textContent();
      expect(problems).toMatch(/CHECKSUM_MISMATCH|OCI_DIGEST_MISMATCH/u);
      expect(await importing.getByRole('button', { name: 'Next: destination' }).count()).toBe(0);
      await shot('35-import-tampered-rejected');
      expect(await catalog()).toEqual(before);
    },
    TEST_TIMEOUT,
  );
});
