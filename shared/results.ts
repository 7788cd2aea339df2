import type { Problem } from './problems.js';

/** A signer proven by a verified signature over the tag manifest. */
export interface SignerInfo {
  fingerprint: string;
  userIds: string[];
  label: string | null;
  /** The role the station gave this signer when trusting it (e.g. operator, reviewer). */
  role: string | null;
  /** Signature creation time as the signer stated it (ISO 8601). */
  signedAt: string;
}

export interface BundleSummary {
  name: string | null;
  path: string;
  uuid: string | null;
  station: string | null;
  operator: string | null;
  sequence: number | null;
  created: string | null;
  files: number;
  bytes: number;
  /** SHA-256 of the signed tagmanifest-sha256.txt: the bundle's identity. */
  tagmanifestSha256: string | null;
}

export interface VerifyResult {
  ok: boolean;
  bundle: BundleSummary;
  signers: SignerInfo[];
  problems: Problem[];
  /** A split bundle: its parts as found and checked against the signed volume index before reassembly. */
  parts?: {
    count: number;
    volumes: number;
    indexFiles: string[];
    files: Array<{ file: string; volume: number; path: string | null }>;
  };
}

export interface ExportResult {
  bundlePath: string;
  name: string;
  uuid: string;
  sequence: number;
  files: number;
  bytes: number;
  bundleBytes: number;
  tagmanifestSha256: string;
  signers: Array<{ fingerprint: string; userIds: string[] }>;
}
