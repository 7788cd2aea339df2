/**
 * The media-write event's file rows: a row's SHA-256 is always the SHA-256 of the bytes written.
 * A bundle written in one pass by position has one only once its read-back proved every region;
 * when the read-back found other bytes, could not read the file or never finished, the event has
 * no row for it, says why, and names what was found where (as found, not as the file's SHA-256).
 */
import { describe, expect, it } from 'vitest';
import type { MediaExportReport, MediaRef, MediaWrittenFile, ReadBackFile, ReadBackReport } from '../../../../shared/media.js';
import { problem } from '../../../../shared/problems.js';
import { buildAuditRecord } from '../../../../electron/core/audit/audit-store.js';
import { mediaWriteEvent, readBackEvent } from '../../../../electron/core/station/media-audit-events.js';

const medium: MediaRef = { label: 'STICK', serial: 'S1', device: '/dev/sdz1', mountPoint: '/media/STICK', filesystem: 'ext4' };
const path = '/media/STICK/b.airlock.tar';
const written = 'a'.repeat(64);
const found = 'f'.repeat(64);

function readBack(file: ReadBackFile | null, checkedBy: 'sha256' | 'records'): ReadBackReport {
  return {
    ok: file?.ok ?? true,
    method: 'o-direct',
    bypassesCache: true,
    methodDetail: '',
    files: file ? [file] : [],
    problems: file && !file.ok ? [problem('CHECKSUM_MISMATCH', 'differs', path)] : [],
    bytes: file?.actualSize ?? 0,
    seconds: 0.1,
    checkedBy,
  };
}

function report(file: MediaWrittenFile, read: ReadBackReport | null): MediaExportReport {
  return {
    bundle: { name: 'b', uuid: 'u', tagmanifestSha256: 'c'.repeat(64) },
    split: false,
    parts: 1,
    volumes: [{ number: 1, medium, files: [file.path], readBack: read }],
    files: [file],
    indexFile: null,
    removedLeftovers: [],
    readBackOk: read?.ok === true,
  };
}

const bundleFile = (sha256: string): MediaWrittenFile => ({ path, size: 10_240, sha256, volume: 1, kind: 'bundle' });
const differs = (expectedSha256: string): ReadBackFile => ({
  file: path,
  size: 10_240,
  expectedSha256,
  actualSha256: found,
  actualSize: 10_240,
  firstDifference: { offset: 1536, length: 100 },
  differsIn: expectedSha256 === '' ? 'data/x.bin (against its SHA-256 in the signed manifest)' : null,
  ok: false,
});

describe('mediaWriteEvent', () => {
  it('two passes, read-back failed: the row carries the SHA-256 written (the bytes hashed as they were written)', () => {
    const event = mediaWriteEvent(report(bundleFile(written), readBack(differs(written), 'sha256')), 'ok', null, [], [medium]);
    expect(event.fileRows).toEqual([{ path, size: 10_240, sha256: written }]);
    expect(event.details).not.toHaveProperty('fileRows');
    expect(event.details).not.toHaveProperty('unproven');
  });

  it('one pass, read-back proved every region: the row carries the SHA-256 read back', () => {
    // read-back-volume.ts sets the file's SHA-256 once every region checked out.
    const file = bundleFile(found);
    const event = mediaWriteEvent(
      report(file, readBack({ ...differs(''), differsIn: null, firstDifference: null, ok: true }, 'records')),
      'ok',
      null,
      [],
      [medium],
    );
    expect(event.fileRows).toEqual([{ path, size: 10_240, sha256: found }]);
    expect(event.details).not.toHaveProperty('unproven');
  });

  it('one pass, read-back found other bytes: no row, the reason, and the region and SHA-256 found', () => {
    const event = mediaWriteEvent(report(bundleFile(''), readBack(differs(''), 'records')), 'ok', null, [], [medium]);
    expect(event).toMatchObject({ type: 'media-write', outcome: 'ok', files: 1, bytes: 10_240, fileRows: [] });
    expect(event.details?.['fileRows']).toBe(
      `not recorded for ${path}: written in one pass by position, a file's SHA-256 is known only once its read-back has proven every region, and that read-back did not (details.unproven)`,
    );
    expect(event.details?.['unproven']).toEqual([
      {
        path,
        size: 10_240,
        readBack: 'differs',
        differsIn: 'data/x.bin (against its SHA-256 in the signed manifest)',
        offset: 1536,
        length: 100,
        foundSha256: found,
        foundSize: 10_240,
      },
    ]);
    // No stored row has an empty SHA-256, and the event's digest binds no rows.
    const record = buildAuditRecord({ station: 's', operator: 'o', organization: null }, event, 1, '0'.repeat(64), new Date(0));
    expect(record.files).toEqual([]);
    expect(record.row.files_digest).toBeNull();
  });

  it('one pass, the file could not be read back, or the read-back never finished: no row, and which of the two', () => {
    const unreadable = { ...differs(''), actualSha256: null, actualSize: null, firstDifference: null, differsIn: null };
    const cannot = mediaWriteEvent(report(bundleFile(''), readBack(unreadable, 'records')), 'ok', null, [], [medium]);
    expect(cannot.fileRows).toEqual([]);
    expect(cannot.details?.['unproven']).toMatchObject([{ path, readBack: 'could not be read', foundSha256: null, offset: null }]);
    const gone = mediaWriteEvent(report(bundleFile(''), null), 'failed', null, [], [medium]);
    expect(gone.fileRows).toEqual([]);
    expect(gone.details?.['unproven']).toMatchObject([{ path, readBack: 'not completed', differsIn: null, foundSha256: null }]);
  });
});

describe('readBackEvent', () => {
  it('is rejected with the problem when a file read back otherwise, and absent when nothing was read back', () => {
    expect(readBackEvent(report(bundleFile(''), readBack(differs(''), 'records')))).toMatchObject({
      type: 'media-readback',
      outcome: 'rejected',
      problemCodes: ['CHECKSUM_MISMATCH'],
    });
    expect(readBackEvent(report(bundleFile(''), null))).toBeNull();
  });
});
