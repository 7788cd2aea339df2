/**
 * Is a zip that calls itself an Office document a valid package (issue #16.2; docs/type-inspection.md
 * "Office packages are archives")? An Office package is a zip, and the content inspector walks it
 * as one (every part gets the member rules and its own scan); this check says whether its
 * structure is the one its name claims, so that a plain zip renamed .docx, a zip that smuggles a
 * file Office would never list, or a macro-enabled package named as a macro-free one is
 * TYPE_MISMATCH rather than a document:
 *
 * - Office Open XML (OPC, ECMA-376 part 2): `[Content_Types].xml` at the root, every part's content
 *   type declared there (an Override by part name or a Default by extension: OPC requires one for
 *   each part, Office will not open a package without), exactly one main document part, and its
 *   type the one the name's extension stands for (.docx holds a wordprocessingml document, a
 *   .docm's macro-enabled one is not a .docx);
 * - OpenDocument: a `mimetype` part and `META-INF/manifest.xml`, the mimetype the one the name's
 *   extension stands for.
 * A name that is not an Office one (a real .docx named .zip or .bin) is checked for structure only.
 * Bounded like the macro check: a capped part list (MAX_PACKAGE_PARTS), small XML parts only.
 */
import { displayText } from '../../../../shared/display-text.js';
import type { ByteSource } from '../contract.js';
import { forEachZipPart, ZipPartsError } from './zip-parts.js';

export type PackageVerdict =
  | { kind: 'valid' }
  /** Not what an Office package of its name is: a TYPE_MISMATCH. */
  | { kind: 'mismatch'; detail: string }
  /** The zip could not be read (damaged, encrypted, too large to look through). */
  | { kind: 'unreadable'; encrypted: boolean; detail: string };

const MAX_CONTENT_TYPES_BYTES = 1 << 20;
const MAX_MIMETYPE_BYTES = 256;
/** Parts named in a mismatch message, at most. */
const NAMED_PARTS = 3;

/** Main document part content types (lower case) and the extension each stands for. */
const MAIN_PART_TYPES: Readonly<Record<string, string>> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': 'docx',
  'application/vnd.ms-word.document.macroenabled.main+xml': 'docm',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml': 'dotx',
  'application/vnd.ms-word.template.macroenabledtemplate.main+xml': 'dotm',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': 'xlsx',
  'application/vnd.ms-excel.sheet.macroenabled.main+xml': 'xlsm',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml': 'xltx',
  'application/vnd.ms-excel.template.macroenabled.main+xml': 'xltm',
  'application/vnd.ms-excel.addin.macroenabled.main+xml': 'xlam',
  'application/vnd.ms-excel.sheet.binary.macroenabled.main': 'xlsb',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml': 'pptx',
  'application/vnd.ms-powerpoint.presentation.macroenabled.main+xml': 'pptm',
  'application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml': 'ppsx',
  'application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml': 'ppsm',
  'application/vnd.openxmlformats-officedocument.presentationml.template.main+xml': 'potx',
  'application/vnd.ms-powerpoint.template.macroenabled.main+xml': 'potm',
  'application/vnd.ms-powerpoint.addin.macroenabled.main+xml': 'ppam',
  'application/vnd.ms-visio.drawing.main+xml': 'vsdx',
};
const OOXML_NAMES = new Set(Object.values(MAIN_PART_TYPES));

const ODF_TYPES: Readonly<Record<string, string>> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/vnd.oasis.opendocument.graphics': 'odg',
  'application/vnd.oasis.opendocument.text-template': 'ott',
  'application/vnd.oasis.opendocument.spreadsheet-template': 'ots',
  'application/vnd.oasis.opendocument.presentation-template': 'otp',
  'application/vnd.oasis.opendocument.graphics-template': 'otg',
};
const ODF_NAMES = new Set(Object.values(ODF_TYPES));

/** Whether an extension names an Office package (OOXML or OpenDocument). */
export function isOfficePackageName(extension: string | null): boolean {
  return extension !== null && (OOXML_NAMES.has(extension) || ODF_NAMES.has(extension));
}

/** The package's structure against its name's extension (lower case, no dot; null when it has none). */
export async function officePackageVerdict(source: ByteSource, extension: string | null, signal?: AbortSignal): Promise<PackageVerdict> {
  try {
    return judge(await readPackage(source, signal), extension);
  } catch (error) {
    if (error instanceof ZipPartsError) return { kind: 'unreadable', encrypted: error.encrypted, detail: `Office package: ${error.message}` };
    throw error;
  }
}

interface PackageListing {
  /** File parts (folders left out), as stored, `\` read as `/`. */
  parts: string[];
  contentTypes: string | null;
  mimetype: string | null;
  manifest: boolean;
}

