import { localNumber, type ReceiptCatalogue } from './catalogue.js';

const locale = 'de-DE';
const plural = (n: number, one: string, many: string): string => `${localNumber(locale, n)} ${n === 1 ? one : many}`;

/** Check names of receipt-checks.ts (the JSON's English words). */
const CHECK_NAMES: Readonly<Record<string, string>> = {
  'Selection holds plain files only (no links, devices or FIFOs)': 'Auswahl enthält nur reguläre Dateien (keine Links, Geräte oder FIFOs)',
  'Pass 1: every source file hashed (SHA-256) for the manifest': 'Durchgang 1: Prüfsumme (SHA-256) jeder Quelldatei für das Manifest gebildet',
  'Pass 2: every file hashed again while written, unchanged since pass 1':
    'Durchgang 2: Prüfsumme jeder Datei beim Schreiben erneut gebildet, unverändert seit Durchgang 1',
  'Bundle written under a temp name, fsynced, published without overwriting':
    'Bündel unter temporärem Namen geschrieben, auf Datenträger gesichert (fsync), ohne Überschreiben veröffentlicht',
  'Parts and signed volume index written under temp names, fsynced, published without overwriting':
    'Teile und signierter Datenträgerindex unter temporären Namen geschrieben, gesichert (fsync), ohne Überschreiben veröffentlicht',
  'Read back from the media past the page cache': 'Vom Datenträger zurückgelesen, am Seitencache vorbei',
  'One pass: every source file read once, hashed (SHA-256) and written at its place, unchanged while read':
    'Ein Durchgang: jede Quelldatei einmal gelesen, Prüfsumme (SHA-256) gebildet und an ihre Stelle geschrieben, unverändert beim Lesen',
  'Read back from the media past the page cache, record by record against the signed manifest':
    'Vom Datenträger zurückgelesen, am Seitencache vorbei, Eintrag für Eintrag gegen das signierte Manifest geprüft',
  'Tag manifest signature by a trusted key, valid now (not expired, not revoked)':
    'Signatur des Tag-Manifests von einem vertrauenswürdigen Schlüssel, jetzt gültig (nicht abgelaufen, nicht widerrufen)',
  'Tag files (bagit.txt, bag-info.txt, manifest) match the signed tag manifest':
    'Tag-Dateien (bagit.txt, bag-info.txt, Manifest) stimmen mit dem signierten Tag-Manifest überein',
  'bagit.txt, bag-info.txt and Payload-Oxum well-formed and consistent': 'bagit.txt, bag-info.txt und Payload-Oxum wohlgeformt und stimmig',
  'Every path safe, no links or special entries, no duplicates; names allowed by station policy':
    'Jeder Pfad sicher, keine Links oder Sondereinträge, keine Duplikate; Namen nach Stationsrichtlinie erlaubt',
  'Station limits (entries, sizes, path depth and length)': 'Stationsgrenzen (Einträge, Größen, Pfadtiefe und -länge)',
  'Replay guard': 'Schutz vor Wiedereinspielung',
  'Every payload file matches its signed SHA-256': 'Jede Nutzdatei stimmt mit ihrer signierten Prüfsumme (SHA-256) überein',
  'Complete: nothing listed is missing, nothing present is unlisted': 'Vollständig: nichts Aufgeführtes fehlt, nichts Vorhandenes ist unaufgeführt',
  'Content inspection: true file types, archive members, malware scan (policy `inspect`)':
    'Inhaltsprüfung: tatsächliche Dateitypen, Archivinhalte, Schadsoftware-Scan (Richtlinie `inspect`)',
  'Staged privately, flushed to disk, committed in one rename': 'Privat bereitgestellt, auf Datenträger gesichert, mit einer Umbenennung übernommen',
  // Media verification (media-verify-receipt.ts).
  'Read from the medium past the page cache': 'Vom Datenträger gelesen, am Seitencache vorbei',
  'Signers required by station policy': 'Von der Stationsrichtlinie geforderte Unterzeichner',
  'Parts on this medium match the signed volume index': 'Die Teile auf diesem Datenträger stimmen mit dem signierten Datenträgerindex überein',
  'More problems': 'Weitere Probleme',
};

/** Fixed check details of receipt-checks.ts. */
const DETAILS: Readonly<Record<string, string>> = {
  'written to a folder, not to removable media': 'in einen Ordner geschrieben, nicht auf einen Wechseldatenträger',
  'first import of this bundle': 'erster Import dieses Bündels',
  'nothing to read': 'nichts zu lesen',
  'verification stopped before this check': 'die Prüfung endete vor diesem Schritt',
  'parts on other volumes: verified as a whole on import': 'Teile auf anderen Datenträgern: als Ganzes beim Import geprüft',
};

