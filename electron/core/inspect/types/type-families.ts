/**
 * When does a name lie about its content (issue #16.2)? A table of type families: the extensions
 * a name may carry for a family and the extensions type detection gives its content. A known
 * extension whose family does not hold the detected content is a mismatch; an unknown extension,
 * or content nothing recognised, is not (the policy's onUndetected rule covers the latter).
 * Text-like names (txt, csv, json, scripts, ...) are a mismatch only when the content is a
 * recognised binary format: a `.txt` that is an executable, a zip or a PDF.
 */

interface Family {
  /** Extensions a name may carry. */
  names: string;
  /** Detected extensions (file-type's, or Airlock's own for executables, scripts and OLE kinds) of the family's content. */
  content: string;
  /** The content may also be detected as a plain zip (file-type says zip when the head does not show the parts). */
  zipBased?: true;
}

const FAMILIES: readonly Family[] = [
  { names: 'pdf', content: 'pdf' },
  { names: 'png', content: 'png apng' },
  { names: 'apng', content: 'png apng' },
  { names: 'jpg jpeg jpe jfif', content: 'jpg' },
  { names: 'gif', content: 'gif' },
  { names: 'bmp dib', content: 'bmp' },
  { names: 'webp', content: 'webp' },
  { names: 'tif tiff', content: 'tif' },
  { names: 'ico', content: 'ico cur' },
  { names: 'heic heif', content: 'heic' },
  { names: 'avif', content: 'avif' },
  { names: 'psd', content: 'psd' },
  { names: 'zip', content: 'zip' },
  { names: 'tar', content: 'tar' },
  { names: 'gz tgz gzip tar.gz', content: 'gz tar.gz' },
  { names: 'bz2 tbz tbz2 tar.bz2', content: 'bz2' },
  { names: 'xz txz tar.xz', content: 'xz' },
  { names: 'zst tar.zst', content: 'zst' },
  { names: '7z', content: '7z' },
  { names: 'rar', content: 'rar' },
  { names: 'cab', content: 'cab' },
  { names: 'iso', content: 'iso' },
  { names: 'docx', content: 'docx', zipBased: true },
  { names: 'docm', content: 'docm', zipBased: true },
  { names: 'dotx', content: 'dotx', zipBased: true },
  { names: 'dotm', content: 'dotm', zipBased: true },
  { names: 'xlsx', content: 'xlsx', zipBased: true },
  { names: 'xlsm', content: 'xlsm', zipBased: true },
  { names: 'xltx', content: 'xltx', zipBased: true },
  { names: 'xltm', content: 'xltm', zipBased: true },
  { names: 'pptx', content: 'pptx', zipBased: true },
  { names: 'pptm', content: 'pptm', zipBased: true },
  { names: 'potx', content: 'potx', zipBased: true },
  { names: 'potm', content: 'potm', zipBased: true },
  { names: 'ppsx', content: 'ppsx', zipBased: true },
  { names: 'ppsm', content: 'ppsm', zipBased: true },
  { names: 'vsdx', content: 'vsdx', zipBased: true },
  { names: 'odt', content: 'odt', zipBased: true },
  { names: 'ods', content: 'ods', zipBased: true },
  { names: 'odp', content: 'odp', zipBased: true },
  { names: 'odg', content: 'odg', zipBased: true },
  { names: 'epub', content: 'epub', zipBased: true },
  { names: 'jar', content: 'jar', zipBased: true },
  { names: 'apk', content: 'apk jar', zipBased: true },
  { names: 'xpi', content: 'xpi', zipBased: true },
  // OLE compound files: the kind is read from the root entry's class id when the head holds it, else `cfb`.
  { names: 'doc dot xls xlt xla ppt pps pot msg pub vsd cfb', content: 'cfb doc xls ppt' },
  { names: 'msi msp mst', content: 'cfb msi' },
  { names: 'exe dll sys scr ocx cpl efi drv mui ax', content: 'exe' },
  { names: 'elf so ko axf prx', content: 'elf' },
  { names: 'macho dylib', content: 'macho' },
  { names: 'class', content: 'class' },
  { names: 'dex', content: 'dex' },
  { names: 'wasm', content: 'wasm' },
  { names: 'rtf', content: 'rtf' },
  { names: 'lnk', content: 'lnk' },
  { names: 'chm', content: 'chm' },
  { names: 'swf', content: 'swf' },
  { names: 'mp3', content: 'mp3 mp2 mp1' },
  { names: 'wav', content: 'wav' },
  { names: 'flac', content: 'flac' },
  { names: 'ogg oga ogv opus', content: 'ogg oga ogv ogm ogx opus spx' },
  { names: 'mp4 m4v m4a mov qt 3gp 3g2', content: 'mp4 m4v m4a m4p m4b mov 3gp 3g2 f4v f4a f4p f4b' },
  { names: 'mkv webm', content: 'mkv webm' },
  { names: 'avi', content: 'avi' },
  { names: 'sqlite sqlite3', content: 'sqlite' },
];

const BY_NAME = new Map<string, Family>(FAMILIES.flatMap((family) => family.names.split(' ').map((name) => [name, family] as const)));
const words = (text: string): ReadonlySet<string> => new Set(text.split(' '));

/** Names a reader opens as text (and scripts, which are text to the eye). */
const TEXT_LIKE_NAMES = words(
  'txt text csv tsv json jsonl ndjson xml md markdown log yaml yml ini cfg conf toml html htm xhtml svg tex ' +
    'sh bash zsh ksh csh tcsh command ps1 psm1 psd1 bat cmd vbs js jse mjs cjs wsf hta py pyw pl pm rb php lua tcl applescript ahk au3 reg inf url desktop vb csx',
);
/** Content that text-like names may hold: text formats file-type recognises, and scripts. */
const TEXT_CONTENT = words('xml ics vcf vtt reg sh csh py pl rb js php ps1 lua tcl script');

/** Whether the name's extension claims a type other than the one the content shows. */
export function extensionMismatch(extension: string | null, detectedExtension: string | null): boolean {
  if (extension === null || detectedExtension === null) return false;
  if (TEXT_LIKE_NAMES.has(extension)) return !TEXT_CONTENT.has(detectedExtension);
  const family = BY_NAME.get(extension);
  if (family === undefined) return false;
  if (words(family.content).has(detectedExtension)) return false;
  return !(family.zipBased === true && detectedExtension === 'zip');
}

/** Whether an extension is one the mismatch table knows (for reports that say why a name was not compared). */
export function knownExtension(extension: string): boolean {
  return BY_NAME.has(extension) || TEXT_LIKE_NAMES.has(extension);
}
