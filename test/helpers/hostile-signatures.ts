/**
 * OpenPGP signatures and keys no honest signer makes, built packet by packet: openpgp.js's own
 * `sign` refuses most of them (a subkey without the signing flag, a date before the key existed,
 * SHA-1), so these go through SignaturePacket.sign directly, which hashes and signs whatever it
 * is given. Used by test/security/openpgp-hostile-signatures.test.ts.
 */
import {
  armor,
  CompressedDataPacket,
  config,
  enums,
  generateKey,
  LiteralDataPacket,
  PacketList,
  readSignature,
  SignaturePacket,
  type AnyPacket,
  type PrivateKey,
  type SecretKeyPacket,
  type SecretSubkeyPacket,
  type SubkeyOptions,
} from 'openpgp';
import type { TestSigner } from './hostile-tar.js';

/** The fields of SignaturePacket these builders set that openpgp.js's types keep private. */
interface OpenSignaturePacket {
  sign(key: SecretKeyPacket | SecretSubkeyPacket, data: unknown, date: Date, detached: boolean, config: typeof import('openpgp').config): Promise<void>;
  writeHashedSubPackets(): Uint8Array;
}

/** Deterministic signatures: no salt notation (it would be one more subpacket in every case). */
const SIGN_CONFIG = { ...config, nonDeterministicSignaturesViaNotation: false };

export interface RawSignatureOptions {
  /** The signature's creation time (default now). */
  created?: Date;
  /** enums.hash value (default SHA-256). */
  hash?: number;
  /** Seconds after creation at which the signature expires (Signature Expiration Time subpacket). */
  expiresAfterSeconds?: number;
  /** A notation marked critical that no implementation knows. */
  criticalNotation?: boolean;
  /** A hashed subpacket of an unassigned type (105) marked critical. */
  criticalUnknownSubpacket?: boolean;
}

/** One detached binary-document signature packet over `data` by `key` (a primary key or a subkey), unarmored. */
export async function rawSignaturePacket(
  key: SecretKeyPacket | SecretSubkeyPacket,
  data: Uint8Array,
  options: RawSignatureOptions = {},
): Promise<SignaturePacket> {
  const literal = new LiteralDataPacket();
  (literal as unknown as { setBytes(bytes: Uint8Array, format: number): void }).setBytes(data, enums.literal.binary);
  const packet = new SignaturePacket();
  packet.signatureType = enums.signature.binary;
  packet.publicKeyAlgorithm = key.algorithm;
  packet.hashAlgorithm = options.hash ?? enums.hash.sha256;
  if (options.expiresAfterSeconds !== undefined) {
    packet.signatureExpirationTime = options.expiresAfterSeconds;
    packet.signatureNeverExpires = false;
  }
  if (options.criticalNotation) packet.rawNotations = [{ name: 'unknown@hostile.example', value: new Uint8Array([1]), humanReadable: false, critical: true }];
  const open = packet as unknown as OpenSignaturePacket;
  if (options.criticalUnknownSubpacket) {
    const hashed = open.writeHashedSubPackets.bind(packet);
    open.writeHashedSubPackets = () => {
      // v4: two length bytes, then subpackets; one more: length 3, type 105 with the critical bit, two body bytes.
      const base = hashed();
      const extra = Uint8Array.from([3, 0x80 | 105, 7, 7]);
      const out = new Uint8Array(base.length + extra.length);
      out.set(base);
      out.set(extra, base.length);
      const length = (((base[0] ?? 0) << 8) | (base[1] ?? 0)) + extra.length;
      out[0] = length >> 8;
      out[1] = length & 0xff;
      return out;
    };
  }
  await open.sign(key, literal, options.created ?? new Date(), true, SIGN_CONFIG);
  return packet;
}

/** Packets as ASCII armor under the detached-signature label. */
export async function armoredSignature(packets: AnyPacket[]): Promise<string> {
  const list = new PacketList<AnyPacket>();
  list.push(...packets);
  const written = list.write();
  // A compressed packet is written as a stream.
  const bytes = written instanceof Uint8Array ? written : new Uint8Array(await new Response(written as ReadableStream<Uint8Array>).arrayBuffer());
  return armor(enums.armor.signature, bytes);
}

/** A detached signature by `key` over `data`, armored. */
export async function rawSignature(key: SecretKeyPacket | SecretSubkeyPacket, data: Uint8Array, options: RawSignatureOptions = {}): Promise<string> {
  return armoredSignature([await rawSignaturePacket(key, data, options)]);
}

/** A compressed data packet holding the packets of `asc`. */
export async function compressedPacketOf(asc: string): Promise<CompressedDataPacket> {
  const compressed = new CompressedDataPacket();
  const open = compressed as unknown as { algorithm: number; packets: PacketList<AnyPacket>; compress(): Promise<void> | void };
  open.algorithm = enums.compression.zip;
  open.packets = (await readSignature({ armoredSignature: asc })).packets;
  await open.compress();
  return compressed;
}

/** A signer whose key openpgp.js generates from these options (unencrypted), as the trust store would hold its public half. */
export async function signerWith(options: {
  name: string;
  date?: Date;
  subkeys?: SubkeyOptions[];
  curve?: 'curve25519Legacy' | 'nistP256';
}): Promise<TestSigner> {
  const { privateKey } = await generateKey({
    type: 'ecc',
    curve: options.curve ?? 'curve25519Legacy',
    userIDs: [{ name: options.name }],
    format: 'object',
    ...(options.date ? { date: options.date } : {}),
    ...(options.subkeys ? { subkeys: options.subkeys } : {}),
  });
  return signerOf(privateKey, options.name);
}

/** A TestSigner for a private key (its public half is what the station trusts). */
export function signerOf(privateKey: PrivateKey, name: string): TestSigner {
  const publicKey = privateKey.toPublic();
  return {
    privateKey,
    publicKey,
    trusted: { fingerprint: publicKey.getFingerprint().toUpperCase(), label: name, userIds: publicKey.getUserIDs(), key: publicKey },
  };
}

/**
 * The subkey's binding signature replaced by one whose key flags allow encryption only: the
 * subkey can still make a signature (EdDSA), but its owner never allowed it to sign.
 */
export async function withoutSigningFlag(signer: TestSigner, subkeyIndex: number, bound: Date): Promise<TestSigner> {
  const subkey = signer.privateKey.subkeys[subkeyIndex];
  if (!subkey) throw new Error(`no subkey ${subkeyIndex}`);
  const primary = signer.privateKey.keyPacket as SecretKeyPacket;
  const binding = new SignaturePacket();
  binding.signatureType = enums.signature.subkeyBinding;
  binding.publicKeyAlgorithm = primary.algorithm;
  binding.hashAlgorithm = enums.hash.sha256;
  binding.keyFlags = Uint8Array.from([enums.keyFlags.encryptCommunication | enums.keyFlags.encryptStorage]);
  await (binding as unknown as OpenSignaturePacket).sign(primary, { key: primary, bind: subkey.keyPacket }, bound, false, SIGN_CONFIG);
  subkey.bindingSignatures = [binding];
  return signerOf(signer.privateKey, signer.trusted.label ?? 'signer');
}
