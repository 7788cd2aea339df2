import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, posix, resolve, win32 } from 'node:path';
import { AirlockError } from '../errors.js';
import { recoverInterruptedSets } from '../fs/numbered-publish.js';
import { sweepDeadTemps } from '../fs/owned-temp.js';
import { assertHomeWritable, homeCreateFailure, makeDirs } from './create-home.js';

/** Where each piece of station state lives inside the home directory. */
export interface HomePaths {
  root: string;
  keysDir: string;
  stationPrivateKey: string;
  stationPublicKey: string;
  stationRevocation: string;
  trustStore: string;
  config: string;
  policy: string;
  database: string;
  auditHead: string;
  /** Scratch space on the system disk for the export's small-file spool. */
  spool: string;
  /** Bundles refused by content inspection, kept one folder each (issue #16.5, core/quarantine/). */
  quarantine: string;
}

export function homePaths(root: string): HomePaths {
  const keysDir = join(root, 'keys');
  return {
    root,
    keysDir,
    stationPrivateKey: join(keysDir, 'station-key.private.asc'),
    stationPublicKey: join(keysDir, 'station-key.public.asc'),
    stationRevocation: join(keysDir, 'station-key.revocation.asc'),
    trustStore: join(keysDir, 'trusted-signers.json'),
    config: join(root, 'config.json'),
    policy: join(root, 'policy.json'),
    database: join(root, 'airlock.db'),
    auditHead: join(root, 'audit-head.json'),
    spool: join(root, 'spool'),
    quarantine: join(root, 'quarantine'),
  };
}

/** The OS application-data directory Electron's app.getPath('userData') also uses, so CLI and app share state. */
export function defaultHomeDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  // An empty or relative variable would put the home in whatever directory the CLI runs from.
  const paths = platform === 'win32' ? win32 : posix;
  const absolute = (value: string | undefined): string | undefined => (value && paths.isAbsolute(value) ? value : undefined);
  if (platform === 'win32') return win32.join(absolute(env.APPDATA) ?? win32.join(homedir(), 'AppData', 'Roaming'), 'Airlock');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Airlock');
  return join(absolute(env.XDG_CONFIG_HOME) ?? join(homedir(), '.config'), 'Airlock');
}

/** --home DIR, else $AIRLOCK_HOME, else the OS app-data directory (docs/design.md §3). */
export function resolveHomeDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.AIRLOCK_HOME) return resolve(env.AIRLOCK_HOME);
  return defaultHomeDir(env);
}

/** Create the home (and keys/) readable by its owner only. */
export async function ensureHome(root: string): Promise<HomePaths> {
  const paths = homePaths(root);
  try {
    const existing = await stat(root).catch(() => null);
    if (existing && !existing.isDirectory()) throw new AirlockError('HOME_INVALID', `${root} is a file, not a folder.`, { path: root });
    await makeDirs(paths.keysDir, 0o700);
    const stats = await stat(root);
    if (!stats.isDirectory()) throw new AirlockError('HOME_INVALID', `${root} is not a folder.`, { path: root });
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    // Another user's home: say whose it is rather than that it "cannot be created".
    await assertHomeWritable(root, [paths.keysDir]);
    throw homeCreateFailure(root, error);
  }
  await sweepHomeTemps(paths);
  // Every command records an audit event: a home this user cannot write fails here, saying whose it is.
  await assertHomeWritable(root, [paths.keysDir, paths.database]);
  return paths;
}

/**
 * Temp files a killed run left in the home (audit-head.json, config, keys, receipts of media
 * exports): removed once their writer is provably gone. Best effort: a full or read-only home
 * must still open for `audit verify` and `audit list`.
 */
export async function sweepHomeTemps(paths: HomePaths): Promise<void> {
  // A receipt set a killed run left half published is finished first (set-journal.ts).
  await recoverInterruptedSets(join(paths.root, 'receipts'));
  // The spool: a verify's or import's digest spill, named only where an open file cannot be unlinked (compact/digest-column.ts).
  for (const dir of [paths.root, paths.keysDir, join(paths.root, 'receipts'), paths.spool]) await sweepDeadTemps(dir);
}
