/**
 * The PDF receipt (issue #19.2) checked with the tools a records office would use: qpdf --check
 * clean, every font embedded (pdffonts), pages rendered (pdftoppm), the JSON receipt and its .asc
 * attached byte for byte as published beside the PDF, the .pdf.asc valid for gpg, PDF/A-3b in the
 * XMP, German labels in a German receipt, the annex bounded at 200,000 files, hostile names kept
 * visible and in bounds, and the same receipt giving the same bytes.
 */
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReceipt, type TransferReceipt } from '../../../electron/core/audit/receipt.js';
import { openpgpSigner, type BundleSigner } from '../../../electron/core/crypto/bundle-signer.js';
import { ANNEX_MAX_FILES } from '../../../electron/core/receipts/receipt-annex.js';
import { renderReceiptPdf, type ReceiptPdfInput } from '../../../electron/core/receipts/receipt-pdf.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { makeSigner } from '../../helpers/hostile-tar.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { attachment, attachmentKeys, fonts, pages, qpdfCheck, text } from './pdf-tools.js';

const makeTemp = useTempDirs();
let signer: BundleSigner;
let gnupg: GnupgHome;
let root: string;
let n = 0;

const FPR_A = '0123456789ABCDEF0123456789ABCDEF01234567';
const TAG_SHA = 'ab12'.repeat(16);

function receiptOf(overrides: Partial<TransferReceipt> = {}): TransferReceipt {
  return {
    receipt: 'airlock-transfer-receipt',
    version: 1,
    kind: 'export',
    bundle: { name: 'quarterly', uuid: 'urn:uuid:5b7a1c2e-8d7f-4e3a-9c1b-2a3d4e5f6a7b', tagmanifestSha256: TAG_SHA, path: '/srv/out/quarterly.airlock.tar' },
    signers: [{ fingerprint: FPR_A, userIds: ['Alice Operator <alice@example.org>'] }],
    checks: [
      { check: 'Selection holds plain files only (no links, devices or FIFOs)', result: 'passed', detail: '3 files' },
      { check: 'Read back from the media past the page cache', result: 'not run', detail: 'written to a folder, not to removable media' },
    ],
    files: 3,
    bytes: 1_234_567,
    destination: '/srv/out/quarterly.airlock.tar',
    media: null,
    operator: 'Alice (alice)',
    station: 'ws-07',
    startedAt: '2026-12-03T09:00:00.000Z',
    finishedAt: '2026-12-03T09:01:02.000Z',
    audit: { eventSeq: 42, eventHash: 'cd34'.repeat(16), checkpoint: { seq: 42, hash: 'ef56'.repeat(16), at: '2026-12-03T09:01:02.000Z' } },
    ...overrides,
  };
}

const rows = (count: number): Array<{ path: string; size: number; sha256: string }> =>
  Array.from({ length: count }, (_, i) => ({ path: `reports/r-${i}.txt`, size: i * 10, sha256: i.toString(16).padStart(64, '0') }));

async function freshDir(): Promise<string> {
  n += 1;
  const dir = join(root, `d${n}`);
  await mkdir(dir);
  return dir;
}

function input(overrides: Partial<ReceiptPdfInput> = {}): ReceiptPdfInput {
  const receipt = overrides.receipt ?? receiptOf();
  return {
    receipt,
    json: `${JSON.stringify(receipt, null, 2)}\n`,
    signature: null,
    attachmentName: 'quarterly.export-receipt.json',
    language: 'en',
    files: { total: 3, rows: rows(3) },
    twoPerson: false,
    organization: null,
    ...overrides,
  };
}

beforeAll(async () => {
  root = await makeTemp('airlock-pdfr-');
  const made = await makeSigner('Receipt Station <station@example.org>');
  signer = openpgpSigner(made.privateKey);
  gnupg = await GnupgHome.create();
  await writeFile(join(root, 'signer.asc'), made.publicKey.armor());
  gnupg.importKeyFile(join(root, 'signer.asc'));
});
afterAll(async () => {
  await gnupg?.close();
});

