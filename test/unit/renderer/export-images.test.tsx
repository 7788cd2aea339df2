// @vitest-environment jsdom
/** The export flow's images part (#15.6): references, list file, charts, platforms, receipt, and what startExport is sent. */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExportFlow } from '../../../renderer/src/flows/export/ExportFlow.js';
import { ExportResultStep } from '../../../renderer/src/flows/export/ExportResultStep.js';
import { exportResult, running, status, summary, usbStick } from './fixtures.js';
import { appImage, toolImage } from './image-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const FILES: Record<string, string[]> = {
  'image-list': ['/srv/release/images.txt'],
  chart: ['/srv/charts/app-1.0.tgz', '/srv/charts/db-2.1.tgz'],
  'blobs-receipt': ['/srv/receipts/import-41.json'],
};

function answers(extra: Answers = {}): Answers {
  return {
    chooseExportSources: { paths: ['/data/notes.txt'] },
    chooseFile: ({ purpose }) => ({ paths: FILES[purpose] ?? [] }),
    summarizeSelection: summary,
    chooseFolder: { path: '/srv/outbox' },
    listMedia: { media: [usbStick] },
    stationStatus: status,
    startExport: { jobId: 'job-1' },
    getJob: running('job-1', 'export'),
    ...extra,
  };
}

type User = ReturnType<typeof userEvent.setup>;

async function addReference(user: User, reference: string) {
  const field = screen.getByLabelText(/^Image reference/);
  await user.clear(field);
  await user.type(field, reference);
  await user.click(screen.getByRole('button', { name: 'Add image' }));
}

