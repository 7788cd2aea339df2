// @vitest-environment jsdom
/** Images in the verification report, the import's registry push, its per-image progress and result (#15.6). */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../shared/progress.js';
import { ImportFlow } from '../../../renderer/src/flows/import/ImportFlow.js';
import { VerifyFlow } from '../../../renderer/src/flows/verify/VerifyFlow.js';
import { finishedJob, running, status, verified } from './fixtures.js';
import { importedWithPushes, pushes, withImages } from './image-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const BUNDLE = '/media/usb/airlock-000007-20261128.airlock.tar';
const PASSWORD = 'registry secret 7!';

function answers(extra: Answers = {}): Answers {
  return {
    // A station without a key imports unsigned (import-signing.test.tsx walks the signing).
    stationStatus: { ...status, hasKey: false, stationKey: null },
    chooseBundle: { path: BUNDLE },
    listMedia: { media: [] },
    chooseFolder: { path: '/srv/inbox' },
    chooseFile: { paths: ['/etc/airlock/registry-ca.pem'] },
    startVerify: { jobId: 'verify-1' },
    startImport: { jobId: 'import-1' },
    getJob: ({ jobId }) => running(jobId, jobId.startsWith('verify') ? 'verify' : 'import'),
    cancelJob: { cancelling: true },
    ...extra,
  };
}

type User = ReturnType<typeof userEvent.setup>;
type Fake = ReturnType<typeof fakeApi>;

async function toDestination(fake: Fake, user: User, report = withImages, chooseFolder = true) {
  renderWithApi(<ImportFlow />, fake);
  await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
  await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
  await screen.findByRole('heading', { name: 'Verifying the bundle' });
  act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', report) }));
  await user.click(await screen.findByRole('button', { name: 'Next: destination' }));
  if (chooseFolder) await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
}

/** A bundle whose payload is its image layout only. */
const imagesOnly = {
  ...withImages,
  files: {
    ...withImages.files,
    listed: [
      { path: 'data/oci/index.json', size: 900, outcome: 'ok' as const, code: null },
      { path: `data/oci/blobs/sha256/${'a'.repeat(64)}`, size: 1200, outcome: 'ok' as const, code: null },
    ],
  },
};

const pushing = (item: string, bytesDone: number): Progress => ({
  phase: 'pushing-images',
  bytesDone,
  bytesTotal: 14_000_000,
  filesDone: 1,
  filesTotal: 2,
  rateBytesPerSecond: 2_000_000,
  etaSeconds: 4,
  item,
});

describe('images in the verification report', () => {
  it('lists each image with repository:tag, digest untranslated in monospace, size, platforms and referrers; hostile text shown escaped', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', withImages) }));
    const table = await screen.findByRole('table', { name: 'Images and charts' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.textContent).toContain('team/tool:1.0');
    expect(rows[0]?.textContent).toContain('12.3 MB');
    expect(rows[0]?.textContent).toContain('linux/amd64, linux/arm64/v8');
    const digest = rows[0]?.querySelector(`[data-digest="sha256:${'a'.repeat(64)}"]`);
    expect(digest?.getAttribute('translate')).toBe('no');
    expect(digest?.tagName).toBe('CODE');
    expect(within(rows[1] as HTMLElement).getByLabelText('2 referrers').textContent).toBe('2');
    expect(rows[1]?.textContent).toContain('docker://registry.example:5000/team/app:1.0\\u202egpj');
    expect(table.textContent).not.toContain('\u202E');
  });

  it('has no images section for a bundle of files only', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', verified) }));
    await screen.findByRole('heading', { name: 'Bundle verified' });
    expect(screen.queryByRole('table', { name: 'Images and charts' })).toBeNull();
  });
});

