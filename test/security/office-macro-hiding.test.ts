/**
 * Issue #16.2, macros hidden from a name check: Office finds a VBA project by relationship and
 * content type, not by the part's name, and runs Excel 4.0 macro sheets and embedded documents'
 * macros too. Every hiding place (renamed part, odd case and separators in part names, a content
 * type or a relationship only, an embedded object, a .docm named .docx, an OLE document) is
 * MACRO_FOUND under the default policy; what cannot be looked through (encrypted, damaged, too
 * deeply embedded) is a refusal too, never a pass.
 */
import { describe, expect, it } from 'vitest';
import { resolveInspectPolicy } from '../../electron/core/policy/inspect-policy.js';
import { bufferSource } from '../../electron/core/inspect/types/buffer-source.js';
import { detectType } from '../../electron/core/inspect/types/detect-type.js';
import { officeMacros } from '../../electron/core/inspect/types/office-macros.js';
import { officePackageVerdict } from '../../electron/core/inspect/types/office-package.js';
import { typeFindings } from '../../electron/core/inspect/types/type-findings.js';
import * as corpus from '../helpers/type-corpus.js';

const types = resolveInspectPolicy({})?.types;
if (types === undefined) throw new Error('unreachable: an inspect section was given');

const vba = (): Buffer =>
  corpus.ole({
    entries: [
      { name: 'VBA', type: 1 },
      { name: 'dir', type: 2 },
      { name: 'PROJECT', type: 2 },
    ],
  });
const docx = (parts: corpus.ZipMember[], main = corpus.DOCX_MAIN, extraTypes = ''): Buffer =>
  corpus.zip([{ name: '[Content_Types].xml', data: corpus.contentTypes(main, extraTypes) }, { name: 'word/document.xml', data: '<w:document/>' }, ...parts]);

/** What the inspector would report for this file under the default policy. */
async function codesFor(bytes: Buffer, name: string): Promise<string[]> {
  const detection = await detectType(bytes.subarray(0, 4100), name);
  const macros = detection.office === null ? null : await officeMacros(bufferSource(bytes));
  // The package structure check (office-package.ts) is the inspector's other look at an Office zip.
  const pkg = detection.office === 'ooxml' ? await officePackageVerdict(bufferSource(bytes), detection.extension) : null;
  return typeFindings(detection, macros, types as NonNullable<typeof types>, { polyglot: pkg?.kind === 'mismatch' ? pkg.detail : null })
    .filter((f) => f.severity === 'refuse')
    .map((f) => f.code);
}

const HIDING_PLACES: Array<[string, Buffer]> = [
  ['the usual word/vbaProject.bin', docx([{ name: 'word/vbaProject.bin', data: vba() }])],
  ['an upper-case part name', docx([{ name: 'WORD/VBAPROJECT.BIN', data: vba() }])],
  ['a part name with a leading slash', docx([{ name: '/word/vbaProject.bin', data: vba() }])],
  ['a part name with backslashes', docx([{ name: 'word\\vbaProject.bin', data: vba() }])],
  [
    'a renamed part declared by an Override content type',
    docx(
      [{ name: 'word/media/image9.png', data: vba() }],
      corpus.DOCX_MAIN,
      '<Override PartName="/word/media/image9.png" ContentType="application/vnd.ms-office.vbaProject"/>',
    ),
  ],
  [
    'a renamed part declared by a Default content type',
    docx([{ name: 'word/x.dat', data: vba() }], corpus.DOCX_MAIN, '<Default Extension="dat" ContentType="APPLICATION/VND.MS-OFFICE.VBAPROJECT"/>'),
  ],
  [
    'a renamed part found by its relationship only',
    docx([
      {
        name: 'word/_rels/document.xml.rels',
        data: `<Relationships><Relationship Id="x" Type='http://schemas.microsoft.com/office/2006/relationships/vbaProject' Target="x.dat"/></Relationships>`,
      },
      { name: 'word/x.dat', data: vba() },
    ]),
  ],
  ['a macro-enabled main part without a VBA part in sight', docx([], corpus.DOCM_MAIN)],
  ['an Excel 4.0 macro sheet', docx([{ name: 'xl/macrosheets/sheet1.xml', data: '<xm:macrosheet/>' }])],
  [
    'an OLE object holding VBA',
    docx([
      {
        name: 'word/embeddings/oleObject1.bin',
        data: corpus.ole({
          entries: [
            { name: 'Macros', type: 1 },
            { name: 'VBA', type: 1 },
          ],
        }),
      },
    ]),
  ],
  ['an embedded .docm', docx([{ name: 'word/embeddings/Document1.bin', data: corpus.ooxml({ macros: true }) }])],
  ['an embedded workbook named .xlsm', docx([{ name: 'word/embeddings/Book1.xlsm', data: Buffer.from('PK') }])],
  [
    'parts stored uncompressed',
    corpus.zip([
      { name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN), deflate: false },
      { name: 'word/vbaProject.bin', data: vba(), deflate: false },
    ]),
  ],
];

