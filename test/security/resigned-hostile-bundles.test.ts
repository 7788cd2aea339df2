/**
 * Hostile bundles signed correctly by a trusted key (test/helpers/resigned-cases.ts): most random
 * mutations die at the signature, so these are re-signed after the mutation and reach the bag
 * checks, the name rules and the tar reader behind authentication. Seeded cases per class (200
 * odd names, three rounds of every tar shape that disagrees with the manifest, every tag file
 * oddity, and signature packets and key standing); each goes through verify and import, called as
 * the station calls them, and must get:
 * - the same verdict and the same problem codes from both, never an operational error or a throw
 *   (one allowance: a name this station will not write is refused by import before the payload is
 *   read, so import cannot also report, say, that file missing);
 * - a refusal when the case is hostile, and an import of exactly the signed files when it is not;
 * - on refusal, a destination byte-identical to before (its earlier contents included), and no
 *   staging debris in it or beside it.
 * Some cases are also verified by the parallel pass (verify-both-ways.ts: it must report exactly
 * what the sequential one does; not every case, a worker pool per verify costs more than the rest)
 * and written to a folder that `media verify`'s engine then reads: the same verdict and codes.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from '../../shared/problems.js';
import { openStationDb, type StationDb } from '../../electron/core/db/station-db.js';
import { AirlockError } from '../../electron/core/errors.js';
import { importBundle } from '../../electron/core/import/import-bundle.js';
import { verifyMedium } from '../../electron/core/media/read-back/media-verify.js';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { enums, readKey, readSignature, revokeKey, Signature } from 'openpgp';
import type { TrustedKey } from '../../electron/core/crypto/detached-signature.js';
import { signDetached } from '../../electron/core/crypto/detached-signature.js';
import { resignedBag } from '../helpers/hostile-bag.js';
import { makeSigner, rawEntry, type TestSigner } from '../helpers/hostile-tar.js';
import { BASE_FILES, nameCase, SHAPE_COUNT, shapeCase, TAG_ODDITY_COUNT, tagCase, type CaseContext, type HostileCase } from '../helpers/resigned-cases.js';
import { BAGIT_ODDITY_COUNT, bagitCase } from '../helpers/resigned-bagit-cases.js';
import { snapshotTree } from '../helpers/tree-snapshot.js';
import { checkBundle, type CheckBundleOptions, type CheckBundleResult } from '../../electron/core/verify/check-bundle.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';

/** Both passes, or the sequential one alone (a worker pool per verify costs more than the rest). */
async function verifiedBothWays(options: Omit<CheckBundleOptions, 'payloadLanes'>, lanes: boolean): Promise<CheckBundleResult> {
  return lanes ? verifyBothWays(options) : checkBundle({ ...options, payloadLanes: 'off' });
}

let root: string;
let signer: TestSigner;
let db: StationDb;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-resigned-'));
  signer = await makeSigner();
  db = openStationDb(join(root, 'station.db'));
});
afterAll(async () => {
  db.close();
  await rm(root, { recursive: true, force: true });
});

interface Outcome {
  what: string;
  hostile: boolean;
  verify: { ok: boolean; codes: string[] };
  import: { ok: boolean; codes: string[] };
  /** Codes of the names this station will not write: import refuses them before reading the payload. */
  gate: string[];
}

const codesOf = (problems: Array<{ code: string }>): string[] => [...new Set(problems.map((p) => p.code))].sort();

/** One case through verify and import; checks the destination and returns what each said. */
async function judge(c: HostileCase, lanes: boolean, trusted: TrustedKey[] = [signer.trusted], medium?: Medium): Promise<Outcome> {
  n += 1;
  const dir = join(root, `c${n}`);
  await mkdir(dir);
  const bundlePath = join(dir, 'in.airlock.tar');
  await writeFile(bundlePath, c.bytes);
  const verified = await verifiedBothWays(
    {
      bundlePath,
      trusted,
      limits: DEFAULT_LIMITS,
      requiredSigners: DEFAULT_POLICY.requiredSigners,
      clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
      reportNames: DEFAULT_POLICY.names,
    },
    lanes,
  );
  // A destination holding earlier imports: a refusal must leave it exactly as it was.
  const dest = join(dir, 'dest');
  await mkdir(join(dest, 'earlier'), { recursive: true });
  await writeFile(join(dest, 'earlier', 'kept.txt'), 'kept\n');
  const before = await snapshotTree(dir);
  let imported: Outcome['import'];
  try {
    const result = await importBundle({ bundlePath, destDir: dest, trusted, policy: DEFAULT_POLICY, db, operator: 'tester', allowReplay: true });
    imported = { ok: result.ok, codes: codesOf(result.problems) };
    if (result.ok) expect(result.destination).toBe(join(dest, 'bag'));
    else expect(result.destination).toBeNull();
  } catch (error) {
    if (!(error instanceof AirlockError)) throw error;
    imported = { ok: false, codes: [`error:${error.code}`] };
  }
  if (!imported.ok) expect(await snapshotTree(dir), c.what).toEqual(before);
  else {
    // Exactly the signed payload lands, under the bundle's name, beside what was there.
    expect((await readdir(dest)).sort(), c.what).toEqual(['bag', 'earlier']);
    const landed = Object.entries(await snapshotTree(join(dest, 'bag'))).flatMap(([path, entry]) => (entry.startsWith('file ') ? [`data/${path}`] : []));
    const signed = verified.files.listed.filter((f) => f.outcome === 'ok').map((f) => f.path);
    expect(landed.sort(), c.what).toEqual(signed.sort());
  }
  await rm(dir, { recursive: true, force: true });
  // A name this station will not write is a failed finding of verify's, not a problem (verify-import-parity.test.ts).
  const verdict = verdictOf(verified);
  if (medium) {
    // The same bytes on a "medium": media verify of the folder must say the same of it (mediumAgrees).
    const name = `c${n}.airlock.tar`;
    await writeFile(join(medium.dir, name), c.bytes);
    medium.expected.set(join(medium.dir, name), { what: c.what, ...verdict });
  }
  return { what: c.what, hostile: c.hostile, verify: verdict, import: imported, gate: verdict.gate };
}

