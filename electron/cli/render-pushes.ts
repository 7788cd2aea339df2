/**
 * The import report's registry lines: one per image, what the push did (pushed, already present,
 * failed with the registry's code), with blob counts and bytes sent.
 */
import type { ImagePushResult } from '../../shared/images.js';
import { displayText } from '../../shared/display-text.js';
import { formatBytes, plural } from '../../shared/format.js';

export const PUSH_FAILED_NEXT =
  'Fix what the registry said for each FAILED image, then run the same import command again: it verifies the bundle again and pushes only what is missing (no --allow-replay needed).';

const LABEL: Record<ImagePushResult['outcome'], string> = { pushed: 'PUSHED', 'already-present': 'PRESENT', failed: 'FAILED' };

export function renderPushes(pushes: readonly ImagePushResult[], target: string): string {
  if (pushes.length === 0) return displayText(`Registry ${target}: the bundle carries no images; nothing was pushed.`);
  const lines = [displayText(`Registry ${target}:`)];
  for (const p of pushes) {
    const name = `${p.repository}${p.tag === null ? '' : `:${p.tag}`}`;
    const blobs = `${p.blobs.uploaded} uploaded, ${p.blobs.mounted} mounted, ${p.blobs.skipped} already there; ${formatBytes(p.bytesSent)} sent`;
    lines.push(displayText(`  ${LABEL[p.outcome].padEnd(7)}  ${name}  ${p.digest}`));
    lines.push(p.outcome === 'failed' ? displayText(`           ${p.errorCode ?? '?'}: ${p.message ?? ''}`) : `           ${blobs}`);
  }
  const failed = pushes.filter((p) => p.outcome === 'failed').length;
  lines.push(
    failed === 0 ? `  ${plural(pushes.length, 'image')} in the registry, digests as signed.` : `  ${failed} of ${plural(pushes.length, 'image')} FAILED.`,
  );
  return lines.join('\n');
}
