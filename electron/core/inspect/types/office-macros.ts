/**
 * Does an Office document carry macros (issue #16.2)? OOXML packages: a VBA project part (by
 * name, by a content type or a relationship that declares one under any name), Excel 4.0 macro
 * sheets, a macro-enabled main part, an attached template fetched from outside the document, and
 * embedded Office objects (looked into, two levels deep). OLE compound files: the VBA storages
 * Word, Excel and a bare vbaProject.bin hold. OpenDocument packages: Basic modules and scripts.
 * Bounded: a capped part list, each part read into memory within a budget. Anything that cannot
 * be read to the end is `unreadable`, not clean.
 */
import { displayText } from '../../../../shared/display-text.js';
import type { ByteSource } from '../contract.js';
import { bufferSource } from './buffer-source.js';
import { CompoundFileError, isCompoundFile, openCompoundFile } from './compound-file.js';
import { excelSheetMacros, wordEncrypted } from './ole-streams.js';
import { forEachZipPart, ZipPartsError, type ZipPart } from './zip-parts.js';

export type MacroScan =
  | { kind: 'none' }
  | { kind: 'found'; detail: string }
  /** The container is damaged, encrypted, or too large to look through: whether it has macros is unknown. */
  | { kind: 'unreadable'; encrypted: boolean; detail: string };

/** [Content_Types].xml and .rels parts are small XML; a larger one is not read (the package is unreadable). */
export const MAX_XML_PART_BYTES = 1 << 20;
/** Embedded objects looked into (in memory) up to this size each. */
export const MAX_EMBEDDED_BYTES = 32 << 20;
/** Bytes inflated for one document altogether. */
export const MAX_BYTES_READ = 64 << 20;
const MAX_EMBEDDING_DEPTH = 2;
/** An Excel workbook's sheet list lies in its globals, before the shared strings: this much is read to find it. */
export const MAX_WORKBOOK_GLOBALS_BYTES = 4 << 20;

