/**
 * Throwaway identities: an Airlock home with a station key, and a GNUPGHOME with an ed25519
 * signing key for the pipeline. Each side trusts the other's key so both verifiers can check
 * both kinds of bundle (gpg the Airlock bundle; Airlock the hand-made one, as docs/design.md §2
 * requires). Nothing here touches the user's real ~/.gnupg or Airlock home.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, runChecked, type Command } from './proc.js';

/** The checkout whose bin/airlock.cjs is measured (bench/ lives in it). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

export interface Stations {
  airlockHome: string;
  passphraseFile: string;
  gnupgHome: string;
  /** Fingerprint of the gpg signing key the pipeline uses. */
  gpgKey: string;
}

/** `node bin/airlock.cjs --home H ...`, run from the repo root the way `npx airlock` would. */
export function airlockAt(home: string, args: string[]): Command {
  return { argv: [process.execPath, 'bin/airlock.cjs', '--home', home, ...args], cwd: REPO_ROOT };
}

export function airlock(stations: Stations, args: string[]): Command {
  return airlockAt(stations.airlockHome, args);
}

function runAirlock(stations: Stations, args: string[]) {
  return runChecked(airlock(stations, args));
}

export async function setUpStations(root: string): Promise<Stations> {
  const gnupgHome = join(root, 'gnupg');
  await mkdir(gnupgHome);
  await chmod(gnupgHome, 0o700); // gpg refuses or warns about a home others can read; umask may widen mkdir's mode
  const stations: Stations = {
    airlockHome: join(root, 'airlock-home'),
    passphraseFile: join(root, 'passphrase'),
    gnupgHome,
    gpgKey: '',
  };
  await writeFile(stations.passphraseFile, 'airlock bench passphrase\n', { mode: 0o600 });

  const gpg = (args: string[], input?: string) => runChecked({ argv: ['gpg', '--homedir', gnupgHome, '--batch', ...args] }, { input });
  await gpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'Bench <b@x>', 'ed25519', 'sign', 'never']);
  const listing = await gpg(['--with-colons', '--list-secret-keys']);
  const fpr = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/mu.exec(listing.stdout)?.[1];
  if (fpr === undefined) throw new Error(`No fingerprint in gpg's key listing:\n${listing.stdout}`);
  stations.gpgKey = fpr;

  await runAirlock(stations, ['keys', 'generate', '--name', 'Airlock Bench', '--passphrase-file', stations.passphraseFile]);
  const stationKey = await runAirlock(stations, ['keys', 'export-public']);
  await gpg(['--import'], stationKey.stdout);

  const gpgPublic = join(root, 'bench-gpg.asc');
  await writeFile(gpgPublic, (await gpg(['--armor', '--export', fpr])).stdout);
  // --fingerprint: the CLI asks for the fingerprint learned out of band; here we made the key ourselves.
  await runAirlock(stations, ['keys', 'trust', gpgPublic, '--fingerprint', fpr, '--label', 'bench gpg key']);
  return stations;
}

/** Stops the gpg-agent (and friends) that the throwaway GNUPGHOME started; best effort. */
export async function tearDownStations(gnupgHome: string): Promise<void> {
  await run({ argv: ['gpgconf', '--homedir', gnupgHome, '--kill', 'all'] }).catch(() => undefined);
}
