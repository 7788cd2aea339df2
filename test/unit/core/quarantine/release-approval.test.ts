/**
 * Release decisions (quarantine/release-approval.ts), the two-person rule for a quarantine release:
 * each decision names the entry, the bundle's tag manifest and the destination; a signed one must
 * verify by a key the station trusts; where two persons are required, two signed decisions by two
 * different keys. The same approver twice, an unsigned or untrusted decision, another destination,
 * an edited statement: RELEASE_APPROVAL_INVALID.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { checkApprovals, checkReason, makeApproval, STATEMENT_KIND, type ReleaseStatement } from '../../../../electron/core/quarantine/release-approval.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

let alice: TestSigner;
let bob: TestSigner;
let mallory: TestSigner;

beforeAll(async () => {
  [alice, bob, mallory] = await Promise.all([makeSigner('Alice'), makeSigner('Bob'), makeSigner('Mallory')]);
});

const ID = '20261203T064512Z-9f3a1c2e';
const TAG = 'cd'.repeat(32);
const expectFor = (required: 1 | 2, destDir = '/srv/in') => ({ id: ID, tagmanifestSha256: TAG, destDir, required });

function statement(operator: string, extra: Partial<ReleaseStatement> = {}): ReleaseStatement {
  return {
    kind: STATEMENT_KIND,
    id: ID,
    tagmanifestSha256: TAG,
    destDir: '/srv/in',
    reason: 'false positive, checked by hand',
    operator,
    at: '2026-12-03T07:00:00Z',
    ...extra,
  };
}

const trusted = () => [alice.trusted, bob.trusted];

describe('release decisions', () => {
  it('one unsigned decision with a reason is enough where one person may release', async () => {
    const checked = await checkApprovals([await makeApproval(statement('alice'), null)], expectFor(1), trusted());
    expect(checked).toEqual([{ statement: statement('alice'), fingerprint: null }]);
  });

  it('two signed decisions by two trusted keys release where two persons are required', async () => {
    const both = [await makeApproval(statement('alice'), openpgpSigner(alice.privateKey)), await makeApproval(statement('bob'), openpgpSigner(bob.privateKey))];
    const checked = await checkApprovals(both, expectFor(2), trusted());
    expect(checked.map((c) => c.fingerprint)).toEqual([alice.trusted.fingerprint, bob.trusted.fingerprint]);
  });

  it('the same key twice is one person: refused, whatever name each decision gives', async () => {
    const twice = [
      await makeApproval(statement('alice'), openpgpSigner(alice.privateKey)),
      await makeApproval(statement('bob'), openpgpSigner(alice.privateKey)),
    ];
    await expect(checkApprovals(twice, expectFor(2), trusted())).rejects.toMatchObject({ code: 'RELEASE_APPROVAL_INVALID', data: { reason: 'same-approver' } });
  });

  it('an unsigned decision does not count where two persons are required', async () => {
    const list = [await makeApproval(statement('alice'), openpgpSigner(alice.privateKey)), await makeApproval(statement('bob'), null)];
    await expect(checkApprovals(list, expectFor(2), trusted())).rejects.toMatchObject({ code: 'RELEASE_APPROVAL_INVALID', data: { reason: 'unsigned' } });
  });

  it('a key the station does not trust proves nobody', async () => {
    const list = [
      await makeApproval(statement('alice'), openpgpSigner(alice.privateKey)),
      await makeApproval(statement('mallory'), openpgpSigner(mallory.privateKey)),
    ];
    await expect(checkApprovals(list, expectFor(2), trusted())).rejects.toMatchObject({ code: 'RELEASE_APPROVAL_INVALID', data: { reason: 'signature' } });
  });

  it('an edited statement (another reason after signing) fails its signature', async () => {
    const signed = await makeApproval(statement('alice'), openpgpSigner(alice.privateKey));
    const edited = { ...signed, statement: signed.statement.replace('false positive', 'whatever') };
    await expect(checkApprovals([edited], expectFor(1), trusted())).rejects.toMatchObject({ code: 'RELEASE_APPROVAL_INVALID' });
  });

  it('a decision for another destination, entry or bundle does not carry over', async () => {
    const first = await makeApproval(statement('alice'), openpgpSigner(alice.privateKey));
    await expect(checkApprovals([first], expectFor(2, '/srv/elsewhere'), trusted())).rejects.toMatchObject({
      code: 'RELEASE_APPROVAL_INVALID',
      data: { reason: 'destination-differs' },
    });
    const other = await makeApproval(statement('alice', { tagmanifestSha256: 'ef'.repeat(32) }), openpgpSigner(alice.privateKey));
    await expect(checkApprovals([other], expectFor(1), trusted())).rejects.toMatchObject({ code: 'RELEASE_APPROVAL_INVALID' });
  });

  it('a reason is required, in words, and bounded', () => {
    expect(checkReason('  checked by hand \n')).toBe('checked by hand');
    for (const bad of ['', '   ', '\n\t', 'x'.repeat(2001)])
      expect(() => checkReason(bad)).toThrow(expect.objectContaining({ code: 'RELEASE_APPROVAL_INVALID' }));
  });
});