/** OLE storages and streams that hold a VBA project (Word: Macros/VBA, Excel: _VBA_PROJECT_CUR/VBA, vbaProject.bin: VBA). */
const VBA_ENTRY_NAMES = new Set(['vba', '_vba_project_cur', '_vba_project', 'macros']);
const MACRO_ENABLED_EXTENSIONS = /\.(docm|dotm|xlsm|xltm|xlam|xlsb|pptm|potm|ppsm|ppam|sldm)$/u;
/** OpenDocument macros: Basic modules (Basic/<library>/<module>.xml; the library lists alone are empty) and scripts. */
const OPEN_DOCUMENT_MACRO = /^(basic\/[^/]+\/[^/]+\.xml|scripts\/(python|javascript|beanshell|java)\/.+)$/u;
/** Content types that run code: macro-enabled main parts, VBA projects, Excel 4.0 macro sheets. */
const MACRO_CONTENT_TYPE = /macroenabled|vnd\.ms-office\.vbaproject|vnd\.ms-excel\.(intl)?macrosheet/iu;
/** Relationships to a VBA project under any part name, or to a template loaded from elsewhere when the document opens. */
const VBA_RELATIONSHIP = /relationships\/(vbaProject|wordVbaData)["']/u;
const EXTERNAL_TEMPLATE = /<Relationship\b(?=[^>]*relationships\/attachedTemplate["'])(?=[^>]*TargetMode=["']External["'])[^>]*>/iu;

/** Macros in an OOXML package or an OLE compound file (the kind is read from the first bytes). */
export async function officeMacros(source: ByteSource, signal?: AbortSignal): Promise<MacroScan> {
  return macrosIn(source, { left: MAX_BYTES_READ }, 0, signal);
}

async function macrosIn(source: ByteSource, budget: { left: number }, depth: number, signal?: AbortSignal): Promise<MacroScan> {
  const head = await source.read(0, 8, signal);
  try {
    if (isCompoundFile(head)) return await oleMacros(source, signal);
    if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return await ooxmlMacros(source, budget, depth, signal);
    return { kind: 'none' };
  } catch (error) {
    if (error instanceof CompoundFileError) return { kind: 'unreadable', encrypted: false, detail: `OLE compound file: ${error.message}` };
    if (error instanceof ZipPartsError) return { kind: 'unreadable', encrypted: error.encrypted, detail: `Office package: ${error.message}` };
    throw error;
  }
}

async function oleMacros(source: ByteSource, signal?: AbortSignal): Promise<MacroScan> {
  const file = await openCompoundFile(source, signal);
  const vba = file.entries.find((e) => VBA_ENTRY_NAMES.has(e.name.toLowerCase()));
  if (vba !== undefined) return { kind: 'found', detail: `VBA ${vba.type === 2 ? 'stream' : 'storage'} "${displayText(vba.name)}"` };
  if (file.entries.some((e) => e.name === 'EncryptedPackage' || e.name === 'EncryptionInfo')) {
    return { kind: 'unreadable', encrypted: true, detail: 'an encrypted (password-protected) Office document' };
  }
  // Macros that live inside the document streams rather than as VBA storages.
  for (const entry of file.entries) {
    if (entry.type !== 2) continue;
    if (entry.name === 'Workbook' || entry.name === 'Book') {
      const found = excelSheetMacros(await file.readStream(entry, MAX_WORKBOOK_GLOBALS_BYTES), entry.size);
      if (found.kind !== 'none') return found;
    }
    if (entry.name === 'WordDocument' && wordEncrypted(await file.readStream(entry, 12))) {
      return { kind: 'unreadable', encrypted: true, detail: 'a Word document encrypted or obfuscated with a password' };
    }
  }
  return { kind: 'none' };
}

async function ooxmlMacros(source: ByteSource, budget: { left: number }, depth: number, signal?: AbortSignal): Promise<MacroScan> {
  let result: MacroScan = { kind: 'none' };
  // Whether the zip is a package at all is office-package.ts's question (TYPE_MISMATCH), and its
  // parts are walked as archive members whatever the answer: here only macros are looked for.
  await forEachZipPart(
    source,
    async (part) => {
      result = await partMacros(part, budget, depth, signal);
      return result.kind === 'none';
    },
    signal,
  );
  return result;
}

async function partMacros(part: ZipPart, budget: { left: number }, depth: number, signal?: AbortSignal): Promise<MacroScan> {
  const name = part.name.toLowerCase().replace(/^\/+/u, '');
  const shown = displayText(part.name);
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base === 'vbaproject.bin' || base === 'vbadata.xml') return { kind: 'found', detail: `VBA part ${shown}` };
  if (name.includes('macrosheets/')) return { kind: 'found', detail: `Excel 4.0 macro sheet ${shown}` };
  if (OPEN_DOCUMENT_MACRO.test(name) && !/\/(script|dialog)-l[bc]\.xml$/u.test(name)) return { kind: 'found', detail: `OpenDocument macro ${shown}` };
  if (MACRO_ENABLED_EXTENSIONS.test(name)) return { kind: 'found', detail: `macro-enabled document ${shown}` };
  if (name === '[content_types].xml') {
    const match = MACRO_CONTENT_TYPE.exec((await readWithin(part, MAX_XML_PART_BYTES, budget)).toString('utf8'));
    return match === null ? { kind: 'none' } : { kind: 'found', detail: `content type ${match[0]} in [Content_Types].xml` };
  }
  if (name.endsWith('.rels')) {
    const xml = (await readWithin(part, MAX_XML_PART_BYTES, budget)).toString('utf8');
    if (VBA_RELATIONSHIP.test(xml)) return { kind: 'found', detail: `a VBA project relationship in ${shown}` };
    if (EXTERNAL_TEMPLATE.test(xml)) return { kind: 'found', detail: `a template loaded from outside the document (${shown})` };
    return { kind: 'none' };
  }
  if (name.includes('embeddings/') && part.size > 0) return embeddedMacros(part, budget, depth, signal);
  return { kind: 'none' };
}

/** An embedded object (oleObject1.bin, an embedded workbook) is a document of its own: look inside it too. */
async function embeddedMacros(part: ZipPart, budget: { left: number }, depth: number, signal?: AbortSignal): Promise<MacroScan> {
  const shown = displayText(part.name);
  if (depth >= MAX_EMBEDDING_DEPTH) return { kind: 'unreadable', encrypted: false, detail: `embedded object ${shown} is nested too deep to look into` };
  const bytes = await readWithin(part, MAX_EMBEDDED_BYTES, budget);
  const inner = await macrosIn(bufferSource(bytes), budget, depth + 1, signal);
  return inner.kind === 'none' ? inner : { ...inner, detail: `embedded object ${shown}: ${inner.detail}` };
}

async function readWithin(part: ZipPart, limit: number, budget: { left: number }): Promise<Buffer> {
  const shown = displayText(part.name);
  if (part.encrypted) throw new ZipPartsError(`part ${shown} is encrypted`, true);
  if (part.size > limit || part.size > budget.left) throw new ZipPartsError(`part ${shown} (${part.size} bytes) is too large to look through`);
  const bytes = await part.read(Math.min(limit, budget.left));
  budget.left -= bytes.length;
  return bytes;
}
