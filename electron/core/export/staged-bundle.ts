import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openpgp } from '../crypto/openpgp-lazy.js';
import { z } from 'zod';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { combineSignatures } from '../crypto/bundle-signer.js';
import { verifyDetachedSignature } from '../crypto/detached-signature.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import { sha256Hex } from '../crypto/sha256.js';
import { AirlockError } from '../errors.js';
import { fsyncDirectory, writeFileDurably } from '../fs/durable.js';
import { bagInfoValue, parseBagInfo } from '../bundle/bag-info.js';
import type { BagTags } from '../bundle/bag-tag-files.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, INFO, MANIFEST_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { parseManifest } from '../bundle/manifest.js';
import type { ExportedImages } from '../../../shared/images.js';
import { checkStagedLayout, isLayoutFile, STAGED_LAYOUT_DIR, stagedLayoutPath } from './staged-images.js';
import type { PreparedBundle } from './write-bundle.js';
import { readRegularFile } from '../fs/open-regular.js';
import { onFirstUse } from '../on-first-use.js';

/**
 * A prepared export waiting for more signatures (two-person rule): a private directory with
 * staged.json (where each payload file comes from), the four tag files exactly as they will be
 * in the bundle, and one signature (+ the signer's public key) per signer. Approvers are shown
 * the signed manifest itself, never staged.json, and every signature is re-checked on load.
 * An export with images also holds its OCI layout in `oci/` (staged-images.ts); staged.json then
 * says so, and those files are always read from there, whatever path staged.json gives them.
 */
// Built when a staged export is first read or written (onFirstUse): at module load it made every export load zod.
const stagedSchema = onFirstUse(() =>
  z.object({
    format: z.literal('airlock-staged-export'),
    version: z.literal(1),
    name: z.string(),
    sequence: z.number().int(),
    createdAt: z.string(),
    files: z.array(z.object({ absPath: z.string(), bagPath: z.string(), size: z.number().int().nonnegative(), mtime: z.string(), sha256: z.string() })),
    warnings: z.array(z.object({ path: z.string(), message: z.string() })),
    /** Present when the export carries images: the staged OCI layout's folder (issue #15). */
    imageLayout: z.literal(STAGED_LAYOUT_DIR).optional(),
  }),
);

const TAG_NAMES = [BAGIT_TXT_NAME, BAG_INFO_NAME, MANIFEST_NAME, TAGMANIFEST_NAME] as const;

export interface StagedSignature {
  fingerprint: string;
  userIds: string[];
  armored: string;
}

export interface StagedExport {
  dir: string;
  prepared: PreparedBundle;
  signatures: StagedSignature[];
  /** The images the staged layout holds, from its signed descriptor file; null when it holds none. */
  images: ExportedImages | null;
}

function invalid(dir: string, reason: string): AirlockError {
  return new AirlockError('STAGED_INVALID', `${dir}: ${reason}`, { path: dir });
}

export async function saveStagedExport(dir: string, prepared: PreparedBundle, options: { images: boolean } = { images: false }): Promise<void> {
  await mkdir(join(dir, 'signatures'), { recursive: true, mode: 0o700 });
  for (const tag of prepared.tags.files) await writeFileDurably(join(dir, tag.name), tag.bytes, 0o600);
  const staged: z.infer<ReturnType<typeof stagedSchema>> = {
    format: 'airlock-staged-export',
    version: 1,
    name: prepared.name,
    sequence: prepared.sequence,
    createdAt: prepared.createdAt.toISOString(),
    files: prepared.payload.map((f) => ({ absPath: f.absPath, bagPath: f.bagPath, size: f.size, mtime: f.mtime.toISOString(), sha256: f.sha256 })),
    warnings: prepared.warnings,
    imageLayout: options.images ? STAGED_LAYOUT_DIR : undefined,
  };
  await writeFileDurably(join(dir, 'staged.json'), `${JSON.stringify(staged, null, 2)}\n`, 0o600);
}

/** Sign the staged tag manifest and keep the signature with the signer's public key. */
export async function addStagedSignature(staged: StagedExport, signer: BundleSigner): Promise<StagedSignature> {
  if (staged.signatures.some((s) => s.fingerprint === signer.fingerprint)) {
    throw new AirlockError('USAGE', `${signer.fingerprint} has already signed this export; the rule needs a different person's key.`);
  }
  const armored = await signer.sign(staged.prepared.tags.tagmanifest);
  const files = signatureFiles(staged.dir, staged.signatures.length + 1, signer.fingerprint);
  // The key first: a signature is listed by its .asc, so a kill between the two leaves an unlisted key, not a signature without its key.
  await writeFileDurably(files.key, signer.publicKeyArmored, 0o600);
  await writeFileDurably(files.signature, armored, 0o600);
  const signature = { fingerprint: signer.fingerprint, userIds: signer.userIds, armored };
  staged.signatures.push(signature);
  return signature;
}

function signatureFiles(dir: string, number: number, fingerprint: string): { key: string; signature: string } {
  const stem = join(dir, 'signatures', `${String(number).padStart(2, '0')}-${fingerprint}`);
  return { key: `${stem}.pub.asc`, signature: `${stem}.asc` };
}

/**
 * Take back the signature addStagedSignature just added (its approval could not be recorded):
 * the .asc first, so a kill in between leaves an unlisted key, as a kill while adding does.
 */
