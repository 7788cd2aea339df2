import { displayText } from '../../shared/display-text.js';
import { ERROR_CODES } from '../../shared/errors.js';
import { groupFingerprint } from '../../shared/fingerprint.js';
import { formatBytes } from '../../shared/format.js';
import { PROBLEM_TEXT } from '../../shared/problems.js';
import type { VerifyResult } from '../../shared/results.js';
import type { AirlockError } from '../core/index.js';

/** A readable report of a verification: what was proven, or every reason for rejection with the next step. */
export function renderVerifyResult(result: VerifyResult): string {
  const lines: string[] = [];
  const name = result.bundle.name ?? result.bundle.path;
  if (result.ok) {
    lines.push(`VERIFIED  ${name}`);
    lines.push(`  ${result.bundle.files} files, ${formatBytes(result.bundle.bytes)}: every byte matches the signed manifest.`);
  } else {
    lines.push(`REJECTED  ${name}`);
  }
  for (const signer of result.signers) {
    const label = signer.label ? `  [${signer.label}]` : '';
    lines.push(`  Signed by ${signer.userIds.join(', ') || '(no user ID)'}${label}`);
    lines.push(`            ${groupFingerprint(signer.fingerprint)}   at ${signer.signedAt}`);
  }
  const b = result.bundle;
  const facts = [
    b.uuid ? `id ${b.uuid}` : null,
    b.station ? `station ${b.station}` : null,
    b.operator ? `operator ${b.operator}` : null,
    b.sequence !== null ? `sequence ${b.sequence}` : null,
    b.created ? `created ${b.created}` : null,
  ].filter((x): x is string => x !== null);
  if (facts.length > 0) lines.push(`  Bundle ${facts.join(', ')}`);
  if (result.parts) {
    const found = result.parts.files.filter((f) => f.path !== null).length;
    lines.push(`  Split bundle: ${result.parts.count} parts on ${result.parts.volumes} volume(s); ${found} found and checked against the signed volume index${result.ok ? ', then reassembled' : ''}`);
  }
  for (const p of result.problems) {
    lines.push(`  ${p.code}${p.path ? `  ${p.path}` : ''}`);
    lines.push(`    ${p.message}`);
    lines.push(`    Next: ${PROBLEM_TEXT[p.code].action}`);
  }
  return `${lines.map(displayText).join('\n')}\n`;
}

export function renderError(error: AirlockError): string {
  return `airlock: ${error.code}: ${displayText(error.message)}\n`;
}

export function errorKind(error: AirlockError): 'usage' | 'operational' {
  return ERROR_CODES[error.code].kind;
}
