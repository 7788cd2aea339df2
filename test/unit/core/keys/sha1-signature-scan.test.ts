import { describe, expect, it } from 'vitest';
import { mayHoldSha1Signature } from '../../../../electron/core/keys/sha1-signature-scan.js';
import { sha1BoundSigner } from '../../../helpers/sha1-bound-keys.js';

describe('mayHoldSha1Signature (the cheap look before the full check)', () => {
  it('false for a key whose signatures all use SHA-256', async () => {
    expect(mayHoldSha1Signature((await sha1BoundSigner('Good', {})).publicKey.armor())).toBe(false);
  });

  it.each([
    ['self-signature', { selfSignature: true }],
    ['subkey binding', { binding: true }],
    ['back-signature only (embedded in the binding)', { backSignature: true }],
  ])('true for SHA-1 in the %s', async (_label, parts) => {
    expect(mayHoldSha1Signature((await sha1BoundSigner('Old', parts)).publicKey.armor())).toBe(true);
  });

  it('true (the full check decides) for what it cannot read', async () => {
    const armored = (await sha1BoundSigner('Good', {})).publicKey.armor();
    expect(mayHoldSha1Signature('not a key')).toBe(true);
    const lines = armored.split('\n');
    // Cut the base64 in the middle: the last packet's length runs past the end.
    const body = lines.findIndex((l) => l === '') + 1;
    const cut = [...lines.slice(0, body + 3), ...lines.slice(lines.findIndex((l) => l.startsWith('-----END')))].join('\n');
    expect(mayHoldSha1Signature(cut)).toBe(true);
  });
});