/** Verify's verdict as import gives it: its problems, and the names this station will not write (findings import refuses by). */
function verdictOf(verified: Pick<CheckBundleResult, 'ok' | 'problems' | 'policy'>): { ok: boolean; codes: string[]; gate: string[] } {
  // (Findings verify refuses by mirror its problems.)
  const failed = verified.policy.findings.filter((f) => f.outcome === 'fail' && f.code !== null && f.refusedBy === 'import') as Array<{ code: string }>;
  return { ok: verified.ok && failed.length === 0, codes: codesOf([...verified.problems, ...failed]), gate: codesOf(failed) };
}

/** A folder standing in for a medium, and what verify said of each bundle written to it. */
interface Medium {
  dir: string;
  expected: Map<string, { what: string; ok: boolean; codes: string[] }>;
}

async function newMedium(name: string): Promise<Medium> {
  const dir = join(root, name);
  await mkdir(dir);
  return { dir, expected: new Map() };
}

/** `airlock media verify DIR` (its engine): every bundle on the medium gets the verdict and codes verify gave it. */
async function mediumAgrees(medium: Medium): Promise<void> {
  const report = await verifyMedium(medium.dir, {
    checks: {
      trusted: [signer.trusted],
      limits: DEFAULT_LIMITS,
      requiredSigners: DEFAULT_POLICY.requiredSigners,
      clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
      reportNames: DEFAULT_POLICY.names,
    },
    medium: null,
  });
  const seen = report.items.map((item) => {
    const { gate: _gate, ...verdict } = verdictOf(item.result);
    return { what: medium.expected.get(item.file)?.what, ...verdict };
  });
  expect(seen).toEqual(
    [...medium.expected.keys()].sort().map((file) => {
      const { what, ok, codes } = medium.expected.get(file) as { what: string; ok: boolean; codes: string[] };
      return { what, ok, codes };
    }),
  );
  expect(report.ok).toBe(seen.every((s) => s.ok));
  await rm(medium.dir, { recursive: true, force: true });
}

function check(outcomes: Outcome[]): void {
  const wrong = outcomes.filter(
    (o) =>
      o.verify.ok !== o.import.ok ||
      // Import's name gate refuses before the payload is read, so it cannot also find a file missing.
      (o.verify.codes.join() !== o.import.codes.join() && (o.gate.length === 0 || o.import.codes.join() !== o.gate.join())) ||
      (o.hostile && o.verify.ok) ||
      (!o.hostile && !o.verify.ok) ||
      o.import.codes.some((code) => !(PROBLEM_CODES as readonly string[]).includes(code)),
  );
  expect(wrong).toEqual([]);
  // Not vacuous: the generator makes both bundles to refuse and bundles to accept.
  expect(outcomes.some((o) => o.verify.ok) && outcomes.some((o) => !o.verify.ok)).toBe(true);
}

const ctx = (): CaseContext => ({ signer, top: 'bag' });

describe('re-signed hostile bundles: verify and import agree, refuse what is hostile, write nothing', () => {
  it('odd names in the manifest and the tar (NUL, controls, invalid UTF-8, traversal, NFC/NFD, lengths, depths)', async () => {
    const outcomes: Outcome[] = [];
    const medium = await newMedium('medium-names');
    for (let seed = 1; seed <= 200; seed += 1)
      outcomes.push(await judge(await nameCase(ctx(), seed), seed % 5 === 0, undefined, seed % 5 === 1 ? medium : undefined));
    check(outcomes);
    await mediumAgrees(medium);
  }, 600_000);

  it('tar shapes that disagree with the manifest (extra, missing, duplicate, after the end, sizes, pax, long names, links, devices)', async () => {
    const outcomes: Outcome[] = [];
    const medium = await newMedium('medium-shapes');
    for (let seed = 0; seed < SHAPE_COUNT * 3; seed += 1)
      outcomes.push(await judge(await shapeCase(ctx(), seed), seed < SHAPE_COUNT, undefined, seed < SHAPE_COUNT ? medium : undefined));
    check(outcomes);
    await mediumAgrees(medium);
  }, 600_000);

  it('tag file oddities (bag-info.txt, the manifest, the tag manifest)', async () => {
    const outcomes: Outcome[] = [];
    const medium = await newMedium('medium-tags');
    for (let i = 0; i < TAG_ODDITY_COUNT; i += 1) outcomes.push(await judge(await tagCase(ctx(), i), i % 3 === 0, undefined, medium));
    check(outcomes);
    await mediumAgrees(medium);
  }, 600_000);

  it('BagIt declaration and coverage (bagit.txt, Payload-Oxum, line ends, a path twice, other manifests, fetch.txt, the tag manifest leaving a file out)', async () => {
    const outcomes: Outcome[] = [];
    const medium = await newMedium('medium-bagit');
    for (let i = 0; i < BAGIT_ODDITY_COUNT; i += 1) outcomes.push(await judge(await bagitCase(ctx(), i), i % 3 === 0, undefined, medium));
    check(outcomes);
    await mediumAgrees(medium);
  }, 600_000);
});