describe('import: push images to a registry', () => {
  it('offers the push only for a bundle that carries images', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user, verified);
    expect(screen.queryByRole('group', { name: 'Push images to a registry' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(fake.callsTo('startImport')).toEqual([{ bundlePath: BUNDLE, destDir: '/srv/inbox', pushTo: undefined }]));
  });

  it('checks the registry, plain HTTP and the credentials as they are typed; Import waits until they are right', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.click(screen.getByRole('checkbox', { name: /Push the 2 images to a registry/ }));
    const importButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Import and push' });
    expect(importButton().disabled).toBe(true);
    const registry = screen.getByRole('textbox', { name: /^Registry/ });
    for (const [text, reason] of [
      ['https://registry.internal', /Leave out the scheme/],
      ['registry.internal:99999', /Give HOST\[:PORT\]\[\/PREFIX\]/],
      ['registry.internal/Mirror', /Give HOST\[:PORT\]\[\/PREFIX\]/],
      ['registry..internal', /Give HOST\[:PORT\]\[\/PREFIX\]/],
    ] as const) {
      await user.clear(registry);
      await user.paste(text);
      expect(screen.getByText(reason), text).toBeTruthy();
      expect(importButton().disabled, text).toBe(true);
    }
    await user.clear(registry);
    await user.paste('registry.internal:5000/mirror');
    expect(importButton().disabled).toBe(false);
    await user.click(screen.getByRole('checkbox', { name: /Plain HTTP/ }));
    expect(screen.getByText(/Plain HTTP only for a registry on this machine/)).toBeTruthy();
    expect(importButton().disabled).toBe(true);
    await user.clear(registry);
    await user.paste('127.0.0.1:5000/mirror');
    expect(importButton().disabled).toBe(false);
    await user.type(screen.getByLabelText('User name (optional)'), 'robot');
    expect(screen.getByText('Give both the user name and the password, or neither.')).toBeTruthy();
    expect(importButton().disabled).toBe(true);
    expect(unnamedControls()).toEqual([]);
  });

  it('sends the push target; the password leaves the page as the job starts and is never shown', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.click(screen.getByRole('checkbox', { name: /Push the 2 images/ }));
    await user.type(screen.getByRole('textbox', { name: /^Registry/ }), 'registry.internal:5000/mirror');
    await user.click(screen.getByRole('button', { name: 'Choose CA file…' }));
    expect(screen.getByLabelText('Chosen CA file').textContent).toBe('/etc/airlock/registry-ca.pem');
    await user.type(screen.getByLabelText('User name (optional)'), 'robot');
    await user.type(screen.getByLabelText(/Password or token/), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Import and push' }));
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(1));
    expect(fake.callsTo('startImport')[0]).toEqual({
      bundlePath: BUNDLE,
      destDir: '/srv/inbox',
      pushTo: { registry: 'registry.internal:5000/mirror', insecure: false, caFile: '/etc/airlock/registry-ca.pem', username: 'robot', password: PASSWORD },
    });
    expect(await screen.findByRole('heading', { name: 'Importing' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Proven so far' }).textContent).toContain('Images then go to the registry registry.internal:5000/mirror.');

    // Per image: which is being pushed now, which are sent, which wait; rate and time left beside it.
    act(() => fake.emit({ type: 'progress', jobId: 'import-1', progress: pushing('mirror/team/tool:1.0', 3_000_000) }));
    const list = screen.getByRole('list', { name: 'Images to push' });
    const states = () =>
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-push-state'));
    expect(states()).toEqual(['now', 'waiting']);
    expect(within(list).getAllByRole('listitem')[0]?.textContent).toContain('pushing now');
    expect(screen.getByText('Pushing images to the registry', { selector: '[data-phase]' })).toBeTruthy();
    expect(document.querySelector('[data-progress-item]')?.textContent).toBe('Now: mirror/team/tool:1.0');
    expect(screen.getByText('2.00 MB/s')).toBeTruthy();
    expect(screen.getByText('about 0:04 left in this step')).toBeTruthy();
    act(() => fake.emit({ type: 'progress', jobId: 'import-1', progress: pushing('mirror/team/app:1.0', 13_000_000) }));
    expect(states()).toEqual(['sent', 'now']);

    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', importedWithPushes) }));
    await screen.findByRole('heading', { name: 'Imported' });
    expect(document.body.innerHTML).not.toContain(PASSWORD);
  });

  it('shows each image’s result as text with an icon, the registry’s code for a failure, and that the others went on', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.click(screen.getByRole('checkbox', { name: /Push the 2 images/ }));
    await user.type(screen.getByRole('textbox', { name: /^Registry/ }), '127.0.0.1:5000/mirror');
    await user.click(screen.getByRole('checkbox', { name: /Plain HTTP/ }));
    await user.click(screen.getByRole('button', { name: 'Import and push' }));
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(1));
    expect(fake.callsTo('startImport')[0]).toMatchObject({ pushTo: { registry: '127.0.0.1:5000/mirror', insecure: true } });
    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', importedWithPushes) }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('One image was not pushed');
    expect(alert.textContent).toContain('1 pushed, 0 already present, 1 failed');
    const table = screen.getByRole('table', { name: 'Registry push results' });
    const [pushed, failed] = within(table).getAllByRole('row').slice(1);
    expect(pushed?.getAttribute('data-outcome')).toBe('pushed');
    expect(pushed?.textContent).toContain('✓Pushed');
    expect(pushed?.textContent).toContain('5 uploaded, 1 mounted, 0 already there');
    expect(failed?.textContent).toContain('✗Failed');
    expect(failed?.textContent).toContain('TAG_INVALID');
    // The registry's message is hostile text: its escape sequence is shown, not obeyed.
    expect(failed?.textContent).toContain('manifest tag 1.0 is immutable\\u001b[2J');
    expect(failed?.textContent).toContain(pushes[1]?.digest);
  });

  it('says so plainly when every image arrived', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const allGood = { ...importedWithPushes, pushes: importedWithPushes.pushes?.map((p) => ({ ...p, outcome: 'already-present' as const })) };
    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', allGood) }));
    expect((await screen.findByText(/0 pushed, 2 already present, 0 failed/)).getAttribute('role')).toBe('status');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByText('Already present')).toHaveLength(2);
  });

  it('needs no folder for a bundle of images only when it pushes; a bundle with files still needs one', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user, imagesOnly, false);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Import' }).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: /Push the 2 images/ }));
    await user.click(screen.getByRole('textbox', { name: /^Registry/ }));
    await user.paste('127.0.0.1:5000');
    await user.click(screen.getByRole('checkbox', { name: /Plain HTTP/ }));
    expect(screen.getByText(/holds images only: no folder is needed/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Import and push' }));
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(1));
    expect(fake.callsTo('startImport')[0]).toEqual({ bundlePath: BUNDLE, destDir: undefined, pushTo: { registry: '127.0.0.1:5000', insecure: true } });
    expect((await screen.findByRole('list', { name: 'Proven so far' })).textContent).toContain('No folder: the bundle holds images only.');
    cleanup();

    // The fixture's payload holds plain files besides the images: the folder stays required.
    const withFiles = fakeApi(answers());
    await toDestination(withFiles, user, withImages, false);
    await user.click(screen.getByRole('checkbox', { name: /Push the 2 images/ }));
    await user.click(screen.getByRole('textbox', { name: /^Registry/ }));
    await user.paste('127.0.0.1:5000');
    await user.click(screen.getByRole('checkbox', { name: /Plain HTTP/ }));
    expect(screen.queryByText(/no folder is needed/)).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Import and push' }).disabled).toBe(true);
  });
});
