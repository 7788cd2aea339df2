// @vitest-environment jsdom
/**
 * The media steps against a fake window.airlock whose media list changes between polls: the
 * export destination (fit, FAT32, hostile labels, a medium pulled), write then read-back
 * progress, the result with the read-back method and Eject (never after a failed read-back),
 * "Insert a medium" for import (none, one, several, the wrong one), and "Verify a medium".
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MediaVolumeView } from '../../../shared/ipc.js';
import { ExportFlow } from '../../../renderer/src/flows/export/ExportFlow.js';
import { ReadBackFailed } from '../../../renderer/src/flows/export/ReadBackFailed.js';
import { ImportFlow } from '../../../renderer/src/flows/import/ImportFlow.js';
import { VerifyFlow } from '../../../renderer/src/flows/verify/VerifyFlow.js';
import {
  declaredFolder,
  finishedJob,
  mediaExportResult,
  mediumBundles,
  mediumRejected,
  mediumVerified,
  running,
  status,
  summary,
  tinyHostile,
  usbStick,
} from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const POLL = 25;
/** The media "plugged in" now: tests change it and the next poll sees it. */
let plugged: MediaVolumeView[] = [];

function answers(extra: Answers = {}): Answers {
  return {
    chooseExportSources: { paths: ['/data/reports'] },
    summarizeSelection: summary,
    stationStatus: status,
    listMedia: () => ({ media: plugged }),
    startExport: { jobId: 'job-1' },
    startVerify: { jobId: 'job-2' },
    startVerifyMedium: { jobId: 'job-3' },
    getJob: ({ jobId }) => running(jobId, jobId === 'job-3' ? 'verify-medium' : 'export'),
    cancelJob: { cancelling: true },
    ejectMedium: {
      medium: { label: 'TRANSFER', serial: null, device: '/dev/sdb1', mountPoint: usbStick.mountPoint, filesystem: 'vfat' },
      actions: ['flushed /media/op/TRANSFER (sync -f)', 'unmounted /dev/sdb1 (udisksctl unmount)'],
      unmounted: true,
      poweredOff: true,
    },
    ...extra,
  };
}

async function toDestination(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Add files…' }));
  await user.click(screen.getByRole('button', { name: 'Next: review' }));
  await screen.findByRole('table', { name: 'Selection' });
  await user.click(screen.getByRole('button', { name: 'Next: destination' }));
}

async function toWrite(user: ReturnType<typeof userEvent.setup>) {
  await toDestination(user);
  await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
  await user.click(screen.getByRole('button', { name: 'Next: sign' }));
  await user.type(await screen.findByLabelText(/Station key passphrase/), 'pw{Enter}');
  await screen.findByRole('heading', { name: 'Writing to the medium and reading it back' });
}

