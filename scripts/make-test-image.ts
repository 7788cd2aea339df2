/**
 * Writes a reproducible OCI image layout for trying Airlock's image transfer (README, operator
 * guide) and for the bench, with no network: two images sharing a base layer, one of them for two
 * platforms, one with a signature-like referrer. Same arguments, same digests, on every machine.
 *
 *   node --import tsx scripts/make-test-image.ts OUT_DIR [--layer-mib N] [--no-gzip]
 *
 * Then: airlock export --image oci:OUT_DIR:app-1.0 ...
 */
import { buildTestLayout, defaultTestImages } from '../test/helpers/oci-test-image.js';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
if (!out) {
  process.stderr.write('usage: node --import tsx scripts/make-test-image.ts OUT_DIR [--layer-mib N] [--no-gzip]\n');
  process.exit(2);
}
const mibAt = args.indexOf('--layer-mib');
const layerBytes = mibAt >= 0 ? Math.round(Number(args[mibAt + 1]) * 1024 * 1024) : 256 * 1024;
if (!Number.isFinite(layerBytes) || layerBytes <= 0) {
  process.stderr.write('--layer-mib takes a positive number\n');
  process.exit(2);
}
const spec = { ...defaultTestImages(layerBytes), compression: args.includes('--no-gzip') ? ('none' as const) : ('gzip' as const) };
const built = await buildTestLayout(out, spec);
for (const image of built.images) process.stdout.write(`${image.refName}\t${image.descriptor.digest}\t${image.descriptor.mediaType}\n`);
