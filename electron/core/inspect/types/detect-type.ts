/**
 * What a file is by content (issue #16.2; docs/inspection.md): detectType(head, name) from the
 * first TYPE_SNIFF_BYTES. Airlock's own checks come first for what must never be called by a
 * softer name (programs, scripts, OLE kinds); file-type 21 names the rest by magic bytes; the
 * archive kind comes from archiveKindOf so that detection and the archive walk agree. The name
 * only gives the extension, compared with the content for the mismatch flag.
 */
import { fileTypeFromBuffer } from 'file-type';
import { archiveKindOf } from '../archive-kind.js';
import { TYPE_SNIFF_BYTES, type TypeDetection } from '../contract.js';
import { isCompoundFile, rootClassIdFromHead } from './compound-file.js';
import { executableOf, shebangScriptOf, SCRIPT_EXTENSIONS, type ContentType } from './executables.js';
import { extensionOf } from './extension.js';
import { extensionMismatch } from './type-families.js';

/**
 * Zip-based Office packages whose macros need a look inside: Office Open XML (a vbaProject.bin
 * part), and OpenDocument (Basic/ and Scripts/ parts), which the contract's `ooxml` also covers.
 */
const OOXML_EXTENSIONS = new Set(
  'docx docm dotx dotm xlsx xlsm xltx xltm xlam pptx pptm potx potm ppsx ppsm ppam vsdx odt ods odp odg ott ots otp otg'.split(' '),
);
/** Programs and program packages a runtime or the desktop loads (besides the magic-byte ones in executables.ts). */
const EXECUTABLE_CONTENT = new Set('exe elf macho class dex wasm jar apk xpi crx lnk msi chm deb rpm'.split(' '));

/** OLE root class ids (MS-CFB) of the kinds a policy wants told apart. */
const OLE_KINDS: Readonly<Record<string, ContentType>> = {
  '00020906-0000-0000-C000-000000000046': { ext: 'doc', mime: 'application/msword' },
  '00020900-0000-0000-C000-000000000046': { ext: 'doc', mime: 'application/msword' },
  '00020820-0000-0000-C000-000000000046': { ext: 'xls', mime: 'application/vnd.ms-excel' },
  '00020810-0000-0000-C000-000000000046': { ext: 'xls', mime: 'application/vnd.ms-excel' },
  '64818D10-4F9B-11CF-86EA-00AA00B929E8': { ext: 'ppt', mime: 'application/vnd.ms-powerpoint' },
  '000C1084-0000-0000-C000-000000000046': { ext: 'msi', mime: 'application/x-msi' },
  '000C1086-0000-0000-C000-000000000046': { ext: 'msi', mime: 'application/x-msi' },
  '000C1082-0000-0000-C000-000000000046': { ext: 'msi', mime: 'application/x-msi' },
};
const GENERIC_OLE: ContentType = { ext: 'cfb', mime: 'application/x-cfb' };

/** A local file header's name field, searched in the head to tell an OOXML package file-type called a plain zip. */
const CONTENT_TYPES_PART = Buffer.from('[Content_Types].xml');

/** Type of a file from its first bytes (at most TYPE_SNIFF_BYTES are looked at) and its name. */
export async function detectType(head: Buffer, name: string): Promise<TypeDetection> {
  const sniff = head.subarray(0, TYPE_SNIFF_BYTES);
  const extension = extensionOf(name);
  const content = await contentTypeOf(sniff);
  const archive = archiveKindOf(sniff);
  const office = officeKindOf(sniff, content, archive, extension);
  const detectedExtension = content?.ext ?? null;
  return {
    mime: content?.mime ?? null,
    detectedExtension,
    extension,
    mismatch: extensionMismatch(extension, detectedExtension),
    executable: detectedExtension !== null && EXECUTABLE_CONTENT.has(detectedExtension),
    script: shebangScriptOf(sniff) !== null || (extension !== null && SCRIPT_EXTENSIONS.has(extension)),
    archive,
    office,
  };
}

async function contentTypeOf(head: Buffer): Promise<ContentType | null> {
  const own = executableOf(head) ?? shebangScriptOf(head);
  if (own !== null) return own;
  if (isCompoundFile(head)) return OLE_KINDS[rootClassIdFromHead(head) ?? ''] ?? GENERIC_OLE;
  if (head.length === 0) return null;
  // file-type reads only the buffer it is given (no tokenizer past it); a damaged zip inside the head ends as "zip", not as a throw.
  const found = await fileTypeFromBuffer(head);
  return found === undefined ? null : { ext: found.ext, mime: found.mime };
}

function officeKindOf(head: Buffer, content: ContentType | null, archive: TypeDetection['archive'], extension: string | null): TypeDetection['office'] {
  if (content !== null && ['cfb', 'doc', 'xls', 'ppt', 'msi'].includes(content.ext)) return 'ole';
  if (content !== null && OOXML_EXTENSIONS.has(content.ext)) return 'ooxml';
  // file-type says zip for OOXML whose parts lie past the head: the package's part list, or an Office name, says look inside.
  if (archive === 'zip' && (head.includes(CONTENT_TYPES_PART) || (extension !== null && OOXML_EXTENSIONS.has(extension)))) return 'ooxml';
  return null;
}