describe('a signed export receipt as PDF', () => {
  let dir: string;
  let written: Awaited<ReturnType<typeof writeReceipt>>;
  beforeAll(async () => {
    dir = await freshDir();
    written = await writeReceipt(dir, receiptOf(), signer, { language: 'en', files: { total: 3, rows: rows(3) }, organization: 'Ministry of Examples' });
  });

  it('is published beside the JSON, with its own detached signature', async () => {
    expect((await readdir(dir)).sort()).toEqual([
      'quarterly.export-receipt.html',
      'quarterly.export-receipt.json',
      'quarterly.export-receipt.json.asc',
      'quarterly.export-receipt.pdf',
      'quarterly.export-receipt.pdf.asc',
    ]);
    expect(written.pdf).toBe(join(dir, 'quarterly.export-receipt.pdf'));
    expect(written.pdfSignature).toBe(join(dir, 'quarterly.export-receipt.pdf.asc'));
    expect(written.pdfProblem).toBeUndefined();
  });

  it('passes qpdf --check', () => {
    const check = qpdfCheck(written.pdf as string);
    expect(check.status, check.output).toBe(0);
    expect(check.output).toContain('No syntax or stream encoding errors found');
  });

  it('embeds every font it uses, DejaVu only (pdffonts)', () => {
    const list = fonts(written.pdf as string);
    expect(list.length).toBeGreaterThanOrEqual(2);
    for (const font of list) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold|Mono)?$/u);
    }
  });

  it('renders page 1 and the annex with pdftoppm', async () => {
    expect(pages(written.pdf as string)).toBe(2);
    const out = join(dir, 'render');
    mustRun('pdftoppm', ['-r', '50', '-png', written.pdf as string, out]);
    for (const page of ['render-1.png', 'render-2.png']) expect((await stat(join(dir, page))).size).toBeGreaterThan(1000);
  });

  it('carries the JSON receipt and its .asc as attachments, byte for byte as beside it', async () => {
    const pdf = written.pdf as string;
    expect(attachmentKeys(pdf).sort()).toEqual(['quarterly.export-receipt.json', 'quarterly.export-receipt.json.asc']);
    expect(attachment(pdf, 'quarterly.export-receipt.json').equals(await readFile(written.json))).toBe(true);
    expect(attachment(pdf, 'quarterly.export-receipt.json.asc').equals(await readFile(written.signature as string))).toBe(true);
  });

  it('marks the attachments as associated files: JSON the Source, .asc a Supplement', () => {
    const qdf = join(dir, 'qdf.pdf');
    mustRun('qpdf', ['--qdf', '--object-streams=disable', written.pdf as string, qdf]);
    const raw = mustRun('cat', [qdf]).stdout;
    expect(raw).toMatch(/\/AFRelationship \/Source/u);
    expect(raw).toMatch(/\/AFRelationship \/Supplement/u);
    expect(raw).toMatch(/\/AF \[/u);
  });

  it('its .pdf.asc and the attached .json.asc verify with gpg against the signing key', async () => {
    const result = gnupg.verify(written.pdfSignature as string, written.pdf as string);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^\\[GNUPG:\\] VALIDSIG ${signer.fingerprint} `, 'mu'));
    const extracted = join(dir, 'extracted.json');
    const extractedSig = join(dir, 'extracted.json.asc');
    await writeFile(extracted, attachment(written.pdf as string, 'quarterly.export-receipt.json'));
    await writeFile(extractedSig, attachment(written.pdf as string, 'quarterly.export-receipt.json.asc'));
    expect(gnupg.verify(extractedSig, extracted).status).toBe(0);
  });

  it('gpg rejects the .pdf.asc once one byte of the PDF changes (the check above is meaningful)', async () => {
    const bytes = await readFile(written.pdf as string);
    const at = bytes.length - 20;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    const tampered = join(dir, 'tampered.pdf');
    await writeFile(tampered, bytes);
    expect(gnupg.verify(written.pdfSignature as string, tampered).status).not.toBe(0);
  });

  it('declares PDF/A-3b in its XMP metadata (pdfaid:part 3, conformance B)', async () => {
    const raw = (await readFile(written.pdf as string)).toString('latin1');
    expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(raw).toMatch(/\/OutputIntents/u);
  });

  it('prints what moved, who signed (fingerprint in groups of four), the audit event, and one signature line', () => {
    const page1 = text(written.pdf as string, 1);
    expect(page1).toContain('Export receipt');
    expect(page1).toContain(TAG_SHA);
    expect(page1).toContain('0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567');
    expect(page1).toMatch(new RegExp(`Audit event\\s+#42\\s+${'cd34'.repeat(16)}`, 'u'));
    expect(page1).toContain('Ministry of Examples');
    expect(page1).toContain('1,234,567 bytes');
    expect(page1).toContain('Operator');
    expect(page1).not.toContain('second person');
    const annex = text(written.pdf as string, 2);
    expect(annex).toContain('Annex: files');
    expect(annex).toContain('reports/r-2.txt');
    expect(annex).toContain('2'.padStart(64, '0'));
  });
});

