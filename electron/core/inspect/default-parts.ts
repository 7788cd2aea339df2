/**
 * The real parts of content inspection (inspection-parts.ts) as the station uses them: type
 * detection by content (types/), the type policy, the Office macro check and the archive walk
 * (archives/).
 */
import type { ItemFinding, TypeDetection } from './contract.js';
import type { InspectionParts } from './inspection-parts.js';
import type { InspectPolicy } from '../policy/inspect-policy.js';
import { walkArchive } from './archives/walk-archive.js';
import { detectType } from './types/detect-type.js';
import { extensionMatches } from './types/extension.js';

/** A media type against a pattern: exact, or a family `image/*`. */
function typeMatches(mime: string, pattern: string): boolean {
  return pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern;
}

/** Interim type policy until types/ provides typeFindings: lists, mismatch, undetected; programs are left to the deny lists. */
function typeFindings(detection: TypeDetection, policy: InspectPolicy['types']): ItemFinding[] {
  const found: ItemFinding[] = [];
  const { mime, extension } = detection;
  if (mime !== null && policy.deny.some((p) => typeMatches(mime, p)))
    found.push({ code: 'TYPE_DENIED', severity: 'refuse', detail: `Its content is ${mime}, a type this station refuses.` });
  else if (mime !== null && policy.allow !== null && !policy.allow.some((p) => typeMatches(mime, p)))
    found.push({ code: 'TYPE_DENIED', severity: 'refuse', detail: `Its content is ${mime}, not a type this station allows.` });
  if (extension !== null && policy.denyExtensions.some((rule) => extensionMatches(extension, rule)))
    found.push({ code: 'TYPE_DENIED', severity: 'refuse', detail: `Its extension .${extension} is one this station refuses.` });
  else if (extension !== null && policy.allowExtensions !== null && !policy.allowExtensions.some((rule) => extensionMatches(extension, rule)))
    found.push({ code: 'TYPE_DENIED', severity: 'refuse', detail: `Its extension .${extension} is not one this station allows.` });
  if (detection.mismatch && policy.onMismatch !== 'allow')
    found.push({
      code: 'TYPE_MISMATCH',
      severity: policy.onMismatch,
      detail: `It is named .${extension ?? ''} but its content is ${mime ?? 'something else'}.`,
    });
  if (mime === null && policy.onUndetected !== 'allow')
    found.push({ code: 'TYPE_DENIED', severity: policy.onUndetected, detail: 'Its content matches no known type.' });
  return found;
}

export const defaultInspectionParts: InspectionParts = {
  detectType,
  typeFindings,
  // Until types/ provides the macro check, whether an Office file carries macros is unknown: never a pass.
  officeMacros: async () => ({ kind: 'unreadable', encrypted: false, detail: 'this build cannot look inside Office files yet.' }),
  walkArchive,
};
