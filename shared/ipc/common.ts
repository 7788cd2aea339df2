/**
 * The building blocks every domain of the IPC contract uses (shared/ipc.ts composes the domains
 * into the one channel table): bounded strings, error and problem shapes, progress, and the
 * helpers that keep a schema and the core type it describes from drifting apart.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { PROBLEM_CODES, type Problem } from '../problems.js';
import { PROGRESS_PHASES, type Progress } from '../progress.js';

/** A path chosen by the operator. Bounded so a runaway renderer cannot send megabytes of path. */
export const PathString = z.string().min(1).max(4096);
/** A fingerprint as the operator may type it (grouped, with colons). The pattern bounds it too; the max says so where every bound is checked. */
export const Fingerprint = z
  .string()
  .max(100)
  .regex(/^[0-9A-Fa-f\s:]{40,100}$/u);

export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);
export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  detail: z.string().optional(),
  path: z.string().optional(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type IpcError = z.infer<typeof ErrorInfoSchema>;

export const ProgressSchema = z.object({
  phase: z.enum(PROGRESS_PHASES),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  filesDone: z.number(),
  filesTotal: z.number().nullable(),
  rateBytesPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  jobEtaSeconds: z.number().nullable().optional(),
  item: z.string().max(1024).optional(),
  itemsPerSecond: z.number().nullable().optional(),
});

export const ProblemSchema = z.object({
  code: z.enum(PROBLEM_CODES),
  path: z.string().optional(),
  message: z.string(),
  /** Content inspection: the archive members inside `path`, outer to inner (bounded: nesting is at most 32 deep). */
  members: z.array(z.string().max(8192)).max(64).optional(),
});

/** A job was started: its id, for progress events and the job list. */
export const JobStarted = z.object({ jobId: z.string() });
/** A request that carries nothing (still a strict object: an unknown key is malformed). */
export const NoRequest = z.strictObject({});

/** One domain's block of the channel table: the method name on `window.airlock` is the key. */
export type ChannelBlock = Record<string, { channel: `airlock:${string}`; request: z.ZodType; response: z.ZodType }>;

// The schemas describe the types core returns (shared/results.ts, progress.ts, problems.ts, ...);
// these fail to compile when the two drift apart. Each domain file checks its own.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const inSync = <T extends true>(): T | undefined => undefined;
inSync<Same<z.infer<typeof ProgressSchema>, Progress>>();
inSync<Same<z.infer<typeof ProblemSchema>, Problem>>();
