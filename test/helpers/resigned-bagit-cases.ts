/**
 * Class 1d of the re-signed hostile bundles (resigned-cases.ts holds 1a-1c): the BagIt tag files
 * a trusted key signed, past what the tag-file class covers. bagit.txt itself (another version or
 * encoding, a byte-order mark, UTF-16, each line end, a missing final line end, a repeated or
 * reordered or extra line); bag-info.txt's Payload-Oxum lying in either half, or absent; bare CR
 * line ends; a path listed twice; a separator of one space; a manifest for another algorithm, a
 * fetch.txt, a tag manifest that leaves a tag file out. Each says whether an honest reading must
 * refuse it (docs/bundle-format.md section 5 is the contract for the honest ones).
 * Used by test/security/resigned-hostile-bundles.test.ts.
 */
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../electron/core/crypto/sha256.js';
import { resignedBag, utf16, UTF8_BOM, type ResignOptions } from './hostile-bag.js';
import { rawEntry, type RawEntry } from './hostile-tar.js';
import { BASE_FILES, type CaseContext, type HostileCase } from './resigned-cases.js';

interface BagitOddity {
  label: string;
  hostile: boolean;
  edit: NonNullable<ResignOptions['edit']>;
  extraTags?: Array<{ name: string; bytes: Buffer }>;
}

const u = (text: string): Buffer => Buffer.from(text, 'utf8');
const str = (b: Buffer): string => b.toString('utf8');
/** The manifest line for a.txt, as the honest exporter writes it. */
const lineOfA = (b: Buffer): string =>
  str(b)
    .split('\n')
    .find((l) => l.endsWith('data/a.txt')) ?? '';
/** An honest manifest's lines in another algorithm, as a BagIt tool would write them. */
const manifestIn = (algorithm: 'md5' | 'sha512'): Buffer =>
  u(BASE_FILES.map((f) => `${createHash(algorithm).update(f.content).digest('hex')}  ${f.path}\n`).join(''));
const withoutLine = (name: string) => (b: Buffer) => u(str(b).replace(new RegExp(`^[0-9a-f]{64} {2}${name.replace('.', '\\.')}\\n`, 'mu'), ''));

