/**
 * The `registry` section of a signed import receipt (issue #15.4/#15.5): what the push did per
 * image, and every blob the receiving registry holds once the import is done. The far side's
 * `airlock export --skip-blobs-in RECEIPT.json` reads `blobsPresent` (after checking the receipt's
 * signature against a trusted key) to leave those blobs out of the next bundle.
 */
import { z } from 'zod';
import { PUSH_OUTCOMES } from '../../../shared/images.js';
import { REPOSITORY_NAME, TAG_NAME } from './images-file.js';
import { SHA256_DIGEST } from './layout-format.js';
import { onFirstUse } from '../on-first-use.js';

/** The section's schema, built when first asked for (onFirstUse): at module load it made every export load zod. */
export const receiptRegistrySection = onFirstUse(() => {
  const digest = z.string().regex(SHA256_DIGEST);

  const RECEIPT_PUSH_RESULT = z.strictObject({
    repository: z.string().max(255).regex(REPOSITORY_NAME),
    tag: z.string().regex(TAG_NAME).nullable(),
    digest,
    outcome: z.enum(PUSH_OUTCOMES),
    blobs: z.strictObject({ uploaded: z.number().int().nonnegative(), mounted: z.number().int().nonnegative(), skipped: z.number().int().nonnegative() }),
    bytesSent: z.number().int().nonnegative(),
    errorCode: z.string().max(128).optional(),
    message: z.string().max(4096).optional(),
  });

  const RECEIPT_REGISTRY_SECTION = z.strictObject({
    /** `HOST[:PORT][/PREFIX]` as given to --push-to. */
    target: z.string().min(1).max(1024),
    images: z.array(RECEIPT_PUSH_RESULT).max(4096),
    /** Blobs of images that ended pushed or already present: the registry holds them now. Repository is the full path (prefix included). */
    blobsPresent: z
      .array(
        z.strictObject({
          digest,
          size: z.number().int().nonnegative(),
          mediaType: z.string().min(1).max(255),
          repository: z.string().max(255).regex(REPOSITORY_NAME),
        }),
      )
      .max(1_000_000),
  });
  return RECEIPT_REGISTRY_SECTION;
});

export type ReceiptRegistrySection = z.infer<ReturnType<typeof receiptRegistrySection>>;
