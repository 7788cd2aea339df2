import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../../../../electron/core/inspect/types/buffer-source.js';
import { officeMacros } from '../../../../../electron/core/inspect/types/office-macros.js';
import { detectType } from '../../../../../electron/core/inspect/types/detect-type.js';
import * as corpus from '../../../../helpers/type-corpus.js';

const macrosOf = (bytes: Buffer) => officeMacros(bufferSource(bytes));
const vbaStorage = (): Buffer =>
  corpus.ole({
    entries: [
      { name: 'VBA', type: 1 },
      { name: 'PROJECT', type: 2 },
    ],
  });

describe('officeMacros: OOXML packages', () => {
  it('finds nothing in a plain .docx, even with its parts past the head', async () => {
    expect(await macrosOf(corpus.ooxml())).toEqual({ kind: 'none' });
    expect(await macrosOf(corpus.ooxml({ contentTypesLast: true, padding: 50_000 }))).toEqual({ kind: 'none' });
  });

  it('finds the VBA project of a .docm', async () => {
    expect(await macrosOf(corpus.ooxml({ macros: true }))).toMatchObject({ kind: 'found' });
  });

  it('finds a VBA project under another part name, by its content type or by its relationship', async () => {
    const byType = corpus.ooxml({
      main: corpus.DOCX_MAIN,
      parts: [
        {
          name: '[Content_Types].xml',
          data: corpus.contentTypes(corpus.DOCX_MAIN, '<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/>'),
        },
      ],
    });
    // The second [Content_Types].xml is the one this package lists last; build one with only the renamed part instead.
    const renamed = corpus.zip([
      {
        name: '[Content_Types].xml',
        data: corpus.contentTypes(corpus.DOCX_MAIN, '<Override PartName="/word/x.dat" ContentType="application/vnd.ms-office.vbaProject"/>'),
      },
      { name: 'word/document.xml', data: '<w:document/>' },
      { name: 'word/x.dat', data: vbaStorage() },
    ]);
    expect(await macrosOf(renamed)).toMatchObject({ kind: 'found', detail: expect.stringContaining('vbaProject') as unknown });
    expect(await macrosOf(byType)).toMatchObject({ kind: 'found' });
    const byRelationship = corpus.zip([
      { name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN) },
      {
        name: 'word/_rels/document.xml.rels',
        data: '<Relationships><Relationship Id="r1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="x.dat"/></Relationships>',
      },
      { name: 'word/x.dat', data: vbaStorage() },
    ]);
    expect(await macrosOf(byRelationship)).toMatchObject({ kind: 'found', detail: expect.stringContaining('relationship') as unknown });
  });

  it('finds a macro-enabled main part, an Excel 4.0 macro sheet, and a template loaded from outside', async () => {
    expect(await macrosOf(corpus.ooxml({ main: corpus.DOCM_MAIN }))).toMatchObject({ kind: 'found' });
    expect(await macrosOf(corpus.ooxml({ parts: [{ name: 'xl/macrosheets/sheet1.xml', data: '<xm:macrosheet/>' }] }))).toMatchObject({ kind: 'found' });
    const template = corpus.ooxml({
      parts: [
        {
          name: 'word/_rels/settings.xml.rels',
          data: '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://10.0.0.9/t.dotm" TargetMode="External"/></Relationships>',
        },
      ],
    });
    expect(await macrosOf(template)).toMatchObject({ kind: 'found', detail: expect.stringContaining('template') as unknown });
  });

  it('looks into embedded objects: an OLE object with VBA, a macro-enabled workbook, a docm inside a docx', async () => {
    const oleObject = corpus.ooxml({
      parts: [{ name: 'word/embeddings/oleObject1.bin', data: corpus.ole({ entries: [{ name: '_VBA_PROJECT_CUR', type: 1 }] }) }],
    });
    expect(await macrosOf(oleObject)).toMatchObject({ kind: 'found', detail: expect.stringContaining('embeddings/oleObject1.bin') as unknown });
    const workbook = corpus.ooxml({ parts: [{ name: 'word/embeddings/Microsoft_Excel_Worksheet.xlsm', data: Buffer.from('x') }] });
    expect(await macrosOf(workbook)).toMatchObject({ kind: 'found' });
    const nested = corpus.ooxml({ parts: [{ name: 'word/embeddings/package.docx', data: corpus.ooxml({ macros: true }) }] });
    expect(await macrosOf(nested)).toMatchObject({ kind: 'found', detail: expect.stringContaining('package.docx') as unknown });
    const cleanEmbedded = corpus.ooxml({ parts: [{ name: 'word/embeddings/oleObject1.bin', data: corpus.ole() }] });
    expect(await macrosOf(cleanEmbedded)).toEqual({ kind: 'none' });
  });

  it('calls a damaged package unreadable, never clean', async () => {
    const good = corpus.ooxml({ macros: true });
    // Central directory cut off; a zero-filled directory; the end record pointing past the file.
    expect(await macrosOf(good.subarray(0, good.length - 30))).toMatchObject({ kind: 'unreadable', encrypted: false });
    const zeroed = Buffer.from(good);
    zeroed.fill(0, good.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])), good.length - 22);
    expect(await macrosOf(zeroed)).toMatchObject({ kind: 'unreadable' });
    const pastEnd = Buffer.from(good);
    pastEnd.writeUInt32LE(good.length * 4, good.length - 22 + 16);
    expect(await macrosOf(pastEnd)).toMatchObject({ kind: 'unreadable' });
  });

  it('calls a corrupt [Content_Types].xml stream unreadable (it does not inflate)', async () => {
    const good = corpus.ooxml();
    const bad = Buffer.from(good);
    // The first member is [Content_Types].xml (deflated): overwrite its compressed bytes.
    bad.fill(0xff, 30 + '[Content_Types].xml'.length, 30 + '[Content_Types].xml'.length + 40);
    expect(await macrosOf(bad)).toMatchObject({ kind: 'unreadable' });
  });

  it('calls an encrypted part encrypted', async () => {
    const encrypted = corpus.zip([
      { name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN), flags: 1 },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    expect(await macrosOf(encrypted)).toMatchObject({ kind: 'unreadable', encrypted: true });
  });

  it('calls a part list past the limit, or an XML part too large to read, unreadable', async () => {
    const big = corpus.ooxml({ parts: [{ name: 'word/_rels/document.xml.rels', data: Buffer.alloc(2 << 20, 0x20) }] });
    expect(await macrosOf(big)).toMatchObject({ kind: 'unreadable', detail: expect.stringContaining('too large') as unknown });
  });
});

