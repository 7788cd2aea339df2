/**
 * Bad references and damaged sources (#15.1): each gets its code and a Next: line, and no bundle,
 * no temp file and no work folder is left behind. Variants of one hazard each: a flipped byte, a
 * missing blob, a blob of another size, a linked blob, a manifest pointing at a blob of another size.
 */
import { cp, mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, type CliResult } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let root: string;
let station: TestStation;
let built: BuiltLayout;

beforeAll(async () => {
  root = await makeTemp('airlock-img-err-');
  station = await createStation(root, 'Image Errors Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(32 * 1024));
});

async function exportFails(args: readonly string[]): Promise<{ result: CliResult; out: string }> {
  const out = await makeTemp('airlock-img-err-out-');
  const result = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, ...args]);
  return { result, out };
}

/** Nothing published, nothing half-written, no work folder left in the station's spool. */
async function nothingLeft(out: string): Promise<void> {
  expect(await readdir(out)).toEqual([]);
  const spool = await readdir(join(station.home, 'spool')).catch(() => []);
  expect(spool.filter((name) => name.includes('images-work'))).toEqual([]);
}

function refused(result: CliResult, code: string, exit: number): void {
  expect(result.code, describeResult(result)).toBe(exit);
  expect(result.stderr).toContain(code);
  expect(result.stderr).toMatch(/^\s*Next: .+/mu);
}

async function layoutCopy(): Promise<string> {
  const dir = join(await makeTemp('airlock-img-copy-'), 'layout');
  await cp(built.dir, dir, { recursive: true });
  return dir;
}

/** The largest blob: a layer (the manifests and configs are small). */
function largestBlob(): string {
  return [...built.blobs.entries()].sort((a, b) => b[1] - a[1])[0]![0].slice(7);
}

describe('bad references: IMAGE_SOURCE_INVALID or IMAGE_NOT_FOUND with a next step', () => {
  const cases: Array<[string, string, number]> = [
    ['no transport', 'IMAGE_SOURCE_INVALID', 2],
    ['oci:', 'IMAGE_SOURCE_INVALID', 2],
    ['http://example.org/app', 'IMAGE_SOURCE_INVALID', 2],
    ['docker://registry.example.org/App:1.0', 'IMAGE_SOURCE_INVALID', 2],
    ['docker://registry.example.org/app', 'IMAGE_SOURCE_INVALID', 2],
    ['docker://registry.example.org/app@sha256:abc', 'IMAGE_SOURCE_INVALID', 2],
    ['oci:/nonexistent/airlock/layout:app', 'IMAGE_NOT_FOUND', 3],
    ['oci-archive:/nonexistent/airlock/image.tar', 'IMAGE_NOT_FOUND', 3],
  ];
  for (const [ref, code, exit] of cases) {
    it(`--image ${ref}`, async () => {
      const { result, out } = await exportFails(['--image', ref]);
      refused(result, code, exit);
      await nothingLeft(out);
    });
  }

  it('a tag the layout lacks: IMAGE_NOT_FOUND naming the tags it has', async () => {
    const { result, out } = await exportFails(['--image', `oci:${built.dir}:app-9.9`]);
    refused(result, 'IMAGE_NOT_FOUND', 3);
    expect(result.stderr).toContain('app-1.0, tool-1.0');
    await nothingLeft(out);
  });

  it('no tag for a layout of two images: IMAGE_SOURCE_INVALID naming the choices', async () => {
    const { result } = await exportFails(['--image', `oci:${built.dir}`]);
    refused(result, 'IMAGE_SOURCE_INVALID', 2);
    expect(result.stderr).toContain('app-1.0, tool-1.0');
  });

  it('a folder that is no layout: IMAGE_NOT_FOUND', async () => {
    const { result } = await exportFails(['--image', `oci:${root}`]);
    refused(result, 'IMAGE_NOT_FOUND', 3);
  });

  it('--images-from: comments and blank lines skipped, a bad line reported with its number', async () => {
    const list = join(root, 'images.txt');
    await writeFile(list, `# release 1.0\n\noci:${built.dir}:app-1.0\n  not-a-reference  \n`);
    const { result, out } = await exportFails(['--images-from', list]);
    refused(result, 'IMAGE_SOURCE_INVALID', 2);
    expect(result.stderr).toContain('line 4');
    expect(result.stderr).toContain('Correct line 4 of the --images-from file');
    await nothingLeft(out);

    await writeFile(list, `# release 1.0\n\n   oci:${built.dir}:app-1.0   \n# oci:${built.dir}:tool-1.0\n`);
    const good = await station.run(['export', '--out', out, '--name', 'listed', '--passphrase-file', station.passFile, '--images-from', list]);
    expect(good.code, describeResult(good)).toBe(0);
    expect(good.stdout).toContain('image layout:app-1.0');
    expect(good.stdout).not.toContain('tool-1.0');
  });

  it('--platform that is not OS/ARCH: IMAGE_SOURCE_INVALID with the platform hint', async () => {
    const { result } = await exportFails(['--image', `oci:${built.dir}:tool-1.0`, '--platform', 'amd64']);
    refused(result, 'IMAGE_SOURCE_INVALID', 2);
    expect(result.stderr).toContain('Give --platform as OS/ARCH');
  });

  it('a selected folder named oci (any case) beside images: SOURCE_NAME_CONFLICT', async () => {
    const folder = join(await makeTemp('airlock-img-sel-'), 'OCI');
    await mkdir(folder);
    await writeFile(join(folder, 'index.json'), '{}');
    const { result, out } = await exportFails([folder, '--image', `oci:${built.dir}:app-1.0`]);
    refused(result, 'SOURCE_NAME_CONFLICT', 3);
    await nothingLeft(out);
  });
});

