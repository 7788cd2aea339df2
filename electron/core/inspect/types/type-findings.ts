/**
 * The type policy applied to one item (issue #16.2; policy.json `inspect.types`): what detection,
 * the macro check and the polyglot check found, turned into findings with the rule's action as
 * severity (`refuse` or `warn`; `allow` adds nothing).
 * - TYPE_DENIED (always refuses): the detected type matches a `deny` pattern, or is not matched
 *   by `allow` when an allow list is set; the extension is in `denyExtensions`, or not in
 *   `allowExtensions` when that is set (a name without an extension is then not allowed either).
 *   A deny rule wins over any allow rule. `image/*` matches every `image/...` type.
 * - TYPE_MISMATCH by `onMismatch`: the name's extension names another type, or the file is a
 *   polyglot (polyglot.ts).
 * - Undetected content (plain text and many text formats) by `onUndetected`.
 * - MACRO_FOUND by `macros`. An Office container whose macros could not be checked is
 *   ARCHIVE_ENCRYPTED or ARCHIVE_UNREADABLE, by the archive rules (default refuse): not clean.
 * The caller runs officeMacros when `detection.office` is set and passes null otherwise.
 */
import { displayText } from '../../../../shared/display-text.js';
import type { InspectPolicy, RuleAction } from '../../policy/inspect-policy.js';
import type { ItemFinding, TypeDetection } from '../contract.js';
import { extensionMatches } from './extension.js';
import type { MacroScan } from './office-macros.js';

export interface TypeFindingsExtra {
  /** polyglotIn/polyglotOf's answer for this item. */
  polyglot?: string | null | undefined;
  /** The archive rules for Office containers that cannot be read; refuse when not given. */
  archives?: Pick<InspectPolicy['archives'], 'encrypted' | 'unreadable'> | undefined;
}

export function typeFindings(detection: TypeDetection, macros: MacroScan | null, types: InspectPolicy['types'], extra: TypeFindingsExtra = {}): ItemFinding[] {
  const findings: ItemFinding[] = [];
  // One finding per code: a second reason for the same code joins the first (the stricter action wins).
  const add = (code: ItemFinding['code'], action: RuleAction, detail: string): void => {
    if (action === 'allow') return;
    const same = findings.find((f) => f.code === code);
    if (same === undefined) findings.push({ code, severity: action, detail });
    else {
      same.severity = same.severity === 'refuse' || action === 'refuse' ? 'refuse' : 'warn';
      same.detail = `${same.detail} ${detail}`;
    }
  };
  const denied = deniedReasons(detection, types);
  if (denied.length > 0) add('TYPE_DENIED', 'refuse', `${capitalise(denied.join('; '))}.`);

  const mismatch: string[] = [];
  if (detection.mismatch) mismatch.push(`the name says .${displayText(detection.extension ?? '')}, the content is ${contentWords(detection)}`);
  if (extra.polyglot !== null && extra.polyglot !== undefined) mismatch.push(extra.polyglot);
  if (mismatch.length > 0) add('TYPE_MISMATCH', types.onMismatch, `${capitalise(mismatch.join('; '))}.`);

  if (detection.mime === null) add('TYPE_DENIED', types.onUndetected, 'Its content matches no known type, and the policy does not take undetected content.');

  if (macros?.kind === 'found') add('MACRO_FOUND', types.macros, `${capitalise(macros.detail)}.`);
  if (macros?.kind === 'unreadable') {
    if (macros.encrypted) add('ARCHIVE_ENCRYPTED', extra.archives?.encrypted ?? 'refuse', `Its macros cannot be checked: ${macros.detail}.`);
    else add('ARCHIVE_UNREADABLE', extra.archives?.unreadable ?? 'refuse', `Its macros cannot be checked: ${macros.detail}.`);
  }
  return findings;
}

function deniedReasons(detection: TypeDetection, types: InspectPolicy['types']): string[] {
  const reasons: string[] = [];
  const mime = detection.mime?.split(';')[0]?.trim().toLowerCase() ?? null;
  if (mime !== null) {
    const deny = types.deny.find((pattern) => typeMatches(mime, pattern));
    if (deny !== undefined) reasons.push(`its type ${mime} is denied (${deny})`);
    else if (types.allow !== null && !types.allow.some((pattern) => typeMatches(mime, pattern)))
      reasons.push(`its type ${mime} is not among the allowed types`);
  }
  const ext = detection.extension;
  const denyExt = ext === null ? undefined : types.denyExtensions.find((rule) => extensionMatches(ext, rule));
  if (denyExt !== undefined) reasons.push(`its extension .${displayText(ext ?? '')} is denied (${denyExt})`);
  else if (types.allowExtensions !== null && (ext === null || !types.allowExtensions.some((rule) => extensionMatches(ext, rule)))) {
    reasons.push(
      ext === null
        ? 'it has no extension, and the policy allows only listed extensions'
        : `its extension .${displayText(ext)} is not among the allowed extensions`,
    );
  }
  return reasons;
}

/** `image/*` matches the family, anything else the exact type (both lower case). */
export function typeMatches(mime: string, pattern: string): boolean {
  return pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern;
}

const contentWords = (d: TypeDetection): string => (d.detectedExtension === null ? 'unrecognised' : `${d.mime ?? 'unknown'} (.${d.detectedExtension})`);

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
