/**
 * Builds tar archives byte by byte for security tests, including shapes no honest tool
 * writes: links, devices, traversal paths, raw pax and long-name headers, truncation.
 */
import { generateKey, readPrivateKey, readKey, decryptKey, type PrivateKey, type PublicKey } from 'openpgp';
import { Header } from 'tar';
import { buildBagTags } from '../../electron/core/bundle/bag-tag-files.js';
import { signDetached, type TrustedKey } from '../../electron/core/crypto/detached-signature.js';
import { sha256Hex } from '../../electron/core/crypto/sha256.js';

export type RawType =
  | 'File'
  | 'Directory'
  | 'SymbolicLink'
  | 'Link'
  | 'CharacterDevice'
  | 'BlockDevice'
  | 'FIFO'
  | 'ExtendedHeader'
  | 'GlobalExtendedHeader'
  | 'NextFileHasLongPath'
  | 'SparseFile';

export interface RawEntry {
  path: string;
  type?: RawType;
  body?: Buffer | string | undefined;
  linkpath?: string;
  /** Declared size in the header when it must differ from the body (lies). */
  declaredSize?: number;
  mode?: number;
}

function block(size: number): Buffer {
  return Buffer.alloc(size);
}

export function rawHeader(entry: RawEntry): Buffer {
  const body = entry.body === undefined ? Buffer.alloc(0) : Buffer.from(entry.body);
  const header = Buffer.alloc(512);
  new Header({
    path: entry.path,
    mode: entry.mode ?? 0o644,
    uid: 0,
    gid: 0,
    size: entry.declaredSize ?? body.length,
    mtime: new Date(1_700_000_000_000),
    type: entry.type ?? 'File',
    // Spread kept: node-tar's HeaderData has `linkpath?: string` (not `| undefined`), a type not ours to widen.
    ...(entry.linkpath !== undefined ? { linkpath: entry.linkpath } : {}),
    uname: '',
    gname: '',
  }).encode(header, 0);
  return header;
}

export function rawEntry(entry: RawEntry): Buffer {
  const body = entry.body === undefined ? Buffer.alloc(0) : Buffer.from(entry.body);
  const pad = (512 - (body.length % 512)) % 512;
  return Buffer.concat([rawHeader(entry), body, block(pad)]);
}

/** A pax extended header whose body is given verbatim (so tests can write malformed ones). */
export function paxEntry(body: string, type: 'ExtendedHeader' | 'GlobalExtendedHeader' = 'ExtendedHeader'): Buffer {
  return rawEntry({ path: 'PaxHeader/x', type, body });
}

export function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length = String(length).length + Buffer.byteLength(rest);
  return `${length}${rest}`;
}

export function endOfArchive(): Buffer {
  return Buffer.alloc(1024);
}

export function tarOf(entries: Array<RawEntry | Buffer>, options: { end?: boolean } = {}): Buffer {
  const parts = entries.map((e) => (Buffer.isBuffer(e) ? e : rawEntry(e)));
  if (options.end !== false) parts.push(endOfArchive());
  return Buffer.concat(parts);
}

export interface TestSigner {
  privateKey: PrivateKey;
  publicKey: PublicKey;
  trusted: TrustedKey;
}

/** A fresh ed25519 signer (v4, curve25519Legacy), optionally expiring or dated. */
export async function makeSigner(name = 'Test Signer', options: { keyExpirationTime?: number; date?: Date } = {}): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name }],
    format: 'armored',
    passphrase: 'pw',
    // Spreads kept: openpgp's GenerateKeyOptions has `keyExpirationTime?: number; date?: Date` (not `| undefined`).
    ...(options.keyExpirationTime !== undefined ? { keyExpirationTime: options.keyExpirationTime } : {}),
    ...(options.date ? { date: options.date } : {}),
  });
  const priv = await decryptKey({ privateKey: await readPrivateKey({ armoredKey: privateKey }), passphrase: 'pw' });
  const pub = await readKey({ armoredKey: publicKey });
  return {
    privateKey: priv,
    publicKey: pub,
    trusted: { fingerprint: pub.getFingerprint().toUpperCase(), label: name, userIds: pub.getUserIDs(), key: pub },
  };
}

export interface BagPayloadFile {
  /** Path inside the bag, e.g. `data/a.txt`. */
  path: string;
  content: Buffer | string;
}

export interface SignedBag {
  name: string;
  /** Tag-file entries in format order, ready to put in a tar. */
  tagEntries: RawEntry[];
  /** Payload entries for the listed files. */
  payloadEntries: RawEntry[];
  tagmanifest: Buffer;
}

/**
 * A correctly signed bag for `files`; tests then add, drop, reorder or corrupt entries.
 * `manifestPaths` lets a test list paths in the manifest that differ from the payload entries.
 */
export async function signedBag(
  signer: TestSigner | TestSigner[],
  files: BagPayloadFile[],
  options: { name?: string; signDate?: Date; manifestExtra?: Array<{ path: string; sha256: string }> } = {},
): Promise<SignedBag> {
  const name = options.name ?? 'bag';
  const hashed = files.map((f) => ({
    absPath: '',
    bagPath: f.path,
    size: Buffer.byteLength(f.content),
    mtime: new Date(0),
    sha256: sha256Hex(typeof f.content === 'string' ? Buffer.from(f.content) : f.content),
  }));
  for (const extra of options.manifestExtra ?? []) hashed.push({ absPath: '', bagPath: extra.path, size: 0, mtime: new Date(0), sha256: extra.sha256 });
  const tags = buildBagTags(hashed, {
    identity: { station: 'test-station', operator: 'tester', organization: null },
    sequence: 1,
    now: new Date('2026-01-01T00:00:00Z'),
  });
  const signers = Array.isArray(signer) ? signer : [signer];
  const asc = await signDetached(
    tags.tagmanifest,
    signers.map((s) => s.privateKey),
    options.signDate,
  );
  return {
    name,
    tagmanifest: tags.tagmanifest,
    tagEntries: [...tags.files.map((t) => ({ path: `${name}/${t.name}`, body: t.bytes })), { path: `${name}/tagmanifest-sha256.txt.asc`, body: asc }],
    payloadEntries: files.map((f) => ({ path: `${name}/${f.path}`, body: Buffer.from(f.content) })),
  };
}
