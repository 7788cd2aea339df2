/**
 * Images and charts in the IPC contract (issue #15): what the operator asks for on export, the
 * registry target of an import, and the image summaries and push results the jobs return.
 * Every string and array is bounded; the shape checks are shared/image-input.ts's.
 */
import { z } from 'zod';
import { PUSH_OUTCOMES, type ExportedImages, type ImagePushResult, type ImageSummary } from '../images.js';
import { IMAGE_REFERENCE_MAX, imageReferenceProblem, PLATFORM_PATTERN, REGISTRY_TARGET_MAX, registryTargetProblem } from '../image-input.js';
import { inSync, PathString, type Same } from './common.js';

/** Images one export may name one by one (a release set of dozens; a list file for more). */
export const IMAGES_PER_EXPORT_MAX = 1000;

export const ImageReferenceSchema = z
  .string()
  .min(1)
  .max(IMAGE_REFERENCE_MAX)
  .refine((ref) => imageReferenceProblem(ref) === null, { message: 'not an image reference' });

export const PlatformSchema = z.string().max(200).regex(PLATFORM_PATTERN);

/** The image part of an export request (ExportRequest.images, imagesFrom, platforms, charts, skipBlobsIn). */
export const ExportImagesFields = {
  images: z.array(ImageReferenceSchema).max(IMAGES_PER_EXPORT_MAX).optional(),
  imagesFrom: PathString.optional(),
  /** Absent: every platform of a multi-platform image. */
  platforms: z.array(PlatformSchema).min(1).max(32).optional(),
  charts: z.array(PathString).max(IMAGES_PER_EXPORT_MAX).optional(),
  skipBlobsIn: PathString.optional(),
};

/**
 * Where an import pushes the bundle's images. The password travels to the job and no further:
 * no response, job snapshot, event or log carries it.
 */
export const PushTargetSchema = z
  .strictObject({
    /** `HOST[:PORT][/PREFIX]`, as `--push-to` takes it. */
    registry: z
      .string()
      .min(1)
      .max(REGISTRY_TARGET_MAX)
      .refine((t) => registryTargetProblem(t) === null, { message: 'not HOST[:PORT][/PREFIX]' }),
    /** Plain HTTP: the engine allows it for a loopback registry only (--insecure-registry). */
    insecure: z.boolean(),
    caFile: PathString.optional(),
    username: z.string().min(1).max(256).optional(),
    password: z.string().min(1).max(4096).optional(),
  })
  .refine((t) => (t.username === undefined) === (t.password === undefined), { message: 'user name and password go together', path: ['password'] });
export type PushTargetRequest = z.infer<typeof PushTargetSchema>;

const Digest = z.string().max(100);

export const ImageSummarySchema = z.object({
  kind: z.enum(['image', 'chart']),
  source: z.string().max(IMAGE_REFERENCE_MAX),
  repository: z.string().max(255),
  tag: z.string().max(128).nullable(),
  digest: Digest,
  mediaType: z.string().max(255),
  size: z.number(),
  platforms: z.array(z.object({ os: z.string().max(64), architecture: z.string().max(64), variant: z.string().max(64).optional(), digest: Digest })).max(64),
  referrers: z.array(Digest).max(1024),
});

export const ImagePushResultSchema = z.object({
  repository: z.string().max(512),
  tag: z.string().max(128).nullable(),
  digest: Digest,
  outcome: z.enum(PUSH_OUTCOMES),
  blobs: z.object({ uploaded: z.number(), mounted: z.number(), skipped: z.number() }),
  bytesSent: z.number(),
  errorCode: z.string().max(128).optional(),
  message: z.string().max(4096).optional(),
});

/** What an export that carried images says of them (core's ExportedImages). */
export const ExportedImagesSchema = z.object({
  images: z.array(ImageSummarySchema).max(4096),
  chartImages: z.array(z.object({ chart: z.string().max(4096), images: z.array(z.string().max(1024)).max(1024) })).max(4096),
  storedBlobs: z.number(),
  skippedBlobs: z.number(),
  skippedBytes: z.number(),
});

inSync<Same<z.infer<typeof ExportedImagesSchema>, ExportedImages>>();
inSync<Same<z.infer<typeof ImageSummarySchema>, ImageSummary>>();
inSync<Same<z.infer<typeof ImagePushResultSchema>, ImagePushResult>>();