const DAY = 86_400_000;

/** A bag signed by `signing`, whose signature file then holds `extra` packets too (each armored alone). */
async function signedBy(signing: TestSigner, extra: string[] = []): Promise<Buffer> {
  const built = await resignedBag(signing, BASE_FILES);
  const asc = built.tagEntries.find((e) => e.path.endsWith('.asc'));
  if (!asc) throw new Error('no signature entry');
  if (extra.length > 0) {
    const signature = await readSignature({ armoredSignature: String(asc.body) });
    for (const more of extra) signature.packets.push(...(await readSignature({ armoredSignature: more })).packets);
    asc.body = new Signature(signature.packets).armor();
  }
  return Buffer.concat([...[...built.tagEntries, ...built.payloadEntries].map(rawEntry), Buffer.alloc(1024)]);
}

describe('re-signed hostile bundles: signature packets and key standing, through verify and import', () => {
  it('a second packet by a trusted key over other bytes, beside a good one: SIGNATURE_INVALID', async () => {
    const other = await signDetached(Buffer.from('other bytes'), [signer.privateKey]);
    const outcome = await judge({ what: 'second packet over other bytes', hostile: true, bytes: await signedBy(signer, [other]) }, true);
    expect(outcome).toMatchObject({ verify: { ok: false, codes: ['SIGNATURE_INVALID'] }, import: { ok: false, codes: ['SIGNATURE_INVALID'] } });
  });

  it('a second good packet by an untrusted key beside a trusted one: accepted (co-signers the station does not know are ignored)', async () => {
    const stranger = await makeSigner('Stranger');
    const built = await resignedBag(stranger, BASE_FILES);
    const strangerAsc = String(built.tagEntries.find((e) => e.path.endsWith('.asc'))?.body);
    const outcome = await judge({ what: 'stranger co-signs', hostile: false, bytes: await signedBy(signer, [strangerAsc]) }, false);
    expect(outcome).toMatchObject({ verify: { ok: true }, import: { ok: true } });
  });

  it('a key expired now, the signature backdated into its life: SIGNER_EXPIRED', async () => {
    const created = new Date(Date.now() - 10 * DAY);
    const shortLived = await makeSigner('Expired', { date: created, keyExpirationTime: 3600 });
    // Built with another key, then signed again by the expired one at a date of its life.
    const built = await resignedBag(signer, BASE_FILES);
    const asc = built.tagEntries.find((e) => e.path.endsWith('.asc'));
    const tagmanifest = built.tagEntries.find((e) => e.path.endsWith('tagmanifest-sha256.txt'));
    if (!asc || !tagmanifest) throw new Error('no tag entries');
    asc.body = await signDetached(Buffer.from(tagmanifest.body ?? ''), [shortLived.privateKey], new Date(created.getTime() + 60_000));
    const bytes = Buffer.concat([...[...built.tagEntries, ...built.payloadEntries].map(rawEntry), Buffer.alloc(1024)]);
    const outcome = await judge({ what: 'expired key', hostile: true, bytes }, false, [shortLived.trusted]);
    expect(outcome).toMatchObject({ verify: { ok: false, codes: ['SIGNER_EXPIRED'] }, import: { ok: false, codes: ['SIGNER_EXPIRED'] } });
  });

  it('a key revoked after it signed (its revocation in the trust store): SIGNER_REVOKED', async () => {
    const compromised = await makeSigner('Compromised', { date: new Date(Date.now() - 5 * DAY) });
    const bytes = await signedBy(compromised);
    const { publicKey } = await revokeKey({
      key: compromised.privateKey,
      reasonForRevocation: { flag: enums.reasonForRevocation.keyCompromised },
      format: 'armored',
    });
    const trusted: TrustedKey = { ...compromised.trusted, key: await readKey({ armoredKey: publicKey }) };
    const outcome = await judge({ what: 'revoked key', hostile: true, bytes }, false, [trusted]);
    expect(outcome).toMatchObject({ verify: { ok: false, codes: ['SIGNER_REVOKED'] }, import: { ok: false, codes: ['SIGNER_REVOKED'] } });
  });
});
