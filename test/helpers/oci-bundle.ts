/**
 * Image bundles for the OCI security tests: the default test layout (buildTestLayout) as signed
 * bag payload under data/oci/, and a judge that runs a bundle through verify and import exactly
 * as the station does, so every hazard is shown to get the same codes from both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importBundle, type ImportResult } from '../../electron/core/import/import-bundle.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import type { CheckBundleResult } from '../../electron/core/verify/check-bundle.js';
import { signedBag, tarOf, type BagPayloadFile } from './hostile-tar.js';
import { layoutPayload } from './oci-images-file.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout, type TestLayoutSpec } from './oci-test-image.js';
import { openJudge, type Judge } from './verify-and-import.js';
import { verifyBothWays } from './verify-both-ways.js';

export interface OciFixture {
  judge: Judge;
  layout: BuiltLayout;
  /** A fresh copy of the layout's payload (with its airlock-images.json), in bundle order. */
  payload(): Promise<BagPayloadFile[]>;
  /** A signed bundle of `files` (plus `extra` plain files), written under the judge's root. */
  bundle(files: BagPayloadFile[], extra?: BagPayloadFile[]): Promise<string>;
  /** Codes from verify and from import of `files` (both must refuse). */
  codes(files: BagPayloadFile[], limits?: Partial<BundleLimits>): Promise<{ verify: string[]; import: string[] }>;
  verify(files: BagPayloadFile[]): Promise<CheckBundleResult>;
  import(files: BagPayloadFile[]): Promise<ImportResult>;
  close(): Promise<void>;
}

export async function openOciFixture(spec: TestLayoutSpec = defaultTestImages(4096)): Promise<OciFixture> {
  const judge = await openJudge('airlock-oci-');
  const source = await mkdtemp(join(tmpdir(), 'airlock-oci-layout-'));
  const layout = await buildTestLayout(join(source, 'layout'), spec);
  const base = await layoutPayload(layout);
  const fixture: OciFixture = {
    judge,
    layout,
    payload: () => Promise.resolve(base.map((f) => ({ ...f }))),
    async bundle(files, extra = []) {
      const all = [...extra, ...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
      const bag = await signedBag(judge.signer, all);
      return judge.write(tarOf([...bag.tagEntries, ...bag.payloadEntries]));
    },
    async codes(files, limits) {
      const bundlePath = await fixture.bundle(files);
      const all = { ...DEFAULT_LIMITS, ...limits };
      return { verify: await judge.verifyCodes(bundlePath, all), import: await judge.importCodes(bundlePath, all) };
    },
    async verify(files) {
      // Both passes, sequential and parallel, must report the same (verify-both-ways.ts).
      return verifyBothWays({ bundlePath: await fixture.bundle(files), trusted: [judge.signer.trusted], reportNames: DEFAULT_POLICY.names });
    },
    async import(files) {
      return importBundle({
        bundlePath: await fixture.bundle(files),
        destDir: await judge.destination(),
        trusted: [judge.signer.trusted],
        policy: DEFAULT_POLICY,
        db: judge.db,
        operator: 'tester',
      });
    },
    async close() {
      await judge.close();
      await rm(source, { recursive: true, force: true });
    },
  };
  return fixture;
}

/**
 * Verify and import both refuse with exactly `codes`; with `message` or `path`, every problem verify
 * reports must match them (so a case is refused by the rule it is about, not by another one).
 */
export async function expectRefused(
  fixture: OciFixture,
  files: BagPayloadFile[],
  codes: string[],
  options: { limits?: Partial<BundleLimits>; message?: RegExp; path?: string } = {},
): Promise<void> {
  const right = [...codes].sort();
  expect(await fixture.codes(files, options.limits)).toEqual({ verify: right, import: right });
  if (options.message === undefined && options.path === undefined) return;
  const { problems } = await fixture.verify(files);
  for (const p of problems) {
    if (options.message) expect(p.message).toMatch(options.message);
    if (options.path !== undefined) expect(p.path).toBe(options.path);
  }
}
