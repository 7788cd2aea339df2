/** What verifying a bundle reports (core's VerifyResult): signers, the bundle, problems, per-file results, policy findings. */
import { z } from 'zod';
import { PROBLEM_CODES } from '../problems.js';
import { FILE_OUTCOMES, POLICY_CHECKS, type BundleSummary, type FileResults, type PolicySummary, type SignerInfo, type VerifyResult } from '../results.js';
import { inSync, ProblemSchema, type Same } from './common.js';
import { ImageSummarySchema } from './images.js';
import { InspectionSummarySchema } from './inspection.js';

export const SignerInfoSchema = z.object({
  fingerprint: z.string(),
  userIds: z.array(z.string()),
  label: z.string().nullable(),
  role: z.string().nullable(),
  signedAt: z.string(),
});

export const BundleSummarySchema = z.object({
  name: z.string().nullable(),
  path: z.string(),
  uuid: z.string().nullable(),
  station: z.string().nullable(),
  operator: z.string().nullable(),
  sequence: z.number().nullable(),
  created: z.string().nullable(),
  files: z.number(),
  bytes: z.number(),
  tagmanifestSha256: z.string().nullable(),
});

const FileOutcomeSchema = z.enum(FILE_OUTCOMES);
const OutcomeCounts = z.object(Object.fromEntries(FILE_OUTCOMES.map((o) => [o, z.number()])) as { [K in (typeof FILE_OUTCOMES)[number]]: z.ZodNumber });

/** Per-file results; core bounds `listed` (FileResults.cap), and so does this schema, with room to spare. */
export const FileResultsSchema = z.object({
  listed: z.array(z.object({ path: z.string(), size: z.number().nullable(), outcome: FileOutcomeSchema, code: z.enum(PROBLEM_CODES).nullable() })).max(20_000),
  counts: OutcomeCounts,
  cap: z.object({ ok: z.number(), failed: z.number() }),
  omitted: z.object({ ok: z.number(), failed: z.number() }),
  notChecked: z.number(),
  complete: z.boolean(),
});

export const PolicySummarySchema = z.object({
  findings: z.array(
    z.object({
      check: z.enum(POLICY_CHECKS),
      outcome: z.enum(['pass', 'fail', 'not-checked']),
      rule: z.string(),
      detail: z.string(),
      code: z.enum(PROBLEM_CODES).nullable(),
      refusedBy: z.enum(['verify', 'import']),
    }),
  ),
});

export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  /** Images and charts the bundle carries (docs/bundle-format.md §15); absent when none. */
  images: z.array(ImageSummarySchema).max(4096).optional(),
  /** Content inspection (issue #16): present when the station's policy has an `inspect` section. */
  inspection: InspectionSummarySchema.optional(),
  bundle: BundleSummarySchema,
  signers: z.array(SignerInfoSchema),
  problems: z.array(ProblemSchema),
  files: FileResultsSchema,
  policy: PolicySummarySchema,
  parts: z
    .object({
      count: z.number(),
      volumes: z.number(),
      indexFiles: z.array(z.string()),
      files: z.array(z.object({ file: z.string(), volume: z.number(), path: z.string().nullable() })),
    })
    .optional(),
});
export type VerifyReport = z.infer<typeof VerifyResultSchema>;

inSync<Same<z.infer<typeof SignerInfoSchema>, SignerInfo>>();
inSync<Same<z.infer<typeof BundleSummarySchema>, BundleSummary>>();
inSync<Same<z.infer<typeof FileResultsSchema>, FileResults>>();
inSync<Same<z.infer<typeof PolicySummarySchema>, PolicySummary>>();
inSync<Same<z.infer<typeof VerifyResultSchema>, VerifyResult>>();
