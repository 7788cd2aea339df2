/**
 * What a feed bundle may carry (issue #16.6; docs/bundle-format.md "Feed bundles"): ClamAV
 * database containers only (.cvd signed, .cld, .cud unsigned), at the top of data/, each with a
 * readable header and passing `sigtool --info` (which also checks a .cvd's digital signature).
 * Anything else makes the whole feed invalid: the database directory is changed by a complete,
 * checked set or not at all.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { AirlockError } from '../../errors.js';
import { DATABASE_HEADER_BYTES, type DatabaseHeader, parseDatabaseHeader, readDatabaseHeader } from '../clamd/database-headers.js';
import { replyText } from '../clamd/reply.js';

/** `daily.cvd`: a plain base name and a container extension (the base names what it replaces: daily.cld goes when daily.cvd comes). */
export const FEED_FILE_NAME = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.(cvd|cld|cud)$/u;

export interface FeedFile {
  /** The name in the database directory (`daily.cvd`). */
  name: string;
  /** `daily`: one container per base name is installed. */
  base: string;
  /** Where the verified copy is staged. */
  stagedPath: string;
  header: DatabaseHeader;
}

/** The payload paths (`data/...`) a feed may hold, with their staged copies; FEED_INVALID otherwise. */
export function feedFileNames(payloadPaths: readonly string[]): Array<{ name: string; base: string }> {
  if (payloadPaths.length === 0) throw new AirlockError('FEED_INVALID', 'The bundle holds no database file.');
  const seen = new Set<string>();
  return payloadPaths.map((path) => {
    const name = path.startsWith('data/') ? path.slice('data/'.length) : path;
    const match = FEED_FILE_NAME.exec(name);
    if (match === null || basename(name) !== name)
      throw new AirlockError(
        'FEED_INVALID',
        `${JSON.stringify(path)} is not a ClamAV database container (name.cvd, name.cld or name.cud at the top of data/).`,
      );
    const base = match[1] ?? '';
    if (seen.has(base)) throw new AirlockError('FEED_INVALID', `The bundle holds more than one database named ${base}.`);
    seen.add(base);
    return { name, base };
  });
}

/** Run sigtool; null when it exits 0 and `accept` likes what it said, else its words. */
function runSigtool(
  args: string[],
  options: { cwd?: string; timeoutMs: number; signal?: AbortSignal | undefined; accept: (said: string) => boolean },
): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn('sigtool', args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, signal: options.signal });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`sigtool could not be run: ${error.message}`);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const said = Buffer.concat(output).toString('utf8');
      if (code === 0 && options.accept(said)) resolve(null);
      else resolve(replyText(said.length > 0 ? said : `sigtool exited ${code ?? 'on a signal'}`));
    });
  });
}

/** `sigtool --info=FILE`: the header, and a .cvd's digital signature over its body (an unsigned .cud's body it does not read). */
export function sigtoolInfo(path: string, timeoutMs = 120_000, signal?: AbortSignal): Promise<string | null> {
  return runSigtool([`--info=${path}`], {
    timeoutMs,
    signal,
    accept: (said) => /^Version: [0-9]+$/mu.test(said) && !/Verification: (FAILED|Incorrect)/iu.test(said),
  });
}

/**
 * The body as clamd will load it: `sigtool --unpack` in a private temp folder (fails on a damaged
 * archive), then the container's own `.info` manifest: its header line names the same version,
 * signature count and build time as the container header (clamd refuses a mismatch), and every
 * file it lists is there with its size and SHA-256. A container that passes loads in clamd; one
 * that does not would make clamd refuse the database at RELOAD.
 */
export async function unpackCheck(path: string, header: DatabaseHeader, signal?: AbortSignal): Promise<string | null> {
  // sigtool checks a .cvd's MD5 under its signature; nothing checks an unsigned .cud's, so we do.
  if (/^[0-9a-f]{32}$/u.test(header.md5) && header.name.endsWith('.cud')) {
    const body = createHash('md5');
    for await (const chunk of createReadStream(path, { start: DATABASE_HEADER_BYTES })) body.update(chunk as Buffer);
    if (body.digest('hex') !== header.md5) return 'its body does not match the MD5 in its header';
  }
  const dir = await mkdtemp(join(tmpdir(), 'airlock-feed-check-'));
  try {
    const said = await runSigtool([`--unpack=${resolve(path)}`], { cwd: dir, timeoutMs: 300_000, signal, accept: () => true });
    if (said !== null) return `sigtool --unpack: ${said}`;
    const infos = (await readdir(dir)).filter((name) => name.endsWith('.info'));
    if (infos.length !== 1) return `it holds ${infos.length} .info manifests, not one`;
    const lines = (await readFile(join(dir, infos[0] ?? ''), 'latin1')).split('\n').filter((line) => line.trim().length > 0);
    const infoHeader = parseDatabaseHeader(header.name, Buffer.from((lines[0] ?? '').padEnd(DATABASE_HEADER_BYTES, ' '), 'latin1'));
    if (
      infoHeader === null ||
      infoHeader.version !== header.version ||
      infoHeader.signatures !== header.signatures ||
      infoHeader.builtAt.getTime() !== header.builtAt.getTime()
    )
      return 'its .info manifest does not match its header';
    for (const line of lines.slice(1)) {
      if (line.startsWith('DSIG:')) continue;
      const [name = '', size = '', sha256 = ''] = line.split(':');
      if (name.includes('/') || name.startsWith('.')) return `its manifest names ${JSON.stringify(name)}`;
      const body = await readFile(join(dir, name)).catch(() => null);
      if (body === null) return `${name}, listed in its manifest, is missing`;
      if (String(body.length) !== size || createHash('sha256').update(body).digest('hex') !== sha256.trim().toLowerCase())
        return `${name} does not match its manifest`;
    }
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Header, signature and body check of every staged file; FEED_INVALID naming the first that fails. */
export async function checkFeedFiles(staged: Array<{ name: string; base: string; stagedPath: string }>, signal?: AbortSignal): Promise<FeedFile[]> {
  const files: FeedFile[] = [];
  for (const file of staged) {
    const header = await readDatabaseHeader(file.stagedPath, file.name);
    if (header === null) throw new AirlockError('FEED_INVALID', `${file.name} has no ClamAV database header.`);
    const complaint = await sigtoolInfo(file.stagedPath, 120_000, signal);
    if (complaint !== null) throw new AirlockError('FEED_INVALID', `sigtool --info refused ${file.name}: ${complaint}`);
    const damage = await unpackCheck(file.stagedPath, header, signal);
    if (damage !== null) throw new AirlockError('FEED_INVALID', `${file.name} would not load: ${damage}`);
    files.push({ ...file, header });
  }
  return files;
}
