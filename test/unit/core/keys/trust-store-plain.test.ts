/**
 * The trust store read without zod (keys/trust-store-plain.ts) against the zod schema that defines
 * it, over hostile stores: for every JSON value the plain check gives a result only where the
 * schema accepts, and then the schema's result, fields in the same order (`keys list --json`
 * prints them); it leaves to the schema only what it cannot measure the way zod does (a label or
 * role over its limit in UTF-16 units: zod counts code points). A refused store goes to the
 * schema, so the error is the schema's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { plainTrustStore } from '../../../../electron/core/keys/trust-store-plain.js';
import { readTrustStore, trustStoreSchema } from '../../../../electron/core/keys/trust-store.js';

const FPR40 = 'A'.repeat(8) + '0123456789ABCDEF0123456789ABCDEF';
const FPR64 = '0123456789ABCDEF'.repeat(4);

function signer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fingerprint: FPR40,
    label: 'site B',
    role: 'operator',
    userIds: ['Station B <b@example.org>'],
    algorithm: 'eddsaLegacy (ed25519Legacy)',
    addedAt: '2026-12-04T16:33:24.433Z',
    publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n-----END PGP PUBLIC KEY BLOCK-----\n',
    ...overrides,
  };
}

/** Values a hostile or damaged file may hold where a field belongs. */
const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  1,
  -1,
  1.5,
  '',
  ' ',
  'x',
  'a'.repeat(50),
  'a'.repeat(51),
  'a'.repeat(200),
  'a'.repeat(201),
  '\u{1F511}'.repeat(100),
  '\u{1F511}'.repeat(101),
  FPR40,
  FPR64,
  FPR40.toLowerCase(),
  `${FPR40}\n`,
  `${FPR40}A`,
  FPR40.slice(1),
  `${FPR40} `,
  `${FPR40}\u0000`,
  FPR64.slice(1),
  [],
  [''],
  ['a', 1],
  [null],
  [['nested']],
  {},
  { length: 1 },
  { 0: 'a', length: 1 },
];

const FIELDS = ['fingerprint', 'label', 'role', 'userIds', 'algorithm', 'addedAt', 'publicKey', 'revokedAt', 'retiredAt'];

function hostileStores(): unknown[] {
  const stores: unknown[] = [
    null,
    0,
    'store',
    [],
    {},
    { version: 1 },
    { signers: [] },
    { version: 1, signers: [] },
    { version: 2, signers: [] },
    { version: '1', signers: [] },
    { version: true, signers: [] },
    { version: 1, signers: {} },
    { version: 1, signers: null },
    { version: 1, signers: 'a' },
    { version: 1, signers: [null] },
    { version: 1, signers: [[]] },
    { version: 1, signers: [signer()], extra: 'dropped' },
    { version: 1, signers: [signer(), signer({ fingerprint: FPR64, label: null, role: null, userIds: [] })] },
    { version: 1, signers: [signer({ revokedAt: '2026-12-04T17:00:00.000Z', retiredAt: '2026-12-04T16:00:00.000Z' })] },
    { version: 1, signers: [signer({ unknown: 1, another: { deep: true } })] },
    // Key order in the file is not the order of the result.
    { version: 1, signers: [Object.fromEntries(Object.entries(signer({ revokedAt: 'r' })).reverse())] },
    { signers: [signer()], version: 1 },
  ];
  for (const field of FIELDS) {
    const { [field]: _dropped, ...without } = signer({ revokedAt: 'r', retiredAt: 'q' });
    stores.push({ version: 1, signers: [without] });
    for (const value of ODD_VALUES) {
      stores.push({ version: 1, signers: [signer({ [field]: value })] });
      // The bad entry after a good one: the check must look at every entry.
      stores.push({ version: 1, signers: [signer(), signer({ [field]: value })] });
    }
  }
  // "__proto__" as JSON.parse makes it: an own property, never the prototype.
  stores.push(JSON.parse(`{"version":1,"signers":[${JSON.stringify(signer()).slice(0, -1)},"__proto__":{"revokedAt":"x"}}]}`));
  stores.push(JSON.parse(`{"version":1,"__proto__":{"signers":[]}}`));
  stores.push(JSON.parse(`{"version":1,"signers":[],"__proto__":[]}`));
  return stores;
}