describe('officeMacros: OpenDocument packages', () => {
  const odt = (parts: corpus.ZipMember[]): Buffer =>
    corpus.zip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', deflate: false },
      { name: 'content.xml', data: '<office:document-content/>' },
      { name: 'META-INF/manifest.xml', data: '<manifest:manifest/>' },
      ...parts,
    ]);

  it('finds Basic modules and scripts, and takes empty library lists', async () => {
    expect(await macrosOf(odt([{ name: 'Basic/Standard/Module1.xml', data: '<script:module/>' }]))).toMatchObject({ kind: 'found' });
    expect(await macrosOf(odt([{ name: 'Scripts/python/evil.py', data: 'import os' }]))).toMatchObject({ kind: 'found' });
    const empty = odt([
      { name: 'Basic/script-lc.xml', data: '<library:libraries/>' },
      { name: 'Basic/Standard/script-lb.xml', data: '<library:library/>' },
    ]);
    expect(await macrosOf(empty)).toEqual({ kind: 'none' });
    expect(await macrosOf(odt([]))).toEqual({ kind: 'none' });
  });

  it('marks OpenDocument files for the look inside', async () => {
    const d = await detectType(odt([]), 'a.odt');
    expect(d.office).toBe('ooxml');
  });
});

describe('officeMacros: OLE compound files', () => {
  it('finds Word, Excel and bare vbaProject.bin VBA storages', async () => {
    const word = corpus.ole({
      clsid: corpus.WORD_CLSID,
      entries: [
        { name: 'WordDocument', type: 2 },
        { name: 'Macros', type: 1 },
        { name: 'VBA', type: 1 },
      ],
    });
    expect(await macrosOf(word)).toMatchObject({ kind: 'found', detail: expect.stringContaining('Macros') as unknown });
    const excel = corpus.ole({
      clsid: corpus.EXCEL_CLSID,
      entries: [
        { name: 'Workbook', type: 2 },
        { name: '_VBA_PROJECT_CUR', type: 1 },
      ],
    });
    expect(await macrosOf(excel)).toMatchObject({ kind: 'found' });
    expect(await macrosOf(vbaStorage())).toMatchObject({ kind: 'found' });
  });

  it('finds nothing in a document without VBA, wherever its directory lies', async () => {
    expect(await macrosOf(corpus.ole({ clsid: corpus.WORD_CLSID }))).toEqual({ kind: 'none' });
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `Stream${i}`, type: 2 as const }));
    expect(await macrosOf(corpus.ole({ fillerSectors: 40, entries: many }))).toEqual({ kind: 'none' });
    expect(await macrosOf(corpus.ole({ fillerSectors: 40, entries: [...many, { name: 'VBA', type: 1 }] }))).toMatchObject({ kind: 'found' });
  });

  it('says an encrypted document (EncryptedPackage) cannot be checked', async () => {
    const encrypted = corpus.ole({
      entries: [
        { name: 'EncryptionInfo', type: 2 },
        { name: 'EncryptedPackage', type: 2 },
      ],
    });
    expect(await macrosOf(encrypted)).toMatchObject({ kind: 'unreadable', encrypted: true });
  });

  it.each(['loop', 'out-of-range', 'bad-entry-type', 'truncated'] as const)('calls a compound file with a %s directory unreadable', async (damage) => {
    expect(
      await macrosOf(
        corpus.ole({
          damage,
          entries: [
            { name: 'WordDocument', type: 2 },
            { name: 'a', type: 2 },
            { name: 'b', type: 2 },
            { name: 'c', type: 2 },
          ],
        }),
      ),
    ).toMatchObject({
      kind: 'unreadable',
      encrypted: false,
    });
  });

  const xls = (workbook: Buffer): Buffer => corpus.ole({ clsid: corpus.EXCEL_CLSID, entries: [{ name: 'Workbook', type: 2, data: workbook }] });

  it('finds an Excel 4.0 macro sheet and a VBA module sheet in a workbook, in a large or a small stream', async () => {
    const xlm = [
      { name: 'Sheet1', kind: 0 as const },
      { name: 'Macro1', kind: 1 as const },
    ];
    expect(await macrosOf(xls(corpus.workbookGlobals(xlm, { fillerBytes: 6000 })))).toMatchObject({
      kind: 'found',
      detail: expect.stringContaining('4.0') as unknown,
    });
    expect(await macrosOf(xls(corpus.workbookGlobals(xlm)))).toMatchObject({ kind: 'found' });
    expect(await macrosOf(xls(corpus.workbookGlobals([{ name: 'Module1', kind: 6 }], { fillerBytes: 9000 })))).toMatchObject({ kind: 'found' });
  });

  it('takes a workbook of worksheets and charts', async () => {
    const plain = [
      { name: 'Sheet1', kind: 0 as const },
      { name: 'Chart1', kind: 2 as const },
    ];
    expect(await macrosOf(xls(corpus.workbookGlobals(plain, { fillerBytes: 6000 })))).toEqual({ kind: 'none' });
    expect(await macrosOf(xls(corpus.workbookGlobals(plain)))).toEqual({ kind: 'none' });
  });

  it('calls a password-encrypted workbook or Word document encrypted, and broken globals unreadable', async () => {
    expect(await macrosOf(xls(corpus.workbookGlobals([{ name: 'Sheet1', kind: 0 }], { filepass: true })))).toMatchObject({
      kind: 'unreadable',
      encrypted: true,
    });
    expect(await macrosOf(xls(corpus.workbookGlobals([{ name: 'Sheet1', kind: 0 }], { eof: false })))).toMatchObject({ kind: 'unreadable', encrypted: false });
    expect(await macrosOf(xls(Buffer.from('not a BIFF stream at all')))).toMatchObject({ kind: 'unreadable', encrypted: false });
    const doc = (encrypted: boolean): Buffer =>
      corpus.ole({
        clsid: corpus.WORD_CLSID,
        entries: [{ name: 'WordDocument', type: 2, data: Buffer.concat([corpus.wordFib(encrypted), Buffer.alloc(5000)]) }],
      });
    expect(await macrosOf(doc(true))).toMatchObject({ kind: 'unreadable', encrypted: true });
    expect(await macrosOf(doc(false))).toEqual({ kind: 'none' });
  });

  it('calls a stream whose chain is cut short or loops unreadable', async () => {
    const file = xls(corpus.workbookGlobals([{ name: 'Sheet1', kind: 0 }], { fillerBytes: 6000 }));
    // The stream is the last thing but the mini structures (none here): cut its final sectors off.
    expect(await macrosOf(file.subarray(0, file.length - 1024))).toMatchObject({ kind: 'unreadable' });
  });

  it('says none for content that is neither OLE nor a zip', async () => {
    expect(await macrosOf(corpus.pdf())).toEqual({ kind: 'none' });
    expect(await macrosOf(Buffer.alloc(0))).toEqual({ kind: 'none' });
  });
});