describe('language', () => {
  it('a German receipt carries the German terms; hashes, fingerprints and paths stay as recorded', async () => {
    const dir = await freshDir();
    const written = await writeReceipt(dir, receiptOf({ kind: 'import', destination: '/daten/eingang/quarterly' }), signer, {
      language: 'de',
      files: { total: 3, rows: rows(3) },
    });
    const all = text(written.pdf as string);
    for (const term of [
      'Importbeleg',
      'Airlock-Übertragungsbeleg',
      'Unterzeichner',
      'Fingerabdruck',
      'Prüfungen',
      'bestanden',
      'Prüfprotokoll',
      'Importiert nach',
    ]) {
      expect(all).toContain(term);
    }
    expect(all).toContain('Prüfsumme SHA-256');
    expect(all).toContain('Anlage: Dateien');
    expect(all).toContain('Seite 1 von 2');
    expect(all).toContain('1.234.567 Byte');
    expect(all).toContain('3. Dezember 2026');
    expect(all).toContain('0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567');
    expect(all).toContain(TAG_SHA);
    expect(all).toContain('/daten/eingang/quarterly');
    expect(all).not.toContain('Import receipt');
    expect(qpdfCheck(written.pdf as string).status).toBe(0);
  });

  it('an English receipt has none of the German terms', async () => {
    const all = text(await writeTemp(await renderReceiptPdf(input({ language: 'en' }))));
    expect(all).toContain('Export receipt');
    expect(all).not.toContain('Exportbeleg');
    expect(all).not.toContain('Prüfungen');
  });
});

describe('two-person rule', () => {
  it('a staged export approved by a second person gets two signature lines, preparer and approver', async () => {
    const receipt = receiptOf({
      signers: [
        { fingerprint: FPR_A, userIds: ['Alice Operator <alice@example.org>'] },
        { fingerprint: 'FEDCBA9876543210FEDCBA9876543210FEDCBA98', userIds: ['Bob Approver <bob@example.org>'] },
      ],
    });
    const all = text(await writeTemp(await renderReceiptPdf(input({ receipt, twoPerson: true }))), 1);
    expect(all).toContain('Prepared and signed by');
    expect(all).toContain('Approved and signed by (second person)');
    expect(all).toContain('Bob Approver');
    expect(all.match(/Name, date, signature/gu)).toHaveLength(2);
  });
});