/** German: the terms of German records management (Übertragungsbeleg, Unterzeichner, Fingerabdruck, Prüfsumme). */
export const catalogueDe: ReceiptCatalogue = {
  locale,
  title: { export: 'Exportbeleg', import: 'Importbeleg', 'media-verify': 'Datenträger geprüft' },
  family: 'Airlock-Übertragungsbeleg',
  signedNote: 'Der in dieses PDF eingebettete JSON-Beleg ist mit dem Stationsschlüssel signiert; diese Seite gibt ihn wieder.',
  unsignedNote: 'Nicht signiert: Der Stationsschlüssel war für diese Übertragung nicht entsperrt.',
  attachmentsNote: (signed) =>
    signed
      ? 'Anhänge: der JSON-Beleg (Quelle dieser Seite) und seine OpenPGP-Signatur (.json.asc), byteidentisch mit den Dateien neben diesem PDF.'
      : 'Anhang: der JSON-Beleg (Quelle dieser Seite), byteidentisch mit der Datei neben diesem PDF.',
  sections: {
    moved: 'Übertragen',
    signers: 'Unterzeichner',
    checks: 'Prüfungen',
    inspection: 'Inhaltsprüfung',
    registry: 'Registry',
    audit: 'Prüfprotokoll',
    people: 'Wer und wann',
    sign: 'Unterschriften',
  },
  labels: {
    bundle: 'Bündel',
    bundleId: 'Bündel-ID',
    tagManifest: 'Tag-Manifest SHA-256',
    bundleFile: 'Bündeldatei',
    writtenTo: 'Geschrieben nach',
    importedTo: 'Importiert nach',
    media: 'Datenträger',
    files: 'Dateien',
    size: 'Größe',
    fingerprint: 'Fingerabdruck',
    signer: 'Name (Benutzerkennung)',
    auditEvent: 'Protokolleintrag',
    checkpoint: 'Signierter Prüfpunkt',
    operator: 'Bediener',
    station: 'Station',
    organization: 'Organisation',
    started: 'Begonnen',
    finished: 'Beendet',
    none: '(keine)',
    notRecorded: '(nicht erfasst)',
    noneSigned: '(noch keiner signiert)',
    volume: 'Datenträger',
    readBack: 'zurückgelesen',
    verifiedOn: 'Geprüft auf',
    outcome: 'Ergebnis',
  },
  outcome: { verified: 'GEPRÜFT: jede Prüfung bestanden', refused: 'ABGELEHNT: eine Prüfung schlug fehl' },
  result: { passed: 'bestanden', failed: 'FEHLGESCHLAGEN', 'not run': 'nicht ausgeführt' },
  checkName: (check) => {
    const signed = /^Tag manifest signed \((one signer|(\d+) signers)\)$/u.exec(check);
    if (signed !== null) return `Tag-Manifest signiert (${signed[2] === undefined ? 'ein Unterzeichner' : `${signed[2]} Unterzeichner`})`;
    return CHECK_NAMES[check] ?? check;
  },
  checkDetail: (detail) => {
    const fixed = DETAILS[detail];
    if (fixed !== undefined) return fixed;
    const counted = /^(\d+) files(?:, (\d+) bytes)?$/u.exec(detail) ?? /^(\d+) bytes$/u.exec(detail);
    if (counted === null) return detail;
    if (detail.endsWith(' bytes') && !detail.includes('files')) return plural(Number(counted[1]), 'Byte', 'Byte');
    const files = plural(Number(counted[1]), 'Datei', 'Dateien');
    return counted[2] === undefined ? files : `${files}, ${plural(Number(counted[2]), 'Byte', 'Byte')}`;
  },
  inspection: (c, scanner) =>
    `${plural(c.files, 'Datei', 'Dateien')} und ${plural(c.members, 'Archivinhalt', 'Archivinhalte')} geprüft; ${scanner ?? 'kein Scanner eingerichtet'}` +
    `${c.warned > 0 ? `; ${plural(c.warned, 'Eintrag', 'Einträge')} mit Warnungen` : ''}${c.refused > 0 ? `; ${plural(c.refused, 'Eintrag', 'Einträge')} abgewiesen` : ''}`,
  registry: (c) => `${plural(c.images, 'Image', 'Images')}${c.failed > 0 ? `, ${localNumber(locale, c.failed)} fehlgeschlagen` : ''}`,
  signatureLines: {
    single: 'Bediener',
    prepared: 'Vorbereitet und signiert von',
    approved: 'Freigegeben und signiert von (zweite Person)',
    nameDate: 'Name, Datum, Unterschrift',
  },
  annex: {
    title: 'Anlage: Dateien',
    path: 'Pfad',
    size: 'Größe (Byte)',
    sha256: 'Prüfsumme SHA-256',
    intro: (total) => `Alle Dateien der Übertragung, wie das Prüfprotokoll sie verzeichnet (${plural(total, 'Datei', 'Dateien')}).`,
    rest: (shown, total, seq) =>
      `Aufgeführt sind die ersten ${localNumber(locale, shown)} von ${plural(total, 'Datei', 'Dateien')}; jede Datei (Pfad, Größe, SHA-256) steht im Prüfprotokoll, Eintrag #${seq}.`,
  },
  page: (n, of) => `Seite ${n} von ${of}`,
  count: { files: (n) => plural(n, 'Datei', 'Dateien'), bytes: (n) => plural(n, 'Byte', 'Byte') },
};
