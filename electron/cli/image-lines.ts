/** The export summary's lines for images and charts (folder and media exports, and a staged export's review, alike). */
import { displayText } from '../../shared/display-text.js';
import { formatSize, plural } from '../../shared/format.js';
import type { ExportedImages } from '../../shared/images.js';
import { write, type CliIo } from './io.js';

export function printImages(io: CliIo, exported: ExportedImages): void {
  for (const line of imageLines(exported)) write(io.stdout, line);
}

/**
 * One line per image (kind, repository:tag, digest, size, platforms, referrers), then the blobs and
 * the charts' hints; display-safe. The export summary names the platforms of multi-platform images
 * only; `everyPlatform` names a single-platform image's too (what an approver reviews).
 */
export function imageLines(exported: ExportedImages, options: { everyPlatform?: boolean } = {}): string[] {
  const lines: string[] = [];
  const least = options.everyPlatform === true ? 1 : 2;
  for (const image of exported.images) {
    const platforms =
      image.platforms.length >= least ? `, ${image.platforms.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/')).join(' ')}` : '';
    const referrers = image.referrers.length > 0 ? `, ${plural(image.referrers.length, 'referrer')}` : '';
    lines.push(
      displayText(
        `  ${image.kind} ${image.repository}${image.tag === null ? '' : `:${image.tag}`}  ${image.digest}  ${formatSize(image.size)}${platforms}${referrers}`,
      ),
    );
  }
  lines.push(`  ${plural(exported.storedBlobs, 'blob')} stored once each in data/oci/`);
  if (exported.skippedBlobs > 0) {
    lines.push(`  ${plural(exported.skippedBlobs, 'blob')} (${formatSize(exported.skippedBytes)}) left out: the far registry holds them (expected-present)`);
  }
  for (const chart of exported.chartImages) {
    lines.push(displayText(`  chart ${chart.chart} names ${plural(chart.images.length, 'image')}: ${chart.images.join(', ')}`));
    lines.push('  add them with --image (they are not in this bundle unless you did)');
  }
  return lines;
}
