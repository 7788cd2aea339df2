/**
 * The audit events of an export to removable media (media-export.ts records them): media-write,
 * what was written where with a row per file, and media-readback, what reading it back proved.
 */
import type { MediaExportReport, MediaRef, MediaWrittenFile, ReadBackFile } from '../../../shared/media.js';
import type { AuditEventInput } from '../audit/audit-event.js';
import type { AirlockError } from '../errors.js';

/**
 * The media-write event. A file row's SHA-256 is always the SHA-256 of the bytes written. A bundle
 * written in one pass by position has none until its read-back has proven every region (then it is
 * the one read back): if that did not happen (the read-back found other bytes, could not finish,
 * or never started) the file gets no row, `details.fileRows` says why, and `details.unproven`
 * names the file with what the read-back found (the region that differs and the SHA-256 of the
 * bytes read back, as found, never as the file's).
 */
export function mediaWriteEvent(
  report: MediaExportReport,
  outcome: 'ok' | 'failed' | 'cancelled',
  failure: AirlockError | null,
  leftovers: readonly string[],
  targets: MediaRef[],
): AuditEventInput {
  const first = report.volumes[0]?.medium ?? targets[0];
  const details: Record<string, unknown> = {
    label: first?.label ?? null,
    serial: first?.serial ?? null,
    media: report.volumes.length > 0 ? report.volumes.map((v) => ({ volume: v.number, ...v.medium })) : targets,
    split: report.split,
    parts: report.parts,
    removedLeftovers: report.removedLeftovers,
  };
  if (failure) {
    details.message = failure.message;
    details.leftovers = leftovers;
  }
  const unproven = report.files.filter((f) => f.sha256 === '');
  if (unproven.length > 0) {
    details.fileRows = `not recorded for ${unproven.map((f) => f.path).join(', ')}: written in one pass by position, a file's SHA-256 is known only once its read-back has proven every region, and that read-back did not (details.unproven)`;
    details.unproven = unproven.map((f) => unprovenFile(report, f));
  }
  return {
    type: 'media-write',
    outcome,
    bundleName: report.bundle.name || null,
    bundleUuid: report.bundle.uuid,
    tagmanifestSha256: report.bundle.tagmanifestSha256 || null,
    errorCode: failure?.code ?? null,
    files: report.files.length,
    bytes: report.files.reduce((n, f) => n + f.size, 0),
    details,
    fileRows: report.files.filter((f) => f.sha256 !== '').map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
  };
}

/** What the read-back of a one-pass file found, for the media-write event (its media-readback event carries the same problem). */
function unprovenFile(report: MediaExportReport, file: MediaWrittenFile): Record<string, unknown> {
  const read: ReadBackFile | undefined = report.volumes.find((v) => v.number === file.volume)?.readBack?.files.find((f) => f.file === file.path);
  return {
    path: file.path,
    size: file.size,
    readBack: read === undefined ? 'not completed' : read.actualSha256 === null ? 'could not be read' : 'differs',
    differsIn: read?.differsIn ?? null,
    offset: read?.firstDifference?.offset ?? null,
    length: read?.firstDifference?.length ?? null,
    foundSha256: read?.actualSha256 ?? null,
    foundSize: read?.actualSize ?? null,
  };
}

/** The media-readback event of the volumes read back; null when none was (read-back off, or the write stopped first). */
export function readBackEvent(report: MediaExportReport): AuditEventInput | null {
  const done = report.volumes.filter((v) => v.readBack !== null);
  if (done.length === 0) return null;
  const problems = done.flatMap((v) => v.readBack?.problems ?? []);
  const first = report.volumes[0]?.medium;
  return {
    type: 'media-readback',
    outcome: problems.length === 0 ? 'ok' : 'rejected',
    bundleName: report.bundle.name || null,
    bundleUuid: report.bundle.uuid,
    tagmanifestSha256: report.bundle.tagmanifestSha256 || null,
    problemCodes: problems.map((p) => p.code),
    files: done.reduce((n, v) => n + (v.readBack?.files.length ?? 0), 0),
    bytes: done.reduce((n, v) => n + (v.readBack?.bytes ?? 0), 0),
    details: {
      label: first?.label ?? null,
      serial: first?.serial ?? null,
      volumes: done.map((v) => ({
        volume: v.number,
        ...v.medium,
        method: v.readBack?.method,
        bypassesCache: v.readBack?.bypassesCache,
        methodDetail: v.readBack?.methodDetail,
        seconds: v.readBack?.seconds,
      })),
      problems,
    },
  };
}
