/**
 * The parts the content inspector is made of (contract.ts): type detection and its policy (types/),
 * the Office macro check, the archive walk (archives/). The inspector takes them as one record so
 * tests can put in fakes for each and the station the real ones (default-parts.ts).
 */
import type { InspectPolicy } from '../policy/inspect-policy.js';
import type { ByteSource, ItemFinding, TypeDetection, WalkArchive } from './contract.js';
import type { PackageVerdict } from './types/office-package.js';

/** What the macro check found (types/office-macros.ts). */
export type MacroVerdict = { kind: 'none' } | { kind: 'found'; detail: string } | { kind: 'unreadable'; encrypted: boolean; detail: string };

export interface InspectionParts {
  /** What a file is, from its first TYPE_SNIFF_BYTES bytes (fewer for a shorter file) and its name. */
  detectType(head: Buffer, name: string): TypeDetection | Promise<TypeDetection>;
  /**
   * The type policy's findings for one item: TYPE_DENIED, TYPE_MISMATCH (a lying extension, or a
   * polyglot), undetected content, MACRO_FOUND, and an Office file whose macros could not be told
   * (ARCHIVE_ENCRYPTED / ARCHIVE_UNREADABLE by the archive rules: never a pass).
   */
  typeFindings(detection: TypeDetection, macros: MacroVerdict | null, policy: InspectPolicy, polyglot: string | null): ItemFinding[];
  /** What else a file is, from its head and its last ZIP_TAIL_BYTES (a zip appended, a PDF header inside); null when nothing. */
  polyglotIn(head: Buffer, tail: Buffer, size: number, detection: TypeDetection): string | null;
  /** Whether an Office document (detection.office set) carries macros; `unreadable` when that cannot be told (never a pass). */
  officeMacros(source: ByteSource, signal?: AbortSignal): Promise<MacroVerdict>;
  /** Whether an OOXML/OpenDocument package (detection.office `ooxml`) is the valid package its extension claims (types/office-package.ts). */
  officePackage(source: ByteSource, extension: string | null, signal?: AbortSignal): Promise<PackageVerdict>;
  walkArchive: WalkArchive;
}