describe('a VBA project is found wherever Office would find it', () => {
  for (const [where, bytes] of HIDING_PLACES) {
    for (const name of ['letter.docx', 'letter.docm']) {
      it(`in ${where}, named ${name}`, async () => {
        expect(await codesFor(bytes, name)).toContain('MACRO_FOUND');
      });
    }
  }

  it('a .docm named .docx is both a macro and a mismatch', async () => {
    const codes = await codesFor(corpus.ooxml({ macros: true }), 'letter.docx');
    expect(codes).toEqual(expect.arrayContaining(['MACRO_FOUND', 'TYPE_MISMATCH']));
  });

  it('an OLE document with VBA storages, under its own name and under a text name', async () => {
    const doc = corpus.ole({
      clsid: corpus.WORD_CLSID,
      entries: [
        { name: 'WordDocument', type: 2 },
        { name: 'Macros', type: 1 },
        { name: 'VBA', type: 1 },
      ],
    });
    expect(await codesFor(doc, 'a.doc')).toEqual(['MACRO_FOUND']);
    expect(await codesFor(doc, 'a.txt')).toEqual(expect.arrayContaining(['MACRO_FOUND', 'TYPE_MISMATCH']));
    const xls = corpus.ole({
      clsid: corpus.EXCEL_CLSID,
      entries: [
        { name: 'Workbook', type: 2 },
        { name: '_VBA_PROJECT_CUR', type: 1 },
        { name: 'VBA', type: 1 },
      ],
    });
    expect(await codesFor(xls, 'a.xls')).toEqual(['MACRO_FOUND']);
  });

  it('an Excel 4.0 (XLM) macro sheet in a binary workbook, visible or very hidden, in a large or a small stream', async () => {
    for (const fillerBytes of [0, 8000]) {
      const globals = corpus.workbookGlobals(
        [
          { name: 'Sheet1', kind: 0 },
          { name: 'Auto_Open', kind: 1 },
        ],
        { fillerBytes },
      );
      globals[globals.length - 4 - 8 - 'Auto_Open'.length + 4] = 2; // hsState of the last sheet: very hidden
      const book = corpus.ole({ clsid: corpus.EXCEL_CLSID, entries: [{ name: 'Workbook', type: 2, data: globals }] });
      expect(await codesFor(book, 'invoice.xls')).toEqual(['MACRO_FOUND']);
    }
  });

  it('a bare vbaProject.bin is itself a VBA project', async () => {
    expect(await codesFor(vba(), 'vbaProject.bin')).toContain('MACRO_FOUND');
  });
});

describe('what cannot be looked through is not clean', () => {
  it('an encrypted Office document (EncryptedPackage) is refused', async () => {
    const encrypted = corpus.ole({
      entries: [
        { name: 'EncryptionInfo', type: 2 },
        { name: 'EncryptedPackage', type: 2 },
      ],
    });
    expect(await codesFor(encrypted, 'secret.docx')).toContain('ARCHIVE_ENCRYPTED');
  });
  it('a package whose central directory is damaged is refused', async () => {
    const good = corpus.ooxml();
    expect(await codesFor(good.subarray(0, good.length - 10), 'a.docx')).toContain('ARCHIVE_UNREADABLE');
  });
  it('a package with an encrypted part is refused', async () => {
    const bytes = corpus.zip([{ name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN), flags: 1 }]);
    expect(await codesFor(bytes, 'a.docx')).toContain('ARCHIVE_ENCRYPTED');
  });
  it('a plain zip named as an Office document is not passed as a clean document', async () => {
    const zip = corpus.zip([{ name: 'payload.exe', data: corpus.pe() }]);
    // Not a package (docs/type-inspection.md, "Office packages are archives"): TYPE_MISMATCH, and its members are walked.
    for (const name of ['report.docx', 'sheet.xlsx', 'letter.odt']) expect(await codesFor(zip, name)).toContain('TYPE_MISMATCH');
    expect(await codesFor(zip, 'archive.zip')).toEqual([]);
  });
  it('objects embedded deeper than the look-inside depth are refused, not assumed clean', async () => {
    const deep = docx([
      { name: 'word/embeddings/a.bin', data: docx([{ name: 'word/embeddings/b.bin', data: docx([{ name: 'word/embeddings/c.bin', data: corpus.pdf() }]) }]) },
    ]);
    expect(await codesFor(deep, 'a.docx')).toContain('ARCHIVE_UNREADABLE');
  });
  it('a [Content_Types].xml that inflates past its declared size is refused', async () => {
    const good = corpus.zip([{ name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN) + ' '.repeat(500_000) }]);
    // Declare a smaller uncompressed size in both headers: the inflated bytes exceed it.
    const lying = Buffer.from(good);
    lying.writeUInt32LE(100, 22);
    lying.writeUInt32LE(100, lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    expect(await codesFor(lying, 'a.docx')).toContain('ARCHIVE_UNREADABLE');
  });
});
