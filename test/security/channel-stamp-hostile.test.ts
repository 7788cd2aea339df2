/**
 * Hostile channel stamps (docs/channels.md): bag-info fields no honest sender writes, validly
 * signed by a trusted key, so the refusal is the stamp check's doing. Verify and import both
 * refuse with CHANNEL_STAMP_INVALID, always (no policy can let a malformed stamp through), and
 * import leaves its destination empty and the channel state untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resignedBag } from '../helpers/hostile-bag.js';
import { tarOf, type BagPayloadFile } from '../helpers/hostile-tar.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';

let judge: Judge;
beforeAll(async () => {
  judge = await openJudge('airlock-channel-hostile-');
});
afterAll(async () => {
  await judge.close();
});

const HASH = 'c'.repeat(64);
const payload: BagPayloadFile[] = [{ path: 'data/a.txt', content: 'alpha\n' }];

async function bundleWith(fields: string, files: BagPayloadFile[] = payload): Promise<string> {
  const bag = await resignedBag(judge.signer, files, { edit: { 'bag-info.txt': (bytes) => Buffer.concat([bytes, Buffer.from(fields)]) } });
  return judge.write(tarOf([...bag.tagEntries, ...bag.payloadEntries]));
}

const stamp = (sequence: string, previous: string, channel = 'diode-a'): string =>
  `Airlock-Channel: ${channel}\nAirlock-Channel-Sequence: ${sequence}\nAirlock-Channel-Previous: ${previous}\n`;

describe('hostile channel stamps are refused by verify and import alike', () => {
  it.each([
    ['a huge sequence number', stamp('99999999999999999999', HASH)],
    ['a sequence beyond 2^53', stamp('9007199254740993', HASH)],
    ['leading zeros', stamp('0002', HASH)],
    ['a plus sign', stamp('+1', 'none')],
    ['Unicode digits (Devanagari two)', stamp('\u0968', HASH)],
    ['a non-hex previous hash', stamp('2', 'g'.repeat(64))],
    ['previous "none" after the first', stamp('5', 'none')],
    ['two Airlock-Channel fields', `${stamp('1', 'none')}Airlock-Channel: diode-b\n`],
    ['two sequence fields, the same value', `${stamp('1', 'none')}Airlock-Channel-Sequence: 1\n`],
    ['a channel name with a path in it', stamp('1', 'none', '../etc')],
    ['a channel field alone', 'Airlock-Channel: diode-a\n'],
    ['an unknown bundle kind', `${stamp('1', 'none')}Airlock-Bundle-Kind: feed\n`],
  ])('%s', async (_name, fields) => {
    const bundle = await bundleWith(fields);
    expect(await judge.verifyCodes(bundle)).toEqual(['CHANNEL_STAMP_INVALID']);
    expect(await judge.importCodes(bundle)).toEqual(['CHANNEL_STAMP_INVALID']);
    expect(judge.db.prepare('SELECT COUNT(*) AS n FROM channel_seen').get()).toEqual({ n: 0 });
  });

  it('a heartbeat that carries a payload', async () => {
    const bundle = await bundleWith(`${stamp('1', 'none')}Airlock-Bundle-Kind: heartbeat\n`);
    expect(await judge.verifyCodes(bundle)).toEqual(['CHANNEL_STAMP_INVALID']);
    expect(await judge.importCodes(bundle)).toEqual(['CHANNEL_STAMP_INVALID']);
  });

  it('a signed, stamped bundle whose tar puts bag-info.txt after the payload (the stamp would go unchecked)', async () => {
    const bag = await resignedBag(judge.signer, payload, { edit: { 'bag-info.txt': (bytes) => Buffer.concat([bytes, Buffer.from(stamp('1', 'none'))]) } });
    const late = bag.tagEntries.filter((e) => e.path.endsWith('/bag-info.txt'));
    const early = bag.tagEntries.filter((e) => !e.path.endsWith('/bag-info.txt'));
    const bundle = await judge.write(tarOf([...early, ...bag.payloadEntries, ...late]));
    expect(await judge.verifyCodes(bundle)).toEqual(['CHANNEL_STAMP_INVALID']);
    expect(await judge.importCodes(bundle)).toEqual(['CHANNEL_STAMP_INVALID']);
  });
});