describe('damaged sources: IMAGE_SOURCE_CORRUPT, nothing published', () => {
  it('a layer with one byte flipped (same size): caught by the export hashing pass, no bundle', async () => {
    const dir = await layoutCopy();
    const path = join(dir, 'blobs', 'sha256', largestBlob());
    const bytes = await readFile(path);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    await writeFile(path, bytes);
    const { result, out } = await exportFails(['--image', `oci:${dir}:app-1.0`, '--image', `oci:${dir}:tool-1.0`]);
    refused(result, 'IMAGE_SOURCE_CORRUPT', 3);
    expect(result.stderr).toContain(`not to its name sha256:${largestBlob()}`);
    await nothingLeft(out);
  });

  it('a missing blob', async () => {
    const dir = await layoutCopy();
    await rm(join(dir, 'blobs', 'sha256', largestBlob()));
    const { result, out } = await exportFails(['--image', `oci:${dir}:app-1.0`, '--image', `oci:${dir}:tool-1.0`]);
    refused(result, 'IMAGE_SOURCE_CORRUPT', 3);
    await nothingLeft(out);
  });

  it('a blob of another size than its descriptor', async () => {
    const dir = await layoutCopy();
    await truncate(join(dir, 'blobs', 'sha256', largestBlob()), 100);
    const { result, out } = await exportFails(['--image', `oci:${dir}:app-1.0`, '--image', `oci:${dir}:tool-1.0`]);
    refused(result, 'IMAGE_SOURCE_CORRUPT', 3);
    await nothingLeft(out);
  });

  it('a blob that is a symbolic link (to a file outside the layout)', async () => {
    const dir = await layoutCopy();
    const path = join(dir, 'blobs', 'sha256', largestBlob());
    const outside = join(root, 'outside.bin');
    await cp(path, outside);
    await rm(path);
    await symlink(outside, path);
    const { result, out } = await exportFails(['--image', `oci:${dir}:app-1.0`, '--image', `oci:${dir}:tool-1.0`]);
    refused(result, 'IMAGE_SOURCE_CORRUPT', 3);
    await nothingLeft(out);
  });

  it('an index.json that is not JSON, and a manifest whose bytes do not match its digest', async () => {
    const dir = await layoutCopy();
    await writeFile(join(dir, 'index.json'), '{"schemaVersion":2,');
    refused((await exportFails(['--image', `oci:${dir}:app-1.0`])).result, 'IMAGE_SOURCE_CORRUPT', 3);

    const again = await layoutCopy();
    const manifest = join(again, 'blobs', 'sha256', built.images[0]!.descriptor.digest.slice(7));
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.replace('"schemaVersion":2', '"schemaVersion":2 '.trim()).replace(/.$/u, ' '));
    const { result, out } = await exportFails(['--image', `oci:${again}:app-1.0`]);
    refused(result, 'IMAGE_SOURCE_CORRUPT', 3);
    await nothingLeft(out);
  });
});

describe('the two-pass export (a GnuPG signer) checks blobs the same way', () => {
  it('exports images signed by GnuPG, and refuses a flipped layer with IMAGE_SOURCE_CORRUPT', async () => {
    const gnupg = await GnupgHome.create();
    try {
      const fpr = gnupg.generateKey('Smartcard Operator <card@example.org>');
      const env = { GNUPGHOME: gnupg.dir };
      const out = await makeTemp('airlock-img-gpg-out-');
      const good = await station.run(['export', '--out', out, '--name', 'gpg', '--signer', `gpg:${fpr}`, '--image', `oci:${built.dir}:app-1.0`], { env });
      expect(good.code, describeResult(good)).toBe(0);
      expect(good.stdout).toContain('image layout:app-1.0');

      const dir = await layoutCopy();
      const path = join(dir, 'blobs', 'sha256', largestBlob());
      const bytes = await readFile(path);
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      await writeFile(path, bytes);
      const badOut = await makeTemp('airlock-img-gpg-out-');
      const bad = await station.run(['export', '--out', badOut, '--signer', `gpg:${fpr}`, '--image', `oci:${dir}:app-1.0`, '--image', `oci:${dir}:tool-1.0`], {
        env,
      });
      refused(bad, 'IMAGE_SOURCE_CORRUPT', 3);
      await nothingLeft(badOut);
    } finally {
      await gnupg.close();
    }
  });
});
