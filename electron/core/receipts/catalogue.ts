/**
 * The PDF receipt's words, one catalogue per language (catalogue-en.ts, catalogue-de.ts), so the
 * app's i18n can later share the approach: every label is a key here, numbers, sizes and dates go
 * through Intl for the catalogue's locale. Hashes, fingerprints, paths, names and problem codes are
 * never passed through a catalogue: they are printed as recorded.
 */
import type { StationLanguage } from '../../../shared/language.js';
import { catalogueDe } from './catalogue-de.js';
import { catalogueEn } from './catalogue-en.js';

export type ReceiptLanguage = StationLanguage;

export type ReceiptKind = 'export' | 'import' | 'media-verify';
export type CheckResult = 'passed' | 'failed' | 'not run';

export interface ReceiptCatalogue {
  /** BCP 47 tag for Intl and the PDF's /Lang. */
  locale: string;
  title: Record<ReceiptKind, string>;
  /** The document family: "Transfer receipt". */
  family: string;
  signedNote: string;
  unsignedNote: string;
  attachmentsNote: (signed: boolean) => string;
  sections: { moved: string; signers: string; checks: string; inspection: string; registry: string; audit: string; people: string; sign: string };
  labels: {
    bundle: string;
    bundleId: string;
    tagManifest: string;
    bundleFile: string;
    writtenTo: string;
    importedTo: string;
    media: string;
    files: string;
    size: string;
    fingerprint: string;
    signer: string;
    auditEvent: string;
    checkpoint: string;
    operator: string;
    station: string;
    organization: string;
    started: string;
    finished: string;
    none: string;
    notRecorded: string;
    noneSigned: string;
    volume: string;
    readBack: string;
    /** media-verify: the folder (mount point) verified, and the outcome's row. */
    verifiedOn: string;
    outcome: string;
  };
  /** media-verify: the outcome in words (never colour alone). */
  outcome: { verified: string; refused: string };
  result: Record<CheckResult, string>;
  /** Check names as receipt-checks.ts writes them (English, the JSON's words), translated where known. */
  checkName: (check: string) => string;
  /** A check's detail in this language where its form is known ("12 files"); else as recorded (it may hold fingerprints and paths). */
  checkDetail: (detail: string) => string;
  inspection: (counts: { files: number; members: number; warned: number; refused: number }, scanner: string | null) => string;
  registry: (counts: { images: number; failed: number }) => string;
  signatureLines: { single: string; prepared: string; approved: string; nameDate: string };
  annex: {
    title: string;
    path: string;
    size: string;
    sha256: string;
    intro: (total: number) => string;
    rest: (shown: number, total: number, eventSeq: number) => string;
  };
  page: (n: number, of: number) => string;
  count: { files: (n: number) => string; bytes: (n: number) => string };
}

export function receiptCatalogue(language: ReceiptLanguage): ReceiptCatalogue {
  switch (language) {
    case 'en':
      return catalogueEn;
    case 'de':
      return catalogueDe;
  }
}

/** "12.3 MB" / "12,3 MB": decimal units like the rest of the app (shared/format.ts), digits in the locale's style. */
export function localSize(locale: string, bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${units[unit] ?? 'B'}`;
}

/** One formatter per locale: making an Intl.NumberFormat costs far more than formatting with it (once per annex row). */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function localNumber(locale: string, n: number): string {
  let format = numberFormats.get(locale);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(n);
}

/** A recorded ISO time in the locale's style, always in UTC (said so), so the same receipt renders the same everywhere. */
export function localTime(locale: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'medium', timeZone: 'UTC' }).format(date);
  return `${text} UTC`;
}