describe('export to a medium', () => {
  it('lists media with file system and free space against the bundle, disables what cannot hold it, escapes hostile labels', async () => {
    plugged = [usbStick, tinyHostile, declaredFolder];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toDestination(user);
    expect(await screen.findByText(/3 media detected: make sure you choose the right one/)).toBeTruthy();

    const usb = screen.getByRole<HTMLInputElement>('radio', { name: /TRANSFER/ });
    expect(usb.disabled).toBe(false);
    const group = screen.getByRole('radiogroup', { name: 'Destination' });
    expect(group.textContent).toContain('vfat · 15.5 GB free of 15.6 GB · at /media/op/TRANSFER · SanDisk Cruzer Blade');
    expect(group.textContent).toContain('FAT32: a bundle over 4 GiB would be split into parts; this one fits in one file.');

    // The hostile label is shown escaped and its radio is disabled: the bundle will not fit.
    const tiny = screen.getByRole<HTMLInputElement>('radio', { name: /EVIL\\u202egpj\.exe/ });
    expect(tiny.disabled).toBe(true);
    expect(group.textContent).toContain('Will not fit: the bundle needs about 2.77 MB, 1.00 MB is free.');
    expect(document.body.textContent).not.toContain('\u202E');
    expect(group.textContent).toContain('folder declared as a medium in config.json');

    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: sign' }).disabled).toBe(true);
    await user.click(usb);
    expect(screen.getByLabelText('Chosen medium').textContent).toContain('TRANSFER (/media/op/TRANSFER)');
    await user.click(screen.getByRole('button', { name: 'Next: sign' }));
    expect(await screen.findByText('The bundle goes to TRANSFER (/media/op/TRANSFER).')).toBeTruthy();
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await waitFor(() =>
      expect(fake.callsTo('startExport')).toEqual([{ selection: ['/data/reports'], destination: { kind: 'medium', mediumId: '/dev/sdb1' }, passphrase: 'pw' }]),
    );
  });

  it('says when a bundle needs FAT32 parts', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers({ summarizeSelection: { ...summary, totalBytes: 6_000_000_000 } }));
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toDestination(user);
    expect(await screen.findByText(/FAT32 holds files up to 4 GiB: this bundle will be written as numbered parts/)).toBeTruthy();
  });

  it('notices a chosen medium being pulled and blocks the next step until it is back', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toDestination(user);
    await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
    const next = screen.getByRole<HTMLButtonElement>('button', { name: 'Next: sign' });
    expect(next.disabled).toBe(false);
    plugged = [];
    expect((await screen.findByRole('alert')).textContent).toContain('TRANSFER is no longer detected');
    expect(next.disabled).toBe(true);
    expect(screen.getByText('No medium detected')).toBeTruthy();
    plugged = [usbStick];
    await waitFor(() => expect(next.disabled).toBe(false));
  });

  it('shows the write stage, then the read-back stage, then the result with the method and Eject', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    const stages = screen.getByRole('list', { name: 'Stages' });
    const progress = { bytesDone: 1_000_000, bytesTotal: 2_516_992, filesDone: 0, filesTotal: 1, rateBytesPerSecond: 10_000_000, etaSeconds: 1 };
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...progress, phase: 'writing' } }));
    expect(within(stages).getByText('Write and flush').closest('li')?.getAttribute('aria-current')).toBe('step');
    expect(screen.queryByText('The bundle is written and flushed to the medium.')).toBeNull();
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...progress, phase: 'reading-back' } }));
    expect(screen.getByText('Reading back from the medium', { selector: '[data-phase]' })).toBeTruthy();
    expect(
      within(stages)
        .getByText(/Read back from the medium/)
        .closest('li')
        ?.getAttribute('aria-current'),
    ).toBe('step');
    expect(within(stages).getByText('Write and flush').closest('li')?.textContent).toContain('done');
    expect(screen.getByText('The bundle is written and flushed to the medium.')).toBeTruthy();

    act(() => fake.emit({ type: 'finished', job: finishedJob('job-1', 'export', mediaExportResult) }));
    expect(await screen.findByRole('heading', { name: 'Bundle written and read back' })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Export result' });
    expect(table.textContent).toContain('Method: o-direct — direct reads (O_DIRECT) that bypass the page cache');
    expect(table.textContent).toContain('Matches what was written: 1 file, 2.52 MB');
    expect(screen.getByText(/read back past the page cache and matches what was written/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Eject TRANSFER' }));
    expect(fake.callsTo('ejectMedium')).toEqual([{ mediumId: '/dev/sdb1' }]);
    expect(await screen.findByText('TRANSFER can be removed now')).toBeTruthy();
    expect(screen.getByText('unmounted /dev/sdb1 (udisksctl unmount)')).toBeTruthy();
  });

  it('a failed read-back is an error with its next step, and no Eject is offered', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('job-1', 'export', null, {
          code: 'MEDIA_READBACK_FAILED',
          message: 'Reading the medium back did not return the bytes that were written: do not use this medium.',
        }),
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('MEDIA_READBACK_FAILED');
    expect(alert.textContent).toContain('set this medium aside');
    expect(screen.queryByRole('button', { name: /^Eject/ })).toBeNull();
  });

  it('a failed read-back names the file, the first difference and both SHA-256, marks the read-back phase failed, and offers no Eject', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    const base = { bytesDone: 0, bytesTotal: 3_000_000, filesDone: 0, filesTotal: null, rateBytesPerSecond: null, etaSeconds: null };
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'reading-back', bytesDone: 1_500_000 } }));
    const expected = 'a'.repeat(64);
    const found = 'b'.repeat(64);
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('job-1', 'export', null, {
          code: 'MEDIA_READBACK_FAILED',
          message: 'Volume 1 (TRANSFER): /media/op/TRANSFER/b.airlock.tar first differs at byte 1048576 …',
          path: '/media/op/TRANSFER/b.airlock.tar',
          data: {
            file: '/media/op/TRANSFER/b.airlock.tar',
            offset: 1_048_576,
            length: 1_048_576,
            expectedSha256: expected,
            foundSha256: found,
            files: 2,
          },
        }),
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-failure')).toBe('read-back');
    expect(alert.textContent).toContain('Read-back failed: do not use this medium');
    expect(alert.textContent).toContain('/media/op/TRANSFER/b.airlock.tar');
    expect(alert.textContent).toContain('at byte 1048576 (within bytes 1048576–2097151)');
    expect(alert.textContent).toContain(expected);
    expect(alert.textContent).toContain(found);
    expect(alert.textContent).toContain('1 more file differs too.');
    const phases = screen.getByRole('list', { name: 'Write, flush and read back' });
    expect(phases.querySelector('[data-media-phase="reading-back"]')?.getAttribute('data-state')).toBe('failed');
    expect(phases.querySelector('[data-media-phase="reading-back"]')?.textContent).toContain('(failed)');
    expect(screen.queryByRole('button', { name: /Eject/ })).toBeNull();
  });

  it('a one-pass read-back failure names the region that differs and its bytes, not a first differing byte, and expects no whole-file SHA-256', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    const found = 'c'.repeat(64);
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('job-1', 'export', null, {
          code: 'MEDIA_READBACK_FAILED',
          message: 'Volume 1 (TRANSFER): /media/op/TRANSFER/b.airlock.tar differs within bytes 5632-67114495 …',
          path: '/media/op/TRANSFER/b.airlock.tar',
          data: {
            file: '/media/op/TRANSFER/b.airlock.tar',
            offset: 5632,
            length: 67_108_864,
            expectedSha256: null,
            differsIn: 'data/big.bin (against its SHA-256 in the signed manifest)',
            foundSha256: found,
            files: 1,
          },
        }),
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-failure')).toBe('read-back');
    expect(alert.textContent).toContain('Differs in');
    expect(alert.textContent).toContain('data/big.bin (against its SHA-256 in the signed manifest) (bytes 5632–67114495 of the file)');
    expect(alert.textContent).not.toContain('First difference');
    expect(alert.textContent).not.toContain('Expected SHA-256');
    expect(alert.textContent).toContain(found);
  });

  it.each([
    ['en', 'Differs in', 'the header of data/über.bin (the file ends early) (bytes 4096–4607 of the file)'],
    ['de', 'Abweichung in', 'der Tar-Header von data/über.bin (die Datei endet vorzeitig) (Bytes 4096–4607 der Datei)'],
  ] as const)('a one-pass read-back failure words its region in the app language (%s), not in the engine English', async (locale, label, words) => {
    const error = {
      code: 'MEDIA_READBACK_FAILED' as const,
      message: 'Volume 1 (TRANSFER): /media/op/TRANSFER/b.airlock.tar differs within bytes 4096-4607 …',
      path: '/media/op/TRANSFER/b.airlock.tar',
      data: {
        file: '/media/op/TRANSFER/b.airlock.tar',
        offset: 4096,
        length: 512,
        expectedSha256: null,
        differsIn: 'the header of data/über.bin (the file ends early)',
        differsInPart: 'entry-header',
        differsInPath: 'data/über.bin',
        differsInEndsEarly: true,
        foundSha256: 'd'.repeat(64),
        files: 1,
      },
    };
    renderWithApi(<ReadBackFailed error={error} />, fakeApi(answers()), locale);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(label);
    expect(alert.textContent).toContain(words);
    if (locale === 'de') expect(alert.textContent).not.toContain('the header of');
  });

  it('shows write, flush and read back as three labelled phases, each with its bytes, rate and time left', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    const phases = screen.getByRole('list', { name: 'Write, flush and read back' });
    const row = (phase: string) => phases.querySelector(`[data-media-phase="${phase}"]`) as HTMLElement;
    const base = { bytesTotal: 3_000_000, filesDone: 0, filesTotal: null };
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-1',
        progress: { ...base, phase: 'writing', bytesDone: 1_000_000, rateBytesPerSecond: 50_000_000, etaSeconds: 40 },
      }),
    );
    expect(row('writing').getAttribute('aria-current')).toBe('step');
    expect(row('writing').textContent).toMatch(/Write.*\(now\).*1\.00 MB of 3\.00 MB.*at 50\.0 MB\/s.*about 0:40 left/u);
    expect(row('syncing').getAttribute('data-state')).toBe('waiting');
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-1',
        progress: { ...base, phase: 'syncing', bytesDone: 500_000, rateBytesPerSecond: 8_000_000, etaSeconds: 90 },
      }),
    );
    expect(row('writing').textContent).toContain('(done)');
    expect(row('syncing').textContent).toMatch(/Flush.*\(now\).*500\.0 KB of 3\.00 MB.*at 8\.00 MB\/s.*about 1:30 left/u);
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-1',
        progress: { ...base, phase: 'reading-back', bytesDone: 2_000_000, rateBytesPerSecond: 30_000_000, etaSeconds: 0.5 },
      }),
    );
    expect(row('syncing').textContent).toContain('(done)');
    expect(row('reading-back').textContent).toMatch(/Read back.*\(now\).*2\.00 MB of 3\.00 MB.*at 30\.0 MB\/s.*under a second left/u);
    // Status is a symbol and a word, not colour alone.
    expect(row('writing').textContent).toContain('✓');
  });

  it('one pass to the medium (ext4): hashing-and-writing fills the write row, and the stages are hash-and-write, sign-and-flush, read back', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    const phases = screen.getByRole('list', { name: 'Write, flush and read back' });
    const row = (phase: string) => phases.querySelector(`[data-media-phase="${phase}"]`) as HTMLElement;
    const base = { bytesTotal: 3_000_000, filesDone: 0, filesTotal: null };
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-1',
        progress: { ...base, phase: 'hashing-and-writing', bytesDone: 1_000_000, rateBytesPerSecond: 50_000_000, etaSeconds: 40 },
      }),
    );
    expect(row('writing').getAttribute('aria-current')).toBe('step');
    expect(row('writing').textContent).toMatch(/Write.*\(now\).*1\.00 MB of 3\.00 MB.*at 50\.0 MB\/s/u);
    const stages = screen.getByRole('list', { name: 'Stages' });
    expect(stages.textContent).toContain('Hash and write every file');
    expect(stages.textContent).toContain('Read back from the medium, past the page cache');
    expect(stages.textContent).not.toContain('Hash every file and sign the manifest');
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-1',
        progress: { ...base, phase: 'writing-tag-files', bytesDone: 0, rateBytesPerSecond: null, etaSeconds: null },
      }),
    );
    // The tag files go in front after the payload: still the one-pass stage list.
    expect(stages.textContent).toContain('Sign the manifest, write it and flush');
    act(() =>
      fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'reading-back', bytesDone: 10, rateBytesPerSecond: null, etaSeconds: null } }),
    );
    expect(row('writing').textContent).toContain('(done)');
    expect(row('reading-back').getAttribute('aria-current')).toBe('step');
  });

  it('a very large drive must be acknowledged before signing', async () => {
    const big: MediaVolumeView = { ...usbStick, id: '/dev/sdf1', device: '/dev/sdf1', disk: '/dev/sdf', label: 'BACKUP', size: 2_000_000_000_000, large: true };
    plugged = [big];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toDestination(user);
    await user.click(await screen.findByRole('radio', { name: /BACKUP/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-warning')).toBe('large-drive');
    expect(alert.textContent).toContain('This is a large drive (1.82 TiB)');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: sign' }).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'I checked: BACKUP is the medium to write to' }));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: sign' }).disabled).toBe(false);
  });

  it('an eject that fails says why and what to do', async () => {
    plugged = [usbStick];
    const fake = fakeApi(
      answers({ ejectMedium: { code: 'MEDIA_EJECT_FAILED', message: 'The medium could not be ejected. udisksctl unmount -b /dev/sdb1: target is busy' } }),
    );
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} pollMs={POLL} />, fake);
    await toWrite(user);
    act(() => fake.emit({ type: 'finished', job: finishedJob('job-1', 'export', mediaExportResult) }));
    await user.click(await screen.findByRole('button', { name: 'Eject TRANSFER' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('target is busy');
    expect(alert.textContent).toContain('Close every program using the medium');
  });
});

