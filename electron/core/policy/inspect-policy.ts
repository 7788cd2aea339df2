/**
 * The `inspect` section of policy.json (issue #16.1; docs/inspection.md): what content inspection
 * takes, refuses or only warns about, on the receiving side. Validated like the rest of the policy:
 * unknown fields are refused, a mistake is CONFIG_INVALID naming the field. Absent section: no
 * inspection (as before #16). Present section: every rule below has a fail-closed default.
 *
 * The names `inspect`, `scan`, `clamd` (`unix:/path` or `tcp:HOST:PORT`) are a contract other
 * tools rely on: keep them exactly.
 */
import { z } from 'zod';
import { onFirstUse } from '../on-first-use.js';
import { parseSizeText } from '../../../shared/size.js';

/** What a rule does when it matches: `refuse` (a finding: the bundle is refused), `warn` (reported, taken), `allow` (silent). */
export type RuleAction = 'refuse' | 'warn' | 'allow';

/** `unix:/absolute/path.sock` or `tcp:HOST:PORT` (these spellings are the contract). */
export const CLAMD_ADDRESS = /^(unix:\/[^\0]*|tcp:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5})$/u;

/**
 * policy.json's `inspect` schema, built on first use (on-first-use.ts): verify and import load this
 * module for the types and defaults, and need the schema only when policy.json exists.
 */
export const inspectPolicySchema = onFirstUse(() => {
  const count = z.number().int().positive();
  const byteCount = z.preprocess((value) => (typeof value === 'string' ? (parseSizeText(value) ?? value) : value), count);

  const ruleAction = z.enum(['refuse', 'warn', 'allow']) satisfies z.ZodType<RuleAction>;

  /** A detected type: `application/pdf`, or a family `image/*`. */
  const typePattern = z.string().regex(/^[a-z0-9][a-z0-9.+-]*\/(\*|[a-z0-9][a-z0-9.+-]*)$/u, 'a media type such as application/pdf or image/*');
  /** An extension, lower case, without the dot: `pdf`, `tar.gz`. */
  const extension = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,15}(\.[a-z0-9][a-z0-9_-]{0,15})?$/u, 'an extension in lower case without the dot, such as pdf');

  const CommandScannerSchema = z
    .object({
      /** Program and arguments; `{}` in an argument is replaced by the path of the file to scan. */
      argv: z.array(z.string().min(1)).min(1),
      cleanExitCodes: z.array(z.number().int().min(0).max(255)).min(1),
      infectedExitCodes: z.array(z.number().int().min(0).max(255)).min(1),
    })
    .strict();

  return z
    .object({
      types: z
        .object({
          /** Detected types taken; absent: every type not denied. */
          allow: z.array(typePattern),
          /** Detected types refused (wins over allow). */
          deny: z.array(typePattern),
          allowExtensions: z.array(extension),
          denyExtensions: z.array(extension),
          /** Extension says one type, content another. Default refuse. */
          onMismatch: ruleAction,
          /** Content matches no known signature (plain text, many text formats). Default allow: text is the common case. */
          onUndetected: ruleAction,
          /** Office documents with a VBA project. Default refuse. */
          macros: ruleAction,
        })
        .partial()
        .strict(),
      archives: z
        .object({
          /** Open zip, tar and gzip members and inspect each (default true). */
          expand: z.boolean(),
          /** Archives inside archives: 1 = only the outer one is opened. Default 5. */
          maxDepth: count.max(32),
          /** Members of one payload file's archive tree together. Default 10,000. */
          maxEntries: count,
          /** Expanded bytes of one payload file's archive tree together. Default 4 GiB. */
          maxExpandedBytes: byteCount,
          /** Expanded bytes per compressed byte, per archive. Default 100. */
          maxRatio: count.max(100_000),
          /** Encrypted members or archives. Default refuse. */
          encrypted: ruleAction,
          /** Archives Airlock cannot open safely (7z, rar, damaged). Default refuse. */
          unreadable: ruleAction,
        })
        .partial()
        .strict(),
      scan: z
        .object({
          clamd: z.string().regex(CLAMD_ADDRESS, 'unix:/path/to/clamd.sock or tcp:HOST:PORT'),
          command: CommandScannerSchema,
          /** One file's scan may take this long. Default 120. */
          timeoutSeconds: count.max(86_400),
          /** Refuse (or warn, below) when the database is older. Default 7. */
          maxDatabaseAgeDays: count.max(3650),
          onStaleDatabase: z.enum(['refuse', 'warn']),
          /** A scan error, limit or timeout for one file. Default refuse (fail closed). */
          onError: z.enum(['refuse', 'warn']),
          /** Where the scanner's database files live (headers read when clamd's VERSION is silent; feeds install here). */
          databaseDir: z.string().regex(/^\//u, 'an absolute path'),
        })
        .partial()
        .strict()
        .refine((scan) => (scan.clamd === undefined) !== (scan.command === undefined), 'name exactly one scanner: clamd or command'),
      quarantine: z
        .object({
          /** Keep refused bundles (default true). */
          keep: z.boolean(),
          /** Operators who must approve a release: 1, or 2 for the two-person rule. Default 1. */
          releaseApprovals: z.number().int().min(1).max(2),
        })
        .partial()
        .strict(),
    })
    .partial()
    .strict();
});

