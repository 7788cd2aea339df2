/**
 * `--skip-blobs-in RECEIPT.json`: the far station's signed import receipt says which blobs its
 * registry holds (registry-receipt.ts). Only a receipt whose `.asc` verifies against a key this
 * station trusts counts: a forged list would make the next bundle leave out blobs the far side
 * lacks (the import then fails closed, but the transfer is lost). Anything else: RECEIPT_INVALID.
 */
import { lstat } from 'node:fs/promises';
import { verifyDetachedSignature, type TrustedKey } from '../../crypto/detached-signature.js';
import { AirlockError, errnoOf } from '../../errors.js';
import { receiptRegistrySection } from '../registry-receipt.js';
import type { PresentBlobs } from '../layout-writer.js';
import { readRegularFile } from '../../fs/open-regular.js';

/** A receipt listing a million blobs is about 200 MB of JSON; refused above this before it is read. */
const RECEIPT_MAX_BYTES = 256 * 1024 * 1024;
const SIGNATURE_MAX_BYTES = 1024 * 1024;

function invalid(path: string, why: string): AirlockError {
  return new AirlockError('RECEIPT_INVALID', `${path}: ${why}`, { path });
}

async function readBounded(path: string, max: number, what: string): Promise<Buffer> {
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) throw invalid(path, `the ${what} is not a regular file.`);
    if (stats.size > max) throw invalid(path, `the ${what} is over ${max} bytes.`);
    return await readRegularFile(path);
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    if (errnoOf(error) === 'ENOENT') throw invalid(path, `the ${what} does not exist${what === 'signature' ? ' (the receipt must come with its .asc)' : ''}.`);
    throw error;
  }
}

export interface SkipReceipt {
  present: PresentBlobs;
  /** Fingerprints of the trusted keys that signed it. */
  signers: string[];
  target: string;
}

export async function readSkipReceipt(path: string, trusted: readonly TrustedKey[], now: Date = new Date()): Promise<SkipReceipt> {
  const bytes = await readBounded(path, RECEIPT_MAX_BYTES, 'receipt');
  const armored = (await readBounded(`${path}.asc`, SIGNATURE_MAX_BYTES, 'signature')).toString('utf8');
  const check = await verifyDetachedSignature(bytes, armored, trusted, now);
  if (check.signers.length === 0) {
    const why = check.problems.map((p) => p.message).join(' ');
    throw invalid(path, `its signature is not from a key this station trusts, or does not verify. ${why}`.trim());
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid(path, 'it is not JSON.');
  }
  const receipt = value as { receipt?: unknown; kind?: unknown; registry?: unknown };
  if (typeof value !== 'object' || value === null || receipt.receipt !== 'airlock-transfer-receipt' || receipt.kind !== 'import') {
    throw invalid(path, 'it is not an Airlock import receipt.');
  }
  if (receipt.registry === undefined || receipt.registry === null) throw invalid(path, 'it has no registry section: that import pushed no images.');
  const section = receiptRegistrySection().safeParse(receipt.registry);
  if (!section.success) throw invalid(path, `its registry section is malformed (${section.error.issues[0]?.path.join('.') ?? ''}).`);
  const present = new Map<string, { size: number; repository: string }>();
  for (const blob of section.data.blobsPresent) if (!present.has(blob.digest)) present.set(blob.digest, { size: blob.size, repository: blob.repository });
  return { present, signers: check.signers.map((s) => s.fingerprint), target: section.data.target };
}
