/**
 * Reads a public key file the operator wants to trust and tells its fingerprint, so the app can
 * show it grouped for comparison *before* anything is trusted. The core facade has no
 * "describe key file" yet, so this trusts the file in a throw-away station home: the same
 * parsing and validity checks (one public key, valid now) as the real trust, and nothing of it
 * touches the operator's station. The real trust then passes the confirmed fingerprint as
 * expectedFingerprint, so a file swapped in between is refused by core.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Station } from '../../core/index.js';

export interface KeyFileFacts {
  fingerprint: string;
  userIds: string[];
  algorithm: string;
}

export async function inspectKeyFile(file: string): Promise<KeyFileFacts> {
  const scratch = await mkdtemp(join(tmpdir(), 'airlock-key-inspect-'));
  try {
    const station = await Station.open({ home: scratch });
    try {
      const { signer } = await station.trustKeyFile(file);
      return { fingerprint: signer.fingerprint, userIds: signer.userIds, algorithm: signer.algorithm };
    } finally {
      station.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
