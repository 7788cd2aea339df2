/**
 * `data/oci/airlock-images.json`: what the sender meant to send (docs/bundle-format.md §15). The
 * payload's BagIt manifest covers it like every other file, so it is as trustworthy as the
 * signature; the OCI graph check (verify) proves it agrees with index.json and the blobs.
 */
import { z } from 'zod';
import { onFirstUse } from '../on-first-use.js';
import { SHA256_DIGEST } from './layout-format.js';
import { REPOSITORY_NAME, TAG_NAME } from './name-patterns.js';

/**
 * The schemas, built when a bundle with images is first checked or written (onFirstUse): verify and
 * import of every other bundle import this module through the OCI graph check, and a schema built at
 * module load would make each of them load zod (docs/design-notes.md, "CLI start-up, round 4").
 */
function buildSchemas() {
  const digest = z.string().regex(SHA256_DIGEST);
  const mediaType = z.string().min(1).max(255);

  const IMAGE_PLATFORM = z.strictObject({
    os: z.string().min(1).max(64),
    architecture: z.string().min(1).max(64),
    variant: z.string().min(1).max(64).optional(),
    digest,
  });

  const IMAGE_ENTRY = z.strictObject({
    kind: z.enum(['image', 'chart']),
    source: z.string().min(1).max(4096),
    repository: z.string().max(255).regex(REPOSITORY_NAME),
    tag: z.string().regex(TAG_NAME).nullable(),
    digest,
    mediaType,
    size: z.number().int().nonnegative(),
    platforms: z.array(IMAGE_PLATFORM).max(64),
    referrers: z.array(digest).max(1024),
    /** Charts: images the chart's values name, so the operator can add them (information only). */
    chartImages: z.array(z.string().max(1024)).max(1024).optional(),
  });

  /** A blob left out of the bundle because a signed receipt said the far registry holds it (--skip-blobs-in). */
  const EXPECTED_PRESENT_BLOB = z.strictObject({
    digest,
    size: z.number().int().nonnegative(),
    mediaType,
    /** Repository the receipt saw it in (where import looks for it, and mounts it from). */
    repository: z.string().max(255).regex(REPOSITORY_NAME),
  });

  const IMAGES_FILE = z.strictObject({
    airlockImages: z.literal(1),
    images: z.array(IMAGE_ENTRY).min(1).max(4096),
    expectedPresent: z.array(EXPECTED_PRESENT_BLOB).max(100_000),
  });
  return { entry: IMAGE_ENTRY, expectedPresent: EXPECTED_PRESENT_BLOB, file: IMAGES_FILE };
}

type Schemas = ReturnType<typeof buildSchemas>;
const schemas = onFirstUse(buildSchemas);

/** The descriptor's schema (the same schema every time it is asked for). */
export const imagesFileSchema = (): Schemas['file'] => schemas().file;

export type ImagesFile = z.infer<Schemas['file']>;
export type ImageEntry = z.infer<Schemas['entry']>;
export type ExpectedPresentBlob = z.infer<Schemas['expectedPresent']>;

export { REPOSITORY_NAME, TAG_NAME };

/** The descriptor file is small: refused above this many bytes before it is parsed. */
export const IMAGES_FILE_MAX_BYTES = 4 * 1024 * 1024;