async function readPackage(source: ByteSource, signal?: AbortSignal): Promise<PackageListing> {
  const listing: PackageListing = { parts: [], contentTypes: null, mimetype: null, manifest: false };
  await forEachZipPart(
    source,
    async (part) => {
      const name = part.name.replace(/^\/+/u, '');
      if (name.endsWith('/')) return true;
      listing.parts.push(name);
      const lower = name.toLowerCase();
      if (lower === '[content_types].xml') listing.contentTypes = (await part.read(MAX_CONTENT_TYPES_BYTES)).toString('utf8');
      else if (name === 'mimetype') listing.mimetype = (await part.read(MAX_MIMETYPE_BYTES)).toString('latin1').trim();
      else if (lower === 'meta-inf/manifest.xml') listing.manifest = true;
      return true;
    },
    signal,
  );
  return listing;
}

function judge(listing: PackageListing, extension: string | null): PackageVerdict {
  const claimed = extension !== null && OOXML_NAMES.has(extension) ? 'ooxml' : extension !== null && ODF_NAMES.has(extension) ? 'odf' : null;
  if (listing.contentTypes !== null) {
    if (claimed === 'odf') return mismatch(`the name says .${extension}, an OpenDocument file; the content is an Office Open XML package`);
    return judgeOoxml(listing.parts, listing.contentTypes, claimed === 'ooxml' ? extension : null);
  }
  if (listing.mimetype !== null && listing.manifest) {
    if (claimed === 'ooxml') return mismatch(`the name says .${extension}, an Office Open XML file; the content is an OpenDocument package`);
    const kind = ODF_TYPES[listing.mimetype.toLowerCase()];
    if (claimed === 'odf' && kind !== extension)
      return mismatch(`the name says .${extension}; the package's mimetype is ${JSON.stringify(displayText(listing.mimetype.slice(0, 100)))}`);
    return { kind: 'valid' };
  }
  return mismatch('it is a zip without [Content_Types].xml (Office Open XML) or a mimetype and META-INF/manifest.xml (OpenDocument): not an Office package');
}

function judgeOoxml(parts: readonly string[], xml: string, claimed: string | null): PackageVerdict {
  const types = contentTypeDeclarations(xml);
  const untyped = parts.filter((part) => part.toLowerCase() !== '[content_types].xml' && typeOf(part, types) === null);
  if (untyped.length > 0) {
    const named = untyped.slice(0, NAMED_PARTS).map((part) => JSON.stringify(displayText(part)));
    const more = untyped.length > NAMED_PARTS ? ` and ${untyped.length - NAMED_PARTS} more` : '';
    return mismatch(`part ${named.join(', ')}${more} has no content type in [Content_Types].xml: not a part of an Office package`);
  }
  const mains = new Set<string>();
  for (const part of parts) {
    const main = MAIN_PART_TYPES[typeOf(part, types) ?? ''];
    if (main !== undefined) mains.add(main);
  }
  if (mains.size === 0) return mismatch('its [Content_Types].xml declares no main document part (Word, Excel, PowerPoint or Visio)');
  if (mains.size > 1) return mismatch(`it declares main document parts of ${[...mains].map((m) => `.${m}`).join(' and ')}`);
  const main = [...mains][0] ?? '';
  if (claimed !== null && main !== claimed) return mismatch(`the name says .${claimed}, the package is a .${main} (by its main document part's content type)`);
  return { kind: 'valid' };
}

interface ContentTypeDeclarations {
  /** Lower-case extension → content type (lower case). */
  defaults: Map<string, string>;
  /** Lower-case part name without the leading `/` → content type (lower case). */
  overrides: Map<string, string>;
}

function contentTypeDeclarations(xml: string): ContentTypeDeclarations {
  const declarations: ContentTypeDeclarations = { defaults: new Map(), overrides: new Map() };
  for (const element of xml.matchAll(/<(?:[A-Za-z_][\w.-]*:)?(Default|Override)\b([^>]*)>/gu)) {
    const attributes = element[2] ?? '';
    const type = attribute(attributes, 'ContentType')?.toLowerCase();
    if (type === undefined) continue;
    if (element[1] === 'Default') {
      const extension = attribute(attributes, 'Extension');
      if (extension !== undefined) declarations.defaults.set(extension.toLowerCase(), type);
    } else {
      const part = attribute(attributes, 'PartName');
      if (part !== undefined) declarations.overrides.set(partKey(part), type);
    }
  }
  return declarations;
}

function attribute(attributes: string, name: string): string | undefined {
  const found = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'u').exec(attributes);
  return found === null ? undefined : (found[1] ?? found[2]);
}

/** OPC part names compare case-insensitively, percent-encoding undone, without the leading `/`. */
function partKey(name: string): string {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A malformed escape stays as written: it then matches no zip name, and the part counts as untyped.
  }
  return decoded.replace(/^\/+/u, '').toLowerCase();
}

function typeOf(part: string, types: ContentTypeDeclarations): string | null {
  const override = types.overrides.get(partKey(part));
  if (override !== undefined) return override;
  const base = part.slice(part.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? null : (types.defaults.get(base.slice(dot + 1).toLowerCase()) ?? null);
}

function mismatch(detail: string): PackageVerdict {
  return { kind: 'mismatch', detail };
}
