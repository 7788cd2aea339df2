/** Shared steps of the image export tests: export with images, unpack, read the bundle's layout. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ImagesFile } from '../../../electron/core/oci/images-file.js';
import { describeResult, parseJson, type CliResult } from '../../helpers/cli-runner.js';
import type { ExportJson, TestStation } from '../../helpers/station.js';
import { mustRun } from '../../helpers/tools.js';

export interface ImageExport {
  result: CliResult;
  json: ExportJson & { bundle: ExportJson['bundle'] & { images?: { storedBlobs: number; skippedBlobs: number; skippedBytes: number } } };
}

/** `airlock export --json --out OUT --name NAME ARGS` that must succeed. */
export async function exportImages(station: TestStation, out: string, name: string, args: readonly string[]): Promise<ImageExport> {
  const result = await station.run(['export', '--out', out, '--name', name, '--passphrase-file', station.passFile, '--json', ...args]);
  expect(result.code, describeResult(result)).toBe(0);
  return { result, json: parseJson(result) };
}

/** `tar -xf` into `dir`; returns the bag folder. */
export function unpack(bundle: string, dir: string, name: string): string {
  mustRun('tar', ['-xf', bundle, '-C', dir]);
  return join(dir, name);
}

export async function imagesFile(bag: string): Promise<ImagesFile> {
  return JSON.parse(await readFile(join(bag, 'data', 'oci', 'airlock-images.json'), 'utf8')) as ImagesFile;
}

export async function blobNames(bag: string): Promise<string[]> {
  return (await readdir(join(bag, 'data', 'oci', 'blobs', 'sha256'))).sort();
}

/** `sha256sum -c` of the payload manifest inside the bag passes (anyone can check the bundle without Airlock). */
export function sha256sumPasses(bag: string): void {
  mustRun('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], { cwd: bag });
}

/** The digest of the manifest skopeo reads from `oci:DIR:REF`. */
export function skopeoDigest(layoutDir: string, ref: string): string {
  const raw = mustRun('skopeo', ['inspect', '--raw', `oci:${layoutDir}:${ref}`]).stdout;
  return `sha256:${mustRun('sha256sum', [], { input: raw }).stdout.split(' ')[0] ?? ''}`;
}