const BAGIT_ODDITIES: BagitOddity[] = [
  { label: 'bagit.txt declaring BagIt-Version 0.97', hostile: true, edit: { 'bagit.txt': (b) => u(str(b).replace('1.0', '0.97')) } },
  { label: 'bagit.txt declaring BagIt-Version 1.1', hostile: true, edit: { 'bagit.txt': (b) => u(str(b).replace('1.0', '1.1')) } },
  { label: 'bagit.txt declaring ISO-8859-1', hostile: true, edit: { 'bagit.txt': (b) => u(str(b).replace('UTF-8', 'ISO-8859-1')) } },
  { label: 'bagit.txt with a UTF-8 byte-order mark', hostile: true, edit: { 'bagit.txt': (b) => Buffer.concat([UTF8_BOM, b]) } },
  { label: 'bagit.txt in UTF-16LE', hostile: true, edit: { 'bagit.txt': (b) => utf16(b, 'le') } },
  { label: 'bagit.txt with BagIt-Version twice', hostile: true, edit: { 'bagit.txt': (b) => u(`BagIt-Version: 1.0\n${str(b)}`) } },
  {
    label: 'bagit.txt with its two lines swapped',
    hostile: true,
    edit: { 'bagit.txt': () => u('Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n') },
  },
  { label: 'bagit.txt with a third line', hostile: true, edit: { 'bagit.txt': (b) => u(`${str(b)}Extra: x\n`) } },
  { label: 'bagit.txt with a lower-case label', hostile: true, edit: { 'bagit.txt': (b) => u(str(b).replace('BagIt-Version', 'bagit-version')) } },
  { label: 'bagit.txt with a blank line at the end', hostile: true, edit: { 'bagit.txt': (b) => u(`${str(b)}\n`) } },
  { label: 'bagit.txt with CRLF line ends', hostile: false, edit: { 'bagit.txt': (b) => u(str(b).replace(/\n/gu, '\r\n')) } },
  { label: 'bagit.txt with CR line ends', hostile: false, edit: { 'bagit.txt': (b) => u(str(b).replace(/\n/gu, '\r')) } },
  { label: 'bagit.txt without its final line end', hostile: false, edit: { 'bagit.txt': (b) => b.subarray(0, b.length - 1) } },
  { label: 'bag-info.txt with CR line ends', hostile: false, edit: { 'bag-info.txt': (b) => u(str(b).replace(/\n/gu, '\r')) } },
  { label: 'bag-info.txt with a UTF-8 byte-order mark', hostile: true, edit: { 'bag-info.txt': (b) => Buffer.concat([UTF8_BOM, b]) } },
  {
    label: 'bag-info.txt Payload-Oxum with the right file count and a byte fewer',
    hostile: true,
    edit: {
      'bag-info.txt': (b) =>
        u(str(b).replace(/Payload-Oxum: (\d+)\.(\d+)/u, (_m, bytes: string, files: string) => `Payload-Oxum: ${Number(bytes) - 1}.${files}`)),
    },
  },
  {
    label: 'bag-info.txt Payload-Oxum with the right bytes and a file more',
    hostile: true,
    edit: {
      'bag-info.txt': (b) =>
        u(str(b).replace(/Payload-Oxum: (\d+)\.(\d+)/u, (_m, bytes: string, files: string) => `Payload-Oxum: ${bytes}.${Number(files) + 1}`)),
    },
  },
  {
    label: 'bag-info.txt Payload-Oxum without its dot',
    hostile: true,
    edit: { 'bag-info.txt': (b) => u(str(b).replace(/Payload-Oxum: (\d+)\.(\d+)/u, 'Payload-Oxum: $1$2')) },
  },
  {
    label: 'bag-info.txt without Payload-Oxum (RFC 8493: optional)',
    hostile: false,
    edit: { 'bag-info.txt': (b) => u(str(b).replace(/^Payload-Oxum: .*\n/mu, '')) },
  },
  { label: 'the manifest with CR line ends', hostile: false, edit: { 'manifest-sha256.txt': (b) => u(str(b).replace(/\n/gu, '\r')) } },
  {
    label: 'the manifest with one space between checksum and path',
    hostile: false,
    edit: { 'manifest-sha256.txt': (b) => u(str(b).replace(/ {2}data/gu, ' data')) },
  },
  { label: 'the manifest listing a path twice, the same checksum', hostile: true, edit: { 'manifest-sha256.txt': (b) => u(`${str(b)}${lineOfA(b)}\n`) } },
  {
    label: 'the manifest listing a path twice, another checksum',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => u(`${str(b)}${sha256Hex(Buffer.from('other'))}  data/a.txt\n`) },
  },
  {
    label: 'the manifest with a space after a path',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => u(str(b).replace('data/a.txt\n', 'data/a.txt \n')) },
  },
  { label: 'the manifest with a UTF-8 byte-order mark', hostile: true, edit: { 'manifest-sha256.txt': (b) => Buffer.concat([UTF8_BOM, b]) } },
  { label: 'a signed fetch.txt, empty', hostile: true, edit: {}, extraTags: [{ name: 'fetch.txt', bytes: Buffer.alloc(0) }] },
  {
    label: 'a signed fetch.txt naming a listed file',
    hostile: true,
    edit: {},
    extraTags: [{ name: 'fetch.txt', bytes: u('https://elsewhere.example/a.txt 6 data/a.txt\n') }],
  },
  {
    label: 'a signed, correct manifest-md5.txt beside the SHA-256 one',
    hostile: true,
    edit: {},
    extraTags: [{ name: 'manifest-md5.txt', bytes: manifestIn('md5') }],
  },
  {
    label: 'a signed, correct manifest-sha512.txt beside the SHA-256 one',
    hostile: true,
    edit: {},
    extraTags: [{ name: 'manifest-sha512.txt', bytes: manifestIn('sha512') }],
  },
  { label: 'a signed tagmanifest-sha512.txt', hostile: true, edit: {}, extraTags: [{ name: 'tagmanifest-sha512.txt', bytes: u('') }] },
  { label: 'the tag manifest leaving bagit.txt out', hostile: true, edit: { 'tagmanifest-sha256.txt': withoutLine('bagit.txt') } },
  { label: 'the tag manifest leaving bag-info.txt out', hostile: true, edit: { 'tagmanifest-sha256.txt': withoutLine('bag-info.txt') } },
  { label: 'the tag manifest leaving the manifest out', hostile: true, edit: { 'tagmanifest-sha256.txt': withoutLine('manifest-sha256.txt') } },
  {
    label: 'the tag manifest listing bag-info.txt twice',
    hostile: true,
    edit: {
      'tagmanifest-sha256.txt': (b) =>
        u(
          `${str(b)}${
            str(b)
              .split('\n')
              .find((l) => l.endsWith('bag-info.txt')) ?? ''
          }\n`,
        ),
    },
  },
];

export const BAGIT_ODDITY_COUNT = BAGIT_ODDITIES.length;

const END = Buffer.alloc(1024);

export async function bagitCase(ctx: CaseContext, index: number): Promise<HostileCase> {
  const oddity = BAGIT_ODDITIES[index % BAGIT_ODDITIES.length] as BagitOddity;
  const built = await resignedBag(ctx.signer, BASE_FILES, { name: ctx.top, edit: oddity.edit, ...(oddity.extraTags ? { extraTags: oddity.extraTags } : {}) });
  const entries: RawEntry[] = [...built.tagEntries, ...built.payloadEntries];
  return { what: oddity.label, hostile: oddity.hostile, bytes: Buffer.concat([...entries.map(rawEntry), END]) };
}