describe('export flow: images beside files', () => {
  it('checks each reference’s transport and shape as it is added, and keeps the list editable', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    expect(screen.getByRole('group', { name: 'Container images and Helm charts' })).toBeTruthy();

    // Variants of a bad reference, each refused with a reason and nothing added.
    const bad: Array<[string, RegExp]> = [
      ['registry.example/app:1.0', /Start with one of oci: oci-archive: docker-archive: docker:\/\//],
      ['http://registry.example/app:1.0', /Start with one of/],
      ['oci:', /Say what to read after "oci:"/],
      ['docker://registry.example/app', /Name the registry, repository and tag or digest/],
      ['docker://app:1.0', /Name the registry, repository and tag or digest/],
      ['oci:/srv/lay\u202Eout:1.0', /control or invisible characters/],
      [' oci:/srv/layout', /Remove the spaces/],
    ];
    for (const [reference, reason] of bad) {
      await addReference(user, reference);
      expect(screen.getByText(reason), reference).toBeTruthy();
      expect(screen.queryByRole('list', { name: 'Images to send' }), reference).toBeNull();
    }
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: review' }).disabled).toBe(true);

    await addReference(user, 'oci:/srv/images/layout:tool-1.0');
    await addReference(user, 'docker://127.0.0.1:5000/team/app@sha256:' + 'd'.repeat(64));
    const list = screen.getByRole('list', { name: 'Images to send' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    await addReference(user, 'oci:/srv/images/layout:tool-1.0');
    expect(screen.getByText('This image is already in the list.')).toBeTruthy();
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    // An export of images alone is allowed.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: review' }).disabled).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Remove image oci:/srv/images/layout:tool-1.0' }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(unnamedControls()).toEqual([]);
  });

  it('adds by keyboard alone: type the reference, Enter adds it', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await user.click(screen.getByLabelText(/^Image reference/));
    await user.keyboard('oci:/srv/images/layout:app-1.0{Enter}');
    expect(screen.getByRole('list', { name: 'Images to send' }).textContent).toContain('oci:/srv/images/layout:app-1.0');
  });

  it('sends references, list file, charts, chosen platforms and the receipt, and lists them on review', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await user.click(screen.getByRole('button', { name: 'Add files…' }));
    await addReference(user, 'oci:/srv/images/layout:tool-1.0');
    await user.click(screen.getByRole('button', { name: 'Load list file…' }));
    await user.click(screen.getByRole('button', { name: 'Add Helm charts…' }));
    await user.click(screen.getByRole('button', { name: 'Choose import receipt…' }));
    expect(fake.callsTo('chooseFile')).toEqual([{ purpose: 'image-list' }, { purpose: 'chart' }, { purpose: 'blobs-receipt' }]);
    expect(screen.getByRole('list', { name: 'Helm charts to send' }).textContent).toContain('db-2.1.tgz');

    // Only some platforms: none chosen blocks the next step until one is.
    await user.click(screen.getByRole('radio', { name: 'Only the platforms chosen below' }));
    expect(screen.getByText('Choose at least one platform, or take all of them.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: review' }).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'linux/arm64/v8' }));
    await user.type(screen.getByLabelText('Other platform'), 'Linux/AMD64{Enter}');
    expect(screen.getByText(/Give os\/architecture\[\/variant\] in lower case/)).toBeTruthy();
    await user.clear(screen.getByLabelText('Other platform'));
    await user.type(screen.getByLabelText('Other platform'), 'linux/riscv64');
    await user.click(screen.getByRole('button', { name: 'Add platform' }));
    expect(screen.getByRole('list', { name: 'Other platforms' }).textContent).toContain('linux/riscv64');

    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    const table = await screen.findByRole('table', { name: 'Images and charts to send' });
    expect(table.textContent).toContain('oci:/srv/images/layout:tool-1.0');
    expect(table.textContent).toContain('/srv/release/images.txt');
    expect(table.textContent).toContain('/srv/charts/app-1.0.tgz');
    expect(screen.getByText(/Platforms:/).textContent).toContain('linux/arm64/v8, linux/riscv64');
    expect(screen.getByText(/are left out/).textContent).toContain('/srv/receipts/import-41.json');

    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    // Images may go to a medium too: the sizes shown count the files, and the station checks the room with the exact size.
    expect(await screen.findByText('Images are sized when they are read')).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('radio', { name: /TRANSFER/ }).disabled).toBe(false);
    await user.click(screen.getByRole('radio', { name: /A folder/ }));
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.click(screen.getByRole('button', { name: 'Next: sign' }));
    expect((await screen.findByRole('list', { name: 'Proven so far' })).textContent).toContain(
      'Also sent: 1 image, the images of a list file, 2 Helm charts (platforms linux/arm64/v8, linux/riscv64).',
    );
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await waitFor(() => expect(fake.callsTo('startExport')).toHaveLength(1));
    expect(fake.callsTo('startExport')[0]).toEqual({
      selection: ['/data/notes.txt'],
      destination: { kind: 'folder', path: '/srv/outbox' },
      passphrase: 'pw',
      images: ['oci:/srv/images/layout:tool-1.0'],
      imagesFrom: '/srv/release/images.txt',
      platforms: ['linux/arm64/v8', 'linux/riscv64'],
      charts: ['/srv/charts/app-1.0.tgz', '/srv/charts/db-2.1.tgz'],
      skipBlobsIn: '/srv/receipts/import-41.json',
    });
  });

  it('exports images without files: no selection to summarize, and the request carries no image fields it was not given', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await addReference(user, 'oci-archive:/srv/app.tar:1.0');
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    await screen.findByRole('table', { name: 'Images and charts to send' });
    expect(fake.callsTo('summarizeSelection')).toEqual([]);
    expect(screen.queryByRole('table', { name: 'Selection' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    await user.click(await screen.findByRole('radio', { name: /A folder/ }));
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.click(screen.getByRole('button', { name: 'Next: sign' }));
    await user.type(await screen.findByLabelText(/Station key passphrase/), 'pw{Enter}');
    await waitFor(() => expect(fake.callsTo('startExport')).toHaveLength(1));
    expect(fake.callsTo('startExport')[0]).toEqual({
      selection: [],
      destination: { kind: 'folder', path: '/srv/outbox' },
      passphrase: 'pw',
      images: ['oci-archive:/srv/app.tar:1.0'],
    });
  });

  it('images go straight to a medium: the request names the medium and carries the images', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await addReference(user, 'oci:/srv/images/layout:tool-1.0');
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    await screen.findByRole('table', { name: 'Images and charts to send' });
    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    await user.click(await screen.findByRole('radio', { name: /TRANSFER/ }));
    await user.click(screen.getByRole('button', { name: 'Next: sign' }));
    await user.type(await screen.findByLabelText(/Station key passphrase/), 'pw{Enter}');
    await waitFor(() => expect(fake.callsTo('startExport')).toHaveLength(1));
    expect(fake.callsTo('startExport')[0]).toEqual({
      selection: [],
      destination: { kind: 'medium', mediumId: usbStick.id },
      passphrase: 'pw',
      images: ['oci:/srv/images/layout:tool-1.0'],
    });
  });

  it('a files-only export sends what it always did, and may still go to a medium', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await user.click(screen.getByRole('button', { name: 'Add files…' }));
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    await screen.findByRole('table', { name: 'Selection' });
    expect(screen.queryByRole('table', { name: 'Images and charts to send' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    expect(screen.queryByText('Images are sized when they are read')).toBeNull();
    expect((await screen.findByRole<HTMLInputElement>('radio', { name: /TRANSFER/ })).disabled).toBe(false);
  });

  it('moves the focus to each new step’s heading', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await addReference(user, 'oci:/srv/images/layout');
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    const heading = await screen.findByRole('heading', { name: 'Review the selection' });
    expect(document.activeElement).toBe(heading);
  });

  it('the result lists the images stored, the blobs left out by the receipt, and images the charts name', () => {
    const fake = fakeApi(answers());
    const images = {
      images: [toolImage, appImage],
      chartImages: [{ chart: 'app-chart 1.0', images: ['docker.io/library/redis:7\u001b[2J'] }],
      storedBlobs: 9,
      skippedBlobs: 2,
      skippedBytes: 50_000_000,
    };
    renderWithApi(<ExportResultStep result={{ ...exportResult, images }} onDone={() => undefined} />, fake);
    expect(screen.getByText(/9 blobs stored in the bundle/).textContent).toContain('2 blobs (50.0 MB) left out');
    expect(within(screen.getByRole('table', { name: 'Images and charts' })).getAllByRole('row')).toHaveLength(3);
    const named = screen.getByRole('list', { name: 'Images the charts name' });
    expect(named.textContent).toContain('docker.io/library/redis:7\\u001b[2J');
  });
});