export type InspectPolicyFile = z.infer<ReturnType<typeof inspectPolicySchema>>;

export interface ScanPolicy {
  scanner: { kind: 'clamd'; address: string } | { kind: 'command'; argv: string[]; cleanExitCodes: number[]; infectedExitCodes: number[] };
  timeoutSeconds: number;
  maxDatabaseAgeDays: number;
  onStaleDatabase: 'refuse' | 'warn';
  onError: 'refuse' | 'warn';
  databaseDir: string | null;
}

export interface InspectPolicy {
  types: {
    allow: string[] | null;
    deny: string[];
    allowExtensions: string[] | null;
    denyExtensions: string[];
    onMismatch: RuleAction;
    onUndetected: RuleAction;
    macros: RuleAction;
  };
  archives: {
    expand: boolean;
    maxDepth: number;
    maxEntries: number;
    maxExpandedBytes: number;
    maxRatio: number;
    encrypted: RuleAction;
    unreadable: RuleAction;
  };
  scan: ScanPolicy | null;
  quarantine: { keep: boolean; releaseApprovals: 1 | 2 };
}

export const DEFAULT_ARCHIVE_LIMITS: InspectPolicy['archives'] = {
  expand: true,
  maxDepth: 5,
  maxEntries: 10_000,
  maxExpandedBytes: 4 * 1024 ** 3,
  maxRatio: 100,
  encrypted: 'refuse',
  unreadable: 'refuse',
};

/** The section as the station applies it; null when policy.json has no `inspect` section. */
export function resolveInspectPolicy(file: InspectPolicyFile | undefined): InspectPolicy | null {
  if (file === undefined) return null;
  const t = file.types ?? {};
  const a = file.archives ?? {};
  const s = file.scan;
  return {
    types: {
      allow: t.allow ?? null,
      deny: t.deny ?? [],
      allowExtensions: t.allowExtensions ?? null,
      denyExtensions: t.denyExtensions ?? [],
      onMismatch: t.onMismatch ?? 'refuse',
      onUndetected: t.onUndetected ?? 'allow',
      macros: t.macros ?? 'refuse',
    },
    archives: {
      expand: a.expand ?? DEFAULT_ARCHIVE_LIMITS.expand,
      maxDepth: a.maxDepth ?? DEFAULT_ARCHIVE_LIMITS.maxDepth,
      maxEntries: a.maxEntries ?? DEFAULT_ARCHIVE_LIMITS.maxEntries,
      maxExpandedBytes: a.maxExpandedBytes ?? DEFAULT_ARCHIVE_LIMITS.maxExpandedBytes,
      maxRatio: a.maxRatio ?? DEFAULT_ARCHIVE_LIMITS.maxRatio,
      encrypted: a.encrypted ?? DEFAULT_ARCHIVE_LIMITS.encrypted,
      unreadable: a.unreadable ?? DEFAULT_ARCHIVE_LIMITS.unreadable,
    },
    scan:
      s === undefined
        ? null
        : {
            scanner: s.clamd !== undefined ? { kind: 'clamd', address: s.clamd } : { kind: 'command', ...(s.command as NonNullable<typeof s.command>) },
            timeoutSeconds: s.timeoutSeconds ?? 120,
            maxDatabaseAgeDays: s.maxDatabaseAgeDays ?? 7,
            onStaleDatabase: s.onStaleDatabase ?? 'refuse',
            onError: s.onError ?? 'refuse',
            databaseDir: s.databaseDir ?? null,
          },
    quarantine: { keep: file.quarantine?.keep ?? true, releaseApprovals: file.quarantine?.releaseApprovals === 2 ? 2 : 1 },
  };
}
