import { localNumber, type ReceiptCatalogue } from './catalogue.js';

const locale = 'en-GB';
const plural = (n: number, one: string, many: string): string => `${localNumber(locale, n)} ${n === 1 ? one : many}`;

/** English: the words of the JSON receipt and the HTML page. */
export const catalogueEn: ReceiptCatalogue = {
  locale,
  title: { export: 'Export receipt', import: 'Import receipt', 'media-verify': 'Medium verified' },
  family: 'Airlock transfer receipt',
  signedNote: 'The JSON receipt embedded in this PDF is signed by the station key; this page is a rendering of it.',
  unsignedNote: 'Unsigned: the station key was not unlocked for this transfer.',
  attachmentsNote: (signed) =>
    signed
      ? 'Attached: the JSON receipt (source of this page) and its OpenPGP signature (.json.asc), byte for byte as beside this file.'
      : 'Attached: the JSON receipt (source of this page), byte for byte as beside this file.',
  sections: {
    moved: 'What moved',
    signers: 'Signed by',
    checks: 'Checks',
    inspection: 'Content inspection',
    registry: 'Registry',
    audit: 'Audit log',
    people: 'Who and when',
    sign: 'Signatures',
  },
  labels: {
    bundle: 'Bundle',
    bundleId: 'Bundle ID',
    tagManifest: 'Tag manifest SHA-256',
    bundleFile: 'Bundle file',
    writtenTo: 'Written to',
    importedTo: 'Imported to',
    media: 'Media',
    files: 'Files',
    size: 'Size',
    fingerprint: 'Fingerprint',
    signer: 'Name (user ID)',
    auditEvent: 'Audit event',
    checkpoint: 'Signed checkpoint',
    operator: 'Operator',
    station: 'Station',
    organization: 'Organization',
    started: 'Started',
    finished: 'Finished',
    none: '(none)',
    notRecorded: '(not recorded)',
    noneSigned: '(none signed yet)',
    volume: 'Volume',
    readBack: 'read back',
    verifiedOn: 'Verified on',
    outcome: 'Outcome',
  },
  outcome: { verified: 'VERIFIED: every check passed', refused: 'REFUSED: a check failed' },
  result: { passed: 'passed', failed: 'FAILED', 'not run': 'not run' },
  checkName: (check) => check,
  checkDetail: (detail) => detail,
  inspection: (c, scanner) =>
    `${plural(c.files, 'file', 'files')} and ${plural(c.members, 'archive member', 'archive members')} inspected; ${scanner ?? 'no scanner configured'}` +
    `${c.warned > 0 ? `; ${plural(c.warned, 'item', 'items')} with warnings` : ''}${c.refused > 0 ? `; ${plural(c.refused, 'item', 'items')} refused` : ''}`,
  registry: (c) => `${plural(c.images, 'image', 'images')}${c.failed > 0 ? `, ${localNumber(locale, c.failed)} failed` : ''}`,
  signatureLines: {
    single: 'Operator',
    prepared: 'Prepared and signed by',
    approved: 'Approved and signed by (second person)',
    nameDate: 'Name, date, signature',
  },
  annex: {
    title: 'Annex: files',
    path: 'Path',
    size: 'Size (bytes)',
    sha256: 'SHA-256',
    intro: (total) => `Every file of the transfer as the audit log records it (${plural(total, 'file', 'files')}).`,
    rest: (shown, total, seq) =>
      `The first ${localNumber(locale, shown)} of ${plural(total, 'file', 'files')} are listed; every file (path, size, SHA-256) is in the audit log, event #${seq}.`,
  },
  page: (n, of) => `Page ${n} of ${of}`,
  count: { files: (n) => plural(n, 'file', 'files'), bytes: (n) => plural(n, 'byte', 'bytes') },
};
