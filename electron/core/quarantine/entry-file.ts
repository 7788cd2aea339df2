/**
 * entry.json of one quarantined bundle (shared/inspection.ts QuarantineEntry), read strictly: the
 * file lives in the station home, but a damaged or edited one must fail with a clear error rather
 * than let a release run on guesses.
 */
import { z } from 'zod';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import { PROBLEM_CODES } from '../../../shared/problems.js';
import { onFirstUse } from '../on-first-use.js';

/** Built when an entry is first read (onFirstUse): at module load it made every import load zod. */
const entrySchema = onFirstUse(() => {
  const ReleaseDecisionSchema = z
    .object({
      operator: z.string(),
      reason: z.string(),
      at: z.string(),
      fingerprint: z.string().nullable().optional(),
    })
    .strict();

  const QuarantineEntrySchema = z
    .object({
      id: z.string(),
      quarantinedAt: z.string(),
      bundleName: z.string(),
      tagmanifestSha256: z.string().nullable(),
      bytes: z.number().int().min(0),
      codes: z.array(z.enum(PROBLEM_CODES)),
      findingCounts: z.partialRecord(z.enum(PROBLEM_CODES), z.number().int().min(0)).optional(),
      signers: z.array(z.string()),
      status: z.enum(['held', 'released', 'purged']),
      releases: z.array(ReleaseDecisionSchema),
      releasedTo: z.string().nullable(),
    })
    .strict();
  return QuarantineEntrySchema;
});

export function parseEntry(json: unknown): QuarantineEntry | null {
  const parsed = entrySchema().safeParse(json);
  if (!parsed.success) return null;
  const { releases, ...rest } = parsed.data;
  return { ...rest, releases: releases.map((r) => ({ operator: r.operator, reason: r.reason, at: r.at, fingerprint: r.fingerprint ?? null })) };
}
