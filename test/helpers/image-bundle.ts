/**
 * A signed bundle carrying the images of a reproducible test layout (buildTestLayout), built the
 * way a sender would (signedBag over the layout as bag payload), and a receiving station that
 * trusts its signer: what the push tests import with --push-to.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImagesFile } from '../../electron/core/oci/images-file.js';
import { makeSigner, signedBag, tarOf, type BagPayloadFile, type TestSigner } from './hostile-tar.js';
import { describeResult } from './cli-runner.js';
import { imagesFileFor, layoutPayload } from './oci-images-file.js';
import { buildTestLayout, type BuiltLayout, type TestLayoutSpec } from './oci-test-image.js';
import { stationAt, type TestStation } from './station.js';

export interface ImageBundle {
  path: string;
  layout: BuiltLayout;
  images: ImagesFile;
}

export interface ImageBundleOptions {
  name?: string;
  /** Plain files beside the images (`data/...`). */
  files?: BagPayloadFile[];
  /** Change the descriptor (expected-present blobs ...) before signing. */
  editImages?: (images: ImagesFile) => ImagesFile;
  /** Change the payload before signing (drop a blob ...). */
  editPayload?: (files: BagPayloadFile[]) => BagPayloadFile[];
  /** Change a payload entry's bytes after signing (a tampered blob). */
  tamper?: { path: string; content: Buffer };
}

export async function buildImageBundle(dir: string, spec: TestLayoutSpec, signer: TestSigner, options: ImageBundleOptions = {}): Promise<ImageBundle> {
  const name = options.name ?? 'images';
  const layout = await buildTestLayout(join(dir, 'layout'), spec);
  const images = (options.editImages ?? ((i) => i))(await imagesFileFor(layout));
  let files = [...(options.files ?? []), ...(await layoutPayload(layout, images))];
  if (options.editPayload) files = options.editPayload(files);
  files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  const bag = await signedBag(signer, files, { name });
  const tamper = options.tamper;
  const payload = bag.payloadEntries.map((entry) => (tamper && entry.path === `${name}/${tamper.path}` ? { ...entry, body: tamper.content } : entry));
  const path = join(dir, `${name}.airlock.tar`);
  await writeFile(path, tarOf([...bag.tagEntries, ...payload]));
  return { path, layout, images };
}

/** A receiving station (no key of its own: receipts unsigned) that trusts `signer`. */
export async function receivingStation(root: string, signer: TestSigner): Promise<TestStation> {
  const station = stationAt(join(root, 'home'), join(root, 'unused-passphrase'));
  await mkdir(root, { recursive: true });
  const pub = join(root, 'sender.asc');
  await writeFile(pub, signer.publicKey.armor());
  const trusted = await station.run(['keys', 'trust', pub, '--fingerprint', signer.trusted.fingerprint]);
  if (trusted.code !== 0) throw new Error(`keys trust failed: ${describeResult(trusted)}`);
  return station;
}

export { makeSigner };
