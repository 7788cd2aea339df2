/**
 * Who moved what, to the digest (#15.3, #15.4): the verify event and the import event (without a
 * push) of a bundle carrying images name each image's source, repository, tag and digest, as the
 * export event does; a files-only bundle's events carry no image rows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { exportImages } from './images-helpers.js';

const tempDir = useTempDirs();
let station: TestStation;
let built: BuiltLayout;
let out: string;

interface Event {
  type: string;
  outcome: string;
  bundleName: string | null;
  details: { images?: Array<{ kind: string; source: string; repository: string; tag: string | null; digest: string }> };
}

async function eventsOf(name: string): Promise<Event[]> {
  const listed = await station.run(['audit', 'list', '--json', '--limit', '100']);
  expect(listed.code, describeResult(listed)).toBe(0);
  return parseJson<{ events: Event[] }>(listed).events.filter((e) => e.bundleName === name);
}

beforeAll(async () => {
  const root = await tempDir('airlock-audit-images-');
  station = await createStation(root, 'Audit Images Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(16 * 1024));
  out = await tempDir('airlock-audit-images-out-');
  await exportImages(station, out, 'with-images', ['--image', `oci:${built.dir}:app-1.0`, '--image', `oci:${built.dir}:tool-1.0`]);
  const files = join(root, 'files');
  await mkdir(files);
  await writeFile(join(files, 'a.txt'), 'a\n');
  await station.exportBundle(out, 'files-only', [files]);
});

describe('audit events name the images a bundle carries', () => {
  it('verify and import record source, repository, tag and digest of each image, like export', async () => {
    const verified = await station.verify(join(out, 'with-images.airlock.tar'));
    expect(verified.code, describeResult(verified.result)).toBe(0);
    const dest = await tempDir('airlock-audit-images-dest-');
    const imported = await station.run(['import', join(out, 'with-images.airlock.tar'), '--dest', dest, '--passphrase-file', station.passFile]);
    expect(imported.code, describeResult(imported)).toBe(0);

    const rows = ['app-1.0', 'tool-1.0'].map((ref) => ({
      kind: 'image',
      source: `oci:${built.dir}:${ref}`,
      repository: 'layout',
      tag: ref,
      digest: built.images.find((i) => i.refName === ref)!.descriptor.digest,
    }));
    const events = await eventsOf('with-images');
    for (const type of ['export', 'verify', 'import']) {
      const event = events.find((e) => e.type === type && e.outcome === 'ok');
      expect(event?.details.images, type).toEqual(rows);
    }
  });

  it('a files-only bundle: no image rows', async () => {
    expect((await station.verify(join(out, 'files-only.airlock.tar'))).code).toBe(0);
    const events = await eventsOf('files-only');
    expect(events.map((e) => e.type).sort()).toEqual(['export', 'verify']);
    for (const event of events) expect(event.details).not.toHaveProperty('images');
  });
});