describe('bounds and hostile text', () => {
  it(`at 200,000 files the annex lists the first ${ANNEX_MAX_FILES} and says where the rest are; no more rows are read`, async () => {
    let read = 0;
    function* many(): Generator<{ path: string; size: number; sha256: string }> {
      for (let i = 0; i < 200_000; i += 1) {
        read += 1;
        yield { path: `bulk/f-${i}.bin`, size: i, sha256: i.toString(16).padStart(64, '0') };
      }
    }
    const file = await writeTemp(await renderReceiptPdf(input({ receipt: receiptOf({ files: 200_000 }), files: { total: 200_000, rows: many() } })));
    expect(read).toBeLessThanOrEqual(ANNEX_MAX_FILES + 1);
    const count = pages(file);
    expect(count).toBeGreaterThan(5);
    expect(count).toBeLessThan(15);
    const last = text(file, count);
    expect(last).toContain(`bulk/f-${ANNEX_MAX_FILES - 1}.bin`);
    expect(last.replace(/\s+/gu, ' ')).toContain(`The first 500 of 200,000 files are listed; every file (path, size, SHA-256) is in the audit log, event #42.`);
    expect(qpdfCheck(file).status).toBe(0);
  });

  it('bidi overrides, controls, 10 KB names and CJK neither break the file nor hide: escaped visibly, cut with an ellipsis', async () => {
    const long = `${'x'.repeat(10_000)}.txt`;
    const hostile = [
      { path: 'invoice\u202Efdp.exe', size: 1, sha256: 'a'.repeat(64) },
      { path: 'line\nbreak\u0007bell.txt', size: 2, sha256: 'b'.repeat(64) },
      { path: '报告/月度总结.txt', size: 3, sha256: 'c'.repeat(64) },
      { path: long, size: 4, sha256: 'd'.repeat(64) },
    ];
    const receipt = receiptOf({
      bundle: { name: 'quarterly', uuid: null, tagmanifestSha256: TAG_SHA, path: `/srv/\u202E${long}` },
      signers: [{ fingerprint: FPR_A, userIds: ['Mallory \u202Eevil\u2066 <m@example.org>', '李雷 <li@example.org>'] }],
      operator: `op\u0000\u001b[2J${'y'.repeat(10_000)}`,
    });
    const file = await writeTemp(await renderReceiptPdf(input({ receipt, files: { total: hostile.length, rows: hostile } })));
    expect(qpdfCheck(file).status).toBe(0);
    mustRun('pdftoppm', ['-r', '40', '-png', file, join(root, `hostile-${n}`)]);
    const all = text(file);
    const forbidden = [...all].filter((c) => {
      const cp = c.codePointAt(0) ?? 0;
      return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp <= 0x08 || cp === 0x1b;
    });
    expect(forbidden).toEqual([]);
    expect(all).toContain('invoice\\u202efdp.exe');
    expect(all).toContain('line\\u000abreak\\u0007bell.txt');
    expect(all).toContain('\\u62a5\\u544a/');
    expect(all).toContain('Mallory \\u202eevil\\u2066');
    expect(all).toContain('\\u674e\\u96f7');
    expect(all).toContain('op\\u0000\\u001b[2J');
    expect(all).toMatch(/…/u);
    expect(all).not.toContain('x'.repeat(1000));
    expect(pages(file)).toBeLessThanOrEqual(3);
  });
});

describe('determinism', () => {
  it('the same receipt, attachments and language give the same bytes', async () => {
    const a = await renderReceiptPdf(input({ signature: '-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n' }));
    const b = await renderReceiptPdf(input({ signature: '-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n' }));
    expect(a.equals(b)).toBe(true);
    const c = await renderReceiptPdf(input({ receipt: receiptOf({ finishedAt: '2026-12-03T09:01:03.000Z' }) }));
    expect(a.equals(c)).toBe(false);
  });
});

async function writeTemp(bytes: Buffer): Promise<string> {
  n += 1;
  const file = join(root, `r${n}.pdf`);
  await writeFile(file, bytes);
  return file;
}