/** A small seeded generator, so a failure names a case that can be run again. */
function* randomStores(seed: number, count: number): Generator<unknown> {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  for (let i = 0; i < count; i += 1) {
    const signers = Array.from({ length: Math.floor(next() * 3) }, () => {
      const entry = signer();
      for (const field of FIELDS) {
        const roll = next();
        if (roll < 0.08) delete entry[field];
        else if (roll < 0.2) entry[field] = pick(ODD_VALUES);
      }
      return entry;
    });
    yield { version: next() < 0.9 ? 1 : pick(ODD_VALUES), signers: next() < 0.95 ? signers : pick(ODD_VALUES) };
  }
}

/** A signer whose label or role has more UTF-16 units than the schema's limit (which zod counts in code points). */
function overLimitInUnits(json: unknown): boolean {
  const signers = (json as { signers: { label: string | null; role: string | null }[] }).signers;
  return signers.some(({ label, role }) => (label?.length ?? 0) > 200 || (role?.length ?? 0) > 50);
}

describe('the trust store read without zod', () => {
  it('gives a result only where the schema accepts, the schema result with its field order, and leaves only over-long labels and roles to it', () => {
    let accepted = 0;
    let refused = 0;
    let deferred = 0;
    const cases = [...hostileStores(), ...randomStores(18, 3000)];
    for (const [index, store] of cases.entries()) {
      const json = JSON.parse(JSON.stringify(store)) as unknown;
      const schema = trustStoreSchema().safeParse(json);
      const plain = plainTrustStore(json);
      const label = `case ${String(index)}: ${JSON.stringify(json).slice(0, 300)}`;
      // A result only where the schema accepts; where it accepts, a result unless a label or role is over its limit in UTF-16 units (zod counts code points).
      if (plain !== undefined) expect(schema.success, label).toBe(true);
      else if (schema.success) {
        expect(overLimitInUnits(json), label).toBe(true);
        deferred += 1;
        continue;
      }
      if (schema.success) {
        expect(JSON.stringify(plain), `case ${String(index)}`).toBe(JSON.stringify(schema.data));
        expect(plain).toEqual(schema.data);
        accepted += 1;
      } else refused += 1;
    }
    // Both sides of the comparison were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    expect(deferred).toBeGreaterThan(0);
  });

  it('returns fresh arrays: the result shares no array with the parsed file', () => {
    const json = { version: 1, signers: [signer()] };
    const plain = plainTrustStore(json);
    expect(plain?.signers).not.toBe(json.signers);
    expect(plain?.signers[0]?.userIds).not.toBe(json.signers[0]?.userIds);
  });
});

describe('readTrustStore', () => {
  let home = '';
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'airlock-trust-plain-'));
  });
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('reads a valid store, and refuses a hostile one with CONFIG_INVALID naming the field, as the schema words it', async () => {
    const paths = homePaths(home);
    await rm(paths.keysDir, { recursive: true, force: true });
    await import('node:fs/promises').then(({ mkdir }) => mkdir(paths.keysDir, { recursive: true }));
    await writeFile(paths.trustStore, JSON.stringify({ version: 1, signers: [signer({ extra: 1 })] }));
    expect(await readTrustStore(paths)).toEqual([signer()]);

    const hostile = { version: 1, signers: [signer(), signer({ fingerprint: FPR40.toLowerCase() })] };
    await writeFile(paths.trustStore, JSON.stringify(hostile));
    const schemaSays = trustStoreSchema().safeParse(hostile);
    expect(schemaSays.success).toBe(false);
    const expected = schemaSays.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') ?? '';
    await expect(readTrustStore(paths)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('signers.1.fingerprint') });
    await expect(readTrustStore(paths)).rejects.toMatchObject({ message: expect.stringContaining(expected) });
  });
});