describe('import: insert a medium', () => {
  it('waits for a medium, takes the only one, lists its bundles (hostile names escaped) and verifies the chosen one', async () => {
    plugged = [];
    const fake = fakeApi(
      answers({
        listMediumBundles: ({ mediumId }) => ({ medium: usbStick, bundles: mediumId === usbStick.id ? mediumBundles : [], leftovers: 1, truncated: false }),
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<ImportFlow pollMs={POLL} />, fake);
    expect(screen.getByRole('heading', { name: 'Insert a medium' })).toBeTruthy();
    expect(await screen.findByText('No medium detected')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Choose bundle…' })).toBeTruthy();

    plugged = [usbStick];
    const bundles = await screen.findByRole('radiogroup', { name: 'Bundles on TRANSFER (2 bundles)' });
    expect(fake.callsTo('listMediumBundles')[0]).toEqual({ mediumId: '/dev/sdb1' });
    expect(bundles.textContent).toContain('q3\\u202egpj');
    expect(document.body.textContent).not.toContain('\u202E');
    expect(bundles.textContent).toContain(
      'Split bundle: 2 of 3 parts here; the others are looked for on the other inserted media, 8.00 GB, with its signed volume index',
    );
    expect(screen.getByText(/1 temporary file from an interrupted write is on this medium/)).toBeTruthy();

    const verify = screen.getByRole<HTMLButtonElement>('button', { name: 'Verify bundle' });
    expect(verify.disabled).toBe(true);
    await user.click(screen.getByRole('radio', { name: 'scans' }));
    await user.click(verify);
    expect(fake.callsTo('startVerify')).toEqual([{ bundlePath: '/media/op/TRANSFER/scans.airlock.tar.part-001-of-003' }]);
  });

  it('with several media asks which one, and says when a medium holds no bundles', async () => {
    plugged = [usbStick, declaredFolder];
    const fake = fakeApi(answers({ listMediumBundles: { medium: declaredFolder, bundles: [], leftovers: 0, truncated: false } }));
    const user = userEvent.setup();
    renderWithApi(<ImportFlow pollMs={POLL} />, fake);
    expect(await screen.findByText(/2 media detected: make sure you choose the right one/)).toBeTruthy();
    expect(fake.callsTo('listMediumBundles')).toEqual([]);
    await user.click(screen.getByRole('radio', { name: /\/srv\/diode\/outbox/ }));
    expect(await screen.findByText('No Airlock bundles on /srv/diode/outbox')).toBeTruthy();
    expect(fake.callsTo('listMediumBundles')).toEqual([{ mediumId: '/srv/diode/outbox' }]);
    expect(screen.getByText(/Is this the right medium\?/)).toBeTruthy();
  });

  it('shows a medium that cannot be read with its code and next step', async () => {
    plugged = [usbStick];
    const fake = fakeApi(
      answers({ listMediumBundles: { code: 'MEDIA_NOT_LISTED', message: 'The medium chosen is not among the media Airlock detects now.' } }),
    );
    renderWithApi(<ImportFlow pollMs={POLL} />, fake);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('MEDIA_NOT_LISTED');
    expect(alert.textContent).toContain('wait a moment for the list of media to refresh');
  });
});

describe('verify a medium', () => {
  it('verifies every bundle on the chosen medium and reports per bundle, with the read-back method and Eject', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow pollMs={POLL} />, fake);
    await user.click(screen.getByRole('radio', { name: 'A whole medium' }));
    expect(screen.getByRole('heading', { name: 'Choose the medium' })).toBeTruthy();
    const go = screen.getByRole<HTMLButtonElement>('button', { name: 'Verify medium' });
    expect(go.disabled).toBe(true);
    await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
    await user.click(go);
    expect(fake.callsTo('startVerifyMedium')).toEqual([{ mediumId: '/dev/sdb1' }]);
    expect(await screen.findByRole('heading', { name: 'Verifying the medium' })).toBeTruthy();
    expect(screen.queryByRole('radio', { name: 'A whole medium' })).toBeNull();

    act(() => fake.emit({ type: 'finished', job: finishedJob('job-3', 'verify-medium', mediumVerified) }));
    expect(await screen.findByRole('heading', { name: 'Medium verified' })).toBeTruthy();
    const row = screen.getByRole('row', { name: 'Bundle airlock-000007-20261128' });
    expect(row.textContent).toContain('Verified');
    expect(row.textContent).toContain('Signature and all 3 files');
    expect(within(row).getByLabelText(/^Signer Station 3/)).toBeTruthy();
    expect(screen.getByText('Read with o-direct: direct reads (O_DIRECT) that bypass the page cache.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Eject TRANSFER' })).toBeTruthy();
  });

  it('a rejected medium lists its problems per file, escaped, and offers no Eject', async () => {
    plugged = [usbStick];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow pollMs={POLL} />, fake);
    await user.click(screen.getByRole('radio', { name: 'A whole medium' }));
    await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
    await user.click(screen.getByRole('button', { name: 'Verify medium' }));
    act(() => fake.emit({ type: 'finished', job: finishedJob('job-3', 'verify-medium', mediumRejected) }));
    expect(await screen.findByRole('heading', { name: 'Medium rejected' })).toBeTruthy();
    expect(screen.getByRole('row', { name: 'Bundle airlock-000007-20261128' }).textContent).toContain('Rejected');
    const problems = screen.getByRole('list', { name: 'Problems found' });
    expect(problems.textContent).toContain('CHECKSUM_MISMATCH');
    expect(problems.textContent).toContain('q3\\u202etxt.pdf');
    expect(screen.getByText(/left over from an interrupted write/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Eject/ })).toBeNull();
  });

  it('a declared folder gets no Eject button, only a sentence', async () => {
    plugged = [declaredFolder];
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow pollMs={POLL} />, fake);
    await user.click(screen.getByRole('radio', { name: 'A whole medium' }));
    await user.click(await screen.findByRole('radio', { name: /outbox/ }));
    await user.click(screen.getByRole('button', { name: 'Verify medium' }));
    act(() => fake.emit({ type: 'finished', job: finishedJob('job-3', 'verify-medium', { ...mediumVerified, dir: '/srv/diode/outbox' }) }));
    expect(await screen.findByText(/is a folder declared as a medium in config.json, not a device Airlock ejects/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Eject/ })).toBeNull();
  });
});
