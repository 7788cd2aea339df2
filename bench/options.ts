/**
 * Benchmark options: CLI flags win over environment variables, which win over defaults.
 * The defaults are the sizes the project's performance targets are stated for; smaller sizes
 * are for developing the bench itself, not for judging the targets.
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MANY_FILES } from './many-files.js';

export type DataSetName = 'large' | 'small';
/** What `--only` can pick. Data sets run first, in this order, then the other sections. */
export const SECTIONS = ['large', 'small', 'audit', 'media', 'many', 'images', 'inspect', 'inbox', 'forward', 'startup', 'huge'] as const;
/** Sections `npm run bench` runs without --only: all but the 20 GiB import, which needs ~2x its size in free disk. */
export const DEFAULT_SECTIONS: readonly SectionName[] = SECTIONS.filter((name) => name !== 'huge');
export type SectionName = (typeof SECTIONS)[number];

export interface BenchOptions {
  largeBytes: number;
  largeFiles: number;
  smallFiles: number;
  smallSize: number;
  /** Which data sets to run, in this order. */
  sets: DataSetName[];
  /** Whether to run the audit-log section. */
  audit: boolean;
  /** Events in the audit bench's station database. */
  auditEvents: number;
  /** Removable-media section (bench/media.ts; needs root): payload bytes, and the 4 GiB FAT32 run. */
  media: boolean;
  mediaBytes: number;
  fat32Big: boolean;
  /** Bundles of empty files (bench/many-files.ts): how many files in each. */
  many: boolean;
  manyFiles: number[];
  /** Container images (bench/images.ts): blob bytes of the image set. */
  images: boolean;
  imageBytes: number;
  /** Content inspection with clamd (bench/inspect.ts), on the large and small sets' sizes. */
  inspect: boolean;
  /** The unattended inbox (bench/inbox.ts): small bundles, large ones and their size, the import loop's sample. */
  inbox: boolean;
  inboxSmall: number;
  inboxLarge: number;
  inboxLargeBytes: number;
  inboxLoop: number;
  /** Audit forwarding to rsyslog over TLS (bench/forward.ts): how many events. */
  forward: boolean;
  forwardEvents: number;
  /** CLI start-up: `airlock keys list`, timed STARTUP_RUNS times (bench/startup.ts). */
  startup: boolean;
  /** One file of `hugeBytes` exported and imported with the progress line watched (bench/huge-import.ts). */
  huge: boolean;
  hugeBytes: number;
  /** The folder every temp file of every section goes under (the file system measured). */
  tmp: string;
  json: boolean;
  /** Also print the exact command lines measured (always in --json output). */
  commands: boolean;
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

export const USAGE = `Usage: npm run bench -- [options]

  --large-bytes SIZE   total size of the large set (env BENCH_LARGE_BYTES; default 1GiB)
  --large-files N      number of files in the large set (default 4)
  --small-files N      number of files in the small set (env BENCH_SMALL_FILES; default 20000)
  --small-size SIZE    size of each small file (default 4KiB)
  --audit-events N     events in the audit log bench (env BENCH_AUDIT_EVENTS; default 1000000)
  --only LIST          run only these sections, comma-separated: large, small, audit, media, many, images,
                       inspect (import with clamd inspection vs pipeline + clamdscan, on the large and small sizes),
                       inbox (airlock watch vs an airlock import loop; env BENCH_INBOX_SMALL, BENCH_INBOX_LARGE_BYTES,
                       BENCH_INBOX_LOOP: default 1000 small bundles, 4 x 256MiB, a loop over 100 of them),
                       forward (audit events to rsyslog over TLS),
                       startup (airlock keys list), huge (as --huge-import)
  --forward-events N   forward section: audit events delivered (env BENCH_FORWARD_EVENTS; default 100000)
  --image-bytes SIZE   images section: blob bytes of the image set (env BENCH_IMAGE_BYTES; default 1GiB)
  --many-files LIST    many section: bundles of this many empty files, comma-separated
                       (default 200000,999994: with the tag files and top folder, 1,000,000 entries)
  --tmp DIR            put every temp file of every section under DIR (env BENCH_TMP; default the OS temp dir,
                       $TMPDIR or /tmp): the file system the numbers are measured on
  --huge-import        also run the huge section: one file of --huge-bytes exported, then imported with the
                       progress line watched for stalls; needs about 2.1x that much free space under --tmp
  --huge-bytes SIZE    size of the huge section's file (default 20GiB)
  --media-bytes SIZE   payload of the removable-media section (needs root: loop devices; default 1GiB)
  --fat32-4g           media section: also export a bundle over 4 GiB onto FAT32 (fusefat) as parts
  --json               print one JSON object instead of tables
  --commands           also print the exact command lines that were measured
  -h, --help           show this help

SIZE is a byte count with an optional binary suffix: 64M, 64MiB, 1G, 4K (all powers of 1024).`;

/** Thrown for bad flags so run.ts can print usage and exit 2, like the airlock CLI does. */
export class UsageError extends Error {}

/** Binary suffixes only: mixing 1000- and 1024-based sizes in one bench makes throughputs lie. */
export function parseSize(text: string, what: string): number {
  const match = /^(\d+)\s*(?:([KMG])(?:i?B)?|B)?$/iu.exec(text.trim());
  if (!match?.[1]) throw new UsageError(`${what}: "${text}" is not a size (e.g. 1073741824, 64MiB, 1G).`);
  const unit = match[2]?.toUpperCase();
  const scale = unit === 'K' ? KIB : unit === 'M' ? MIB : unit === 'G' ? GIB : 1;
  return checkPositive(Number(match[1]) * scale, what, text);
}

function parseCount(text: string, what: string): number {
  if (!/^\d+$/u.test(text.trim())) throw new UsageError(`${what}: "${text}" is not a whole number.`);
  return checkPositive(Number(text), what, text);
}

function checkPositive(value: number, what: string, text: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${what}: "${text}" must be at least 1.`);
  return value;
}

/** Returns null when --help was asked for. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'large-bytes': { type: 'string' },
        'large-files': { type: 'string' },
        'small-files': { type: 'string' },
        'small-size': { type: 'string' },
        'audit-events': { type: 'string' },
        'media-bytes': { type: 'string' },
        'fat32-4g': { type: 'boolean', default: false },
        'many-files': { type: 'string' },
        'image-bytes': { type: 'string' },
        'forward-events': { type: 'string' },
        tmp: { type: 'string' },
        'huge-import': { type: 'boolean', default: false },
        'huge-bytes': { type: 'string' },
        only: { type: 'string' },
        json: { type: 'boolean', default: false },
        commands: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return null;

  const largeBytes = parseSize(v['large-bytes'] ?? env.BENCH_LARGE_BYTES ?? '1GiB', '--large-bytes');
  const largeFiles = parseCount(v['large-files'] ?? '4', '--large-files');
  if (largeFiles > largeBytes) throw new UsageError('--large-files may not exceed --large-bytes (every file needs at least one byte).');
  const smallFiles = parseCount(v['small-files'] ?? env.BENCH_SMALL_FILES ?? '20000', '--small-files');
  const smallSize = parseSize(v['small-size'] ?? '4KiB', '--small-size');

  const auditEvents = parseCount(v['audit-events'] ?? env.BENCH_AUDIT_EVENTS ?? '1000000', '--audit-events');

  const sections = v.only === undefined ? [...DEFAULT_SECTIONS, ...(v['huge-import'] ? (['huge'] as const) : [])] : parseSections(v.only);
  const sets = sections.filter((s): s is DataSetName => s === 'large' || s === 'small');
  const mediaBytes = parseSize(v['media-bytes'] ?? '1GiB', '--media-bytes');
  const manyFiles = v['many-files'] === undefined ? [...DEFAULT_MANY_FILES] : v['many-files'].split(',').map((n) => parseCount(n, '--many-files'));
  return {
    largeBytes,
    largeFiles,
    smallFiles,
    smallSize,
    sets,
    audit: sections.includes('audit'),
    auditEvents,
    media: sections.includes('media'),
    mediaBytes,
    fat32Big: v['fat32-4g'],
    many: sections.includes('many'),
    manyFiles,
    images: sections.includes('images'),
    imageBytes: parseSize(v['image-bytes'] ?? env.BENCH_IMAGE_BYTES ?? '1GiB', '--image-bytes'),
    inspect: sections.includes('inspect'),
    inbox: sections.includes('inbox'),
    inboxSmall: parseCount(env.BENCH_INBOX_SMALL ?? '1000', 'BENCH_INBOX_SMALL'),
    inboxLarge: 4,
    inboxLargeBytes: parseSize(env.BENCH_INBOX_LARGE_BYTES ?? '256MiB', 'BENCH_INBOX_LARGE_BYTES'),
    inboxLoop: parseCount(env.BENCH_INBOX_LOOP ?? '100', 'BENCH_INBOX_LOOP'),
    forward: sections.includes('forward'),
    forwardEvents: parseCount(v['forward-events'] ?? env.BENCH_FORWARD_EVENTS ?? '100000', '--forward-events'),
    startup: sections.includes('startup'),
    huge: sections.includes('huge'),
    hugeBytes: parseSize(v['huge-bytes'] ?? '20GiB', '--huge-bytes'),
    tmp: parseTmp(v.tmp ?? env.BENCH_TMP),
    json: v.json,
    commands: v.commands,
  };
}

/** An existing folder, made absolute (children run in other folders); the OS temp dir when not given. */
function parseTmp(text: string | undefined): string {
  if (text === undefined || text === '') return tmpdir();
  const dir = resolve(text);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`--tmp: "${text}" is not an existing folder.`);
  return dir;
}

/** `--only small,audit`: known names only, each once, run in SECTIONS order whatever the order given. */
function parseSections(text: string): SectionName[] {
  const picked = text.split(',').map((name) => name.trim());
  for (const name of picked) {
    if (!(SECTIONS as readonly string[]).includes(name)) throw new UsageError(`--only: "${name}" is not one of ${SECTIONS.join(', ')}.`);
  }
  return SECTIONS.filter((name) => picked.includes(name));
}
