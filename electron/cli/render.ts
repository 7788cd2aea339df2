import { displayText } from '../../shared/display-text.js';
import { ERROR_CODES } from '../../shared/errors.js';
import { groupFingerprint } from '../../shared/fingerprint.js';
import { formatSize, plural } from '../../shared/format.js';
import type { ImageSummary } from '../../shared/images.js';
import { FILE_OUTCOMES, type FileOutcome, type FileResults, type PolicySummary, type VerifyResult } from '../../shared/results.js';
import type { AirlockError } from '../core/index.js';
import { cliNextStep, cliProblemNextStep } from './next-step.js';
import { renderInspection } from './inspection-lines.js';
import { renderChannel } from './channel-lines.js';
import { forStation } from './station-command.js';

/** A readable report of a verification: what was proven, or every reason for rejection with the next step. */
export function renderVerifyResult(result: VerifyResult, operation: 'verify' | 'import' = 'verify', options: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const name = result.bundle.name ?? result.bundle.path;
  if (result.ok) {
    lines.push(`VERIFIED  ${name}`);
    lines.push(`  ${plural(result.bundle.files, 'file')}, ${formatSize(result.bundle.bytes)}: every byte matches the signed manifest.`);
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
    lines.push(
      `  Split bundle: ${plural(result.parts.count, 'part')} on ${plural(result.parts.volumes, 'volume')}; ${found} found and checked against the signed volume index${result.ok ? ', then reassembled' : ''}`,
    );
  }
  lines.push(
    ...renderImages(result.images),
    ...renderFileCounts(result.files, options.verbose === true),
    ...renderPolicy(result.policy, operation),
    ...renderInspection(result.inspection),
    ...renderChannel(result.channel),
  );
  if (options.verbose) lines.push(...renderFileList(result.files));
  for (const p of result.problems) {
    lines.push(`  ${p.code}${p.path ? `  ${p.path}` : ''}`);
    lines.push(`    ${p.message}`);
    lines.push(`    Next: ${cliProblemNextStep(p.code)}`);
  }
  return `${lines.map(displayText).join('\n')}\n`;
}

/**
 * The images a bundle carries, from its proven graph (docs/bundle-format.md §15): one line each,
 * `REPO:TAG  DIGEST  SIZE  PLATFORMS` (`-` for no platforms, as for a chart; `REPO` alone for an
 * image that travels by digest only), then how many referrers travel with it.
 */
function renderImages(images: readonly ImageSummary[] | undefined): string[] {
  if (!images || images.length === 0) return [];
  const lines = [`  Images: ${images.length}, every blob proven against its digest:`];
  for (const image of images) {
    const name = image.tag === null ? image.repository : `${image.repository}:${image.tag}`;
    const platforms = image.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`).join(',') || '-';
    const referrers = image.referrers.length > 0 ? `  +${plural(image.referrers.length, 'referrer')}` : '';
    lines.push(`    ${name}  ${image.digest}  ${formatSize(image.size)}  ${platforms}${image.kind === 'chart' ? '  (chart)' : ''}${referrers}`);
  }
  return lines;
}

const OUTCOME_WORDS: Record<FileOutcome, string> = {
  ok: 'intact',
  'checksum-mismatch': 'checksum mismatch',
  missing: 'missing',
  unlisted: 'not in the manifest',
  'refused-name': 'name refused',
  'refused-type': 'entry type refused',
  'refused-limit': 'over a limit',
};

/** -v: every file the report lists, with its outcome (the same list --json carries, capped alike). */
function renderFileList(files: FileResults): string[] {
  const lines = files.listed.map((f) => `    ${OUTCOME_WORDS[f.outcome].padEnd(20)} ${f.size === null ? '-' : formatSize(f.size)}  ${f.path}`);
  const omitted = files.omitted.ok + files.omitted.failed;
  if (omitted > 0) lines.push(`    ... and ${plural(omitted, 'more file')} (over the list's cap)`);
  return lines;
}

/** One line of per-file counts (the list itself is in --json, and with -v). */
function renderFileCounts(files: FileResults, verbose: boolean): string[] {
  const parts = FILE_OUTCOMES.filter((o) => files.counts[o] > 0).map((o) => `${files.counts[o]} ${OUTCOME_WORDS[o]}`);
  if (files.notChecked > 0) parts.push(`${files.notChecked} not reached`);
  if (parts.length === 0) return [];
  return [`  Files: ${parts.join(', ')}${files.complete ? '' : ' (verification stopped early)'}${verbose ? ':' : '; every file with -v or --json'}`];
}

/** How many station policy checks pass, and each one that does not. */
function renderPolicy(policy: PolicySummary, operation: 'verify' | 'import'): string[] {
  const { findings } = policy;
  if (findings.length === 0) return [];
  const passed = findings.filter((f) => f.outcome === 'pass').length;
  const unchecked = findings.filter((f) => f.outcome === 'not-checked').length;
  const lines = [`  Station policy: ${passed} of ${plural(findings.length, 'check')} pass${unchecked > 0 ? `, ${unchecked} not checked` : ''}`];
  for (const f of findings.filter((x) => x.outcome === 'fail')) {
    const refusal = f.refusedBy === 'import' && operation === 'verify' ? ' (import refuses it; verify only reports it)' : '';
    lines.push(`    FAIL ${f.check}${f.code ? ` (${f.code})` : ''}: ${f.detail}${refusal}`);
  }
  return lines;
}

/** `airlock: CODE: message`, then what to do about it (every error has a next step). */
/** The error's two lines; `home` is the --home the command ran with, for the commands its next step names. */
export function renderError(error: AirlockError, home?: string): string {
  return `airlock: ${error.code}: ${displayText(error.message)}\n  Next: ${displayText(forStation(cliNextStep(error), home))}\n`;
}

export function errorKind(error: AirlockError): 'usage' | 'operational' {
  return ERROR_CODES[error.code].kind;
}