export async function withdrawStagedSignature(staged: StagedExport, signature: StagedSignature): Promise<void> {
  const index = staged.signatures.indexOf(signature);
  if (index < 0) return;
  const files = signatureFiles(staged.dir, index + 1, signature.fingerprint);
  await rm(files.signature, { force: true });
  await rm(files.key, { force: true });
  await fsyncDirectory(join(staged.dir, 'signatures'));
  staged.signatures.splice(index, 1);
}

/**
 * Load and check a staged export: the tag manifest still covers the tag files, the manifest
 * lists exactly the staged files with the same checksums, every signature verifies with
 * its signer's key over the tag manifest, and there is one (unless `unsigned: 'allowed'`: the
 * prepare itself, reading back before it signs).
 */
export async function loadStagedExport(dir: string, options: { unsigned?: 'allowed' } = {}): Promise<StagedExport> {
  // The folder is named on the command line: any file in it may be a FIFO, read without blocking (fs/open-regular.ts).
  let staged;
  try {
    staged = stagedSchema().parse(JSON.parse(await readRegularFile(join(dir, 'staged.json'), 'utf8')));
  } catch (error) {
    throw invalid(dir, `staged.json is missing or malformed (${(error as Error).message})`);
  }
  const tagBytes = new Map<string, Buffer>();
  for (const name of TAG_NAMES) {
    try {
      tagBytes.set(name, await readRegularFile(join(dir, name)));
    } catch {
      throw invalid(dir, `${name} is missing`);
    }
  }
  const tagmanifest = tagBytes.get(TAGMANIFEST_NAME) as Buffer;
  const covered = parseManifest(tagmanifest.toString('utf8'));
  if (!covered.ok) throw invalid(dir, 'the tag manifest is malformed');
  for (const entry of covered.entries) {
    const bytes = tagBytes.get(entry.path);
    if (!bytes || sha256Hex(bytes) !== entry.sha256) throw invalid(dir, `${entry.path} no longer matches the tag manifest`);
  }
  const manifest = parseManifest((tagBytes.get(MANIFEST_NAME) as Buffer).toString('utf8'));
  if (!manifest.ok) throw invalid(dir, 'the manifest is malformed');
  const same =
    manifest.entries.length === staged.files.length &&
    manifest.entries.every((entry, i) => entry.path === staged.files[i]?.bagPath && entry.sha256 === staged.files[i]?.sha256);
  if (!same) throw invalid(dir, 'staged.json does not match the signed manifest');
  const info = parseBagInfo((tagBytes.get(BAG_INFO_NAME) as Buffer).toString('utf8'));
  const uuid = info.ok ? bagInfoValue(info.info, INFO.externalIdentifier) : undefined;
  if (!uuid) throw invalid(dir, 'bag-info.txt has no External-Identifier');

  const tags: BagTags = {
    uuid,
    tagmanifest,
    payloadBytes: staged.files.reduce((n, f) => n + f.size, 0),
    files: TAG_NAMES.map((name) => ({ name, bytes: tagBytes.get(name) as Buffer })),
  };
  const prepared: PreparedBundle = {
    name: staged.name,
    sequence: staged.sequence,
    createdAt: new Date(staged.createdAt),
    payload: staged.files.map((f) => ({
      absPath: staged.imageLayout !== undefined && isLayoutFile(f.bagPath) ? layoutFilePath(dir, f.bagPath) : f.absPath,
      bagPath: f.bagPath,
      size: f.size,
      mtime: new Date(f.mtime),
      mtimeMs: new Date(f.mtime).getTime(),
      sha256: f.sha256,
    })),
    tags,
    warnings: staged.warnings,
  };
  const images = staged.imageLayout !== undefined ? await checkStagedLayout(dir, prepared.payload) : null;

  const signatures: StagedSignature[] = [];
  const names = (await readdir(join(dir, 'signatures')).catch(() => [] as string[])).filter((n) => /^\d{2}-[0-9A-F]+\.asc$/u.test(n)).sort();
  for (const name of names) {
    const armored = await readRegularFile(join(dir, 'signatures', name), 'utf8');
    const publicKey = await (
      await openpgp()
    ).readKey({
      armoredKey: await readRegularFile(join(dir, 'signatures', name.replace(/\.asc$/u, '.pub.asc')), 'utf8'),
      config: OPENPGP_CONFIG,
    });
    const fingerprint = publicKey.getFingerprint().toUpperCase();
    const check = await verifyDetachedSignature(tagmanifest, armored, [{ fingerprint, label: null, userIds: publicKey.getUserIDs(), key: publicKey }]);
    if (check.problems.length > 0) throw invalid(dir, `the signature ${name} does not verify: ${check.problems.map((p) => p.code).join(', ')}`);
    signatures.push({ fingerprint, userIds: publicKey.getUserIDs(), armored });
  }
  // A prepare killed after staged.json, before its own signature: nothing anyone may approve (an approver's would be its only one).
  if (signatures.length === 0 && options.unsigned !== 'allowed') throw invalid(dir, 'nobody has signed it: its prepare did not finish');
  return { dir, prepared, signatures, images };
}

function layoutFilePath(dir: string, bagPath: string): string {
  const path = stagedLayoutPath(dir, bagPath);
  if (path === null) throw invalid(dir, `${bagPath} is not a file an OCI image layout holds`);
  return path;
}

export function combinedStagedSignature(staged: StagedExport): Promise<string> {
  if (staged.signatures.length === 0) throw invalid(staged.dir, 'nobody has signed it yet');
  return combineSignatures(staged.signatures.map((s) => s.armored));
}

export async function removeStagedExport(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
