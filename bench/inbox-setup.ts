/**
 * The inbox bench's inputs (bench/inbox.ts): many small signed bundles and a few large ones,
 * made in this process through the station facade (a CLI start per bundle would make setting up
 * 1,000 bundles take longer than measuring them), and receiving homes that trust their signer.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Station } from '../electron/core/index.js';
import { runChecked } from './proc.js';
import { airlockAt, type Stations } from './stations.js';

export interface MadeBundles {
  small: string[];
  large: string[];
}

export async function makeInboxBundles(
  root: string,
  stations: Stations,
  counts: { small: number; large: number; largeBytes: number },
  log: (message: string) => void,
): Promise<MadeBundles> {
  const out = join(root, 'inbox-bundles');
  const src = join(root, 'inbox-src');
  await mkdir(out, { recursive: true });
  const passphrase = (await readFile(stations.passphraseFile, 'utf8')).split('\n')[0] ?? '';
  const station = await Station.open({ home: stations.airlockHome });
  const made: MadeBundles = { small: [], large: [] };
  try {
    for (let i = 0; i < counts.small; i += 1) {
      const dir = join(src, `s${i}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'note.txt'), `small bundle ${i}\n`.repeat(64)); // ~1 KiB
      const name = `small-${String(i).padStart(5, '0')}`;
      await station.exportBundle({ selection: [dir], outDir: out, name, passphrase });
      made.small.push(join(out, `${name}.airlock.tar`));
      if ((i + 1) % 250 === 0) log(`  ${i + 1} small bundles made`);
    }
    for (let i = 0; i < counts.large; i += 1) {
      const dir = join(src, `l${i}`);
      await mkdir(dir, { recursive: true });
      // Random bytes: compressible data would flatter nothing here, but keep it honest anyway.
      await runChecked({ argv: ['sh', '-c', 'head -c "$1" /dev/urandom > "$2"', 'sh', String(counts.largeBytes), join(dir, 'large.bin')] });
      const name = `large-${i}`;
      await station.exportBundle({ selection: [dir], outDir: out, name, passphrase });
      made.large.push(join(out, `${name}.airlock.tar`));
    }
  } finally {
    station.close();
  }
  return made;
}

/** A fresh receiving station that trusts the bench station's key. */
export async function receivingHome(root: string, stations: Stations, name: string): Promise<string> {
  const home = join(root, name);
  const key = join(root, `${name}-sender.asc`);
  await writeFile(key, (await runChecked(airlockAt(stations.airlockHome, ['keys', 'export-public']))).stdout);
  const fingerprint = /"fingerprint":"([0-9A-F]{40})"/u.exec((await runChecked(airlockAt(stations.airlockHome, ['keys', 'list', '--json']))).stdout)?.[1];
  if (fingerprint === undefined) throw new Error('no station fingerprint in keys list --json');
  await runChecked(airlockAt(home, ['keys', 'trust', key, '--fingerprint', fingerprint]));
  return home;
}
