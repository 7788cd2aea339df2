/**
 * One hostile bundle through verify and import, called exactly as the station calls them: the
 * problem codes each reports, and a check that import left its destination empty. Shared by the
 * parity table and the advisory tests (test/security/).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { openStationDb, type StationDb } from '../../electron/core/db/station-db.js';
import type { TrustedKey } from '../../electron/core/crypto/detached-signature.js';
import { AirlockError } from '../../electron/core/errors.js';
import { importBundle } from '../../electron/core/import/import-bundle.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { makeSigner, type TestSigner } from './hostile-tar.js';
import { verifyBothWays } from './verify-both-ways.js';

export interface Judge {
  root: string;
  signer: TestSigner;
  db: StationDb;
  /** A fresh bundle path under root holding `bytes`. */
  write(bytes: Buffer): Promise<string>;
  /** A fresh, empty destination folder under root. */
  destination(): Promise<string>;
  /** Distinct codes verify reports (sorted); asserts verify refused. `trusted` defaults to the judge's signer. */
  verifyCodes(bundlePath: string, limits?: BundleLimits, trusted?: TrustedKey[]): Promise<string[]>;
  /** Distinct codes import reports (sorted), or `error:CODE` for an operational error; asserts import refused and left its destination empty. */
  importCodes(bundlePath: string, limits?: BundleLimits, trusted?: TrustedKey[]): Promise<string[]>;
  /** Asserts verify (both passes) accepts and import lands the bundle; returns the imported files (paths under the bundle's folder). */
  imported(bundlePath: string, trusted?: TrustedKey[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function openJudge(prefix: string): Promise<Judge> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const signer = await makeSigner();
  const db = openStationDb(join(root, 'station.db'));
  let n = 0;
  const judge: Judge = {
    root,
    signer,
    db,
    async write(bytes) {
      n += 1;
      const path = join(root, `b${n}.airlock.tar`);
      await writeFile(path, bytes);
      return path;
    },
    async destination() {
      n += 1;
      const dest = join(root, `dest${n}`);
      await mkdir(dest);
      return dest;
    },
    async verifyCodes(bundlePath, limits = DEFAULT_LIMITS, trusted = [signer.trusted]) {
      // As Station.verifyBundle calls it.
      // Both passes (sequential and parallel) must report the same: verify-both-ways.ts.
      const result = await verifyBothWays({
        bundlePath,
        trusted,
        limits,
        requiredSigners: DEFAULT_POLICY.requiredSigners,
        clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
        reportNames: DEFAULT_POLICY.names,
      });
      expect(result.ok).toBe(false);
      return [...new Set(result.problems.map((p) => p.code))].sort();
    },
    async importCodes(bundlePath, limits = DEFAULT_LIMITS, trusted = [signer.trusted]) {
      const dest = await judge.destination();
      try {
        const result = await importBundle({
          bundlePath,
          destDir: dest,
          trusted,
          policy: { ...DEFAULT_POLICY, limits },
          db,
          operator: 'tester',
        });
        expect(result.ok).toBe(false);
        expect(result.destination).toBeNull();
        return [...new Set(result.problems.map((p) => p.code))].sort();
      } catch (error) {
        // An operational error where a problem code was meant is a disagreement too: it shows up in the comparison.
        if (error instanceof AirlockError) return [`error:${error.code}`];
        throw error;
      } finally {
        expect(await readdir(dest)).toEqual([]);
      }
    },
    async imported(bundlePath, trusted = [signer.trusted]) {
      const verified = await verifyBothWays({
        bundlePath,
        trusted,
        limits: DEFAULT_LIMITS,
        requiredSigners: DEFAULT_POLICY.requiredSigners,
        clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
        reportNames: DEFAULT_POLICY.names,
      });
      expect(verified.problems).toEqual([]);
      expect(verified.ok).toBe(true);
      const dest = await judge.destination();
      const result = await importBundle({ bundlePath, destDir: dest, trusted, policy: DEFAULT_POLICY, db, operator: 'tester', allowReplay: true });
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      const [folder, ...others] = await readdir(dest);
      expect(others).toEqual([]);
      const top = join(dest, String(folder));
      const entries = await readdir(top, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(top, join(e.parentPath, e.name)))
        .sort();
    },
    async close() {
      db.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return judge;
}
