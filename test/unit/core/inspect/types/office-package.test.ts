/**
 * officePackageVerdict (electron/core/inspect/types/office-package.ts): OPC's rules as Office
 * applies them (part names case-insensitive and percent-decoded, Default by extension, Override by
 * name), the main part's kind against the name, OpenDocument's mimetype, and damage as unreadable.
 */
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../../../../electron/core/inspect/types/buffer-source.js';
import { isOfficePackageName, officePackageVerdict } from '../../../../../electron/core/inspect/types/office-package.js';
import * as corpus from '../../../../helpers/type-corpus.js';

const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const verdict = (members: corpus.ZipMember[], ext: string | null) => officePackageVerdict(bufferSource(corpus.zip(members)), ext);
const types = (body: string): corpus.ZipMember => ({
  name: '[Content_Types].xml',
  data: `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${body}</Types>`,
});

describe('office package structure', () => {
  it('takes Override names case-insensitively and percent-decoded, and Defaults by extension in any case', async () => {
    const members = [
      types(`<Default Extension="XML" ContentType="application/xml"/><Override PartName="/Word/My%20Doc.xml" ContentType="${corpus.DOCX_MAIN}"/>`),
      { name: 'word/my doc.xml', data: '<w:document/>' },
      { name: 'docProps/app.xml', data: '<x/>' },
      { name: 'word/', data: '' },
    ];
    expect(await verdict(members, 'docx')).toEqual({ kind: 'valid' });
  });

  it('a workbook named .docx, two main parts, or none is a mismatch; a workbook named .bin is only checked for structure', async () => {
    const book = [types(`<Override PartName="/xl/workbook.xml" ContentType="${XLSX_MAIN}"/>`), { name: 'xl/workbook.xml', data: '<w/>' }];
    expect(await verdict(book, 'docx')).toMatchObject({ kind: 'mismatch', detail: expect.stringContaining('.xlsx') as unknown });
    expect(await verdict(book, 'bin')).toEqual({ kind: 'valid' });
    const two = [
      types(`<Override PartName="/a.xml" ContentType="${XLSX_MAIN}"/><Override PartName="/b.xml" ContentType="${corpus.DOCX_MAIN}"/>`),
      { name: 'a.xml', data: '<a/>' },
      { name: 'b.xml', data: '<b/>' },
    ];
    expect(await verdict(two, 'docx')).toMatchObject({ kind: 'mismatch', detail: expect.stringContaining('main document parts') as unknown });
    expect(await verdict([types('<Default Extension="xml" ContentType="application/xml"/>'), { name: 'a.xml', data: '<a/>' }], null)).toMatchObject({
      kind: 'mismatch',
    });
  });

  it('names at most three undeclared parts and counts the rest', async () => {
    const members = [
      types(`<Override PartName="/word/document.xml" ContentType="${corpus.DOCX_MAIN}"/>`),
      { name: 'word/document.xml', data: '<w/>' },
      ...['a.exe', 'b.exe', 'c.exe', 'd.exe', 'e.exe'].map((name) => ({ name, data: 'MZ' })),
    ];
    const found = await verdict(members, 'docx');
    expect(found).toMatchObject({ kind: 'mismatch', detail: expect.stringContaining('and 2 more') as unknown });
  });

  it('OpenDocument: Office Open XML names on an ODF package (and the reverse) are mismatches', async () => {
    const odt = [
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'META-INF/manifest.xml', data: '<m/>' },
    ];
    expect(await verdict(odt, 'odt')).toEqual({ kind: 'valid' });
    expect(await verdict(odt, 'docx')).toMatchObject({ kind: 'mismatch' });
    expect(await verdict([types(`<Override PartName="/d.xml" ContentType="${corpus.DOCX_MAIN}"/>`), { name: 'd.xml', data: '<d/>' }], 'odt')).toMatchObject({
      kind: 'mismatch',
    });
  });

  it('a zip that cannot be read is unreadable, not valid', async () => {
    const damaged = corpus.zip([types(''), { name: 'a.xml', data: '<a/>' }]).subarray(0, 40);
    expect(await officePackageVerdict(bufferSource(damaged), 'docx')).toMatchObject({ kind: 'unreadable' });
  });

  it('knows the Office package extensions', () => {
    expect(['docx', 'xlsm', 'pptx', 'odt', 'ods'].every(isOfficePackageName)).toBe(true);
    expect(['zip', 'doc', 'pdf'].some(isOfficePackageName)).toBe(false);
    expect(isOfficePackageName(null)).toBe(false);
  });
});
