// @vitest-environment jsdom
/**
 * useJob: a view that begins to follow a job after the job reported progress, or finished, still
 * shows it (main's events are not replayed; the hook asks for the job once), and a live event
 * seen before that answer is not overwritten by the older snapshot.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../shared/progress.js';
import { useJob } from '../../../renderer/src/hooks/useJob.js';
import { ApiProvider } from '../../../renderer/src/api.js';
import { finishedJob, running } from './fixtures.js';
import { fakeApi, installDomShims, type FakeApi } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const progressOf = (filesDone: number): Progress => ({
  phase: 'verifying-audit-chain',
  bytesDone: 0,
  bytesTotal: null,
  filesDone,
  filesTotal: 10,
  rateBytesPerSecond: null,
  etaSeconds: null,
});

function Follower({ jobId }: { jobId: string }) {
  const view = useJob(jobId);
  return <p data-testid="view">{view.finished ? `finished ${view.finished.state}` : `done ${view.progress?.filesDone ?? 'none'}`}</p>;
}

const follow = (fake: FakeApi, jobId: string) =>
  render(
    <ApiProvider api={fake.api}>
      <Follower jobId={jobId} />
    </ApiProvider>,
  );

describe('useJob', () => {
  it('shows progress the job reported before the view subscribed', async () => {
    const fake = fakeApi({ getJob: ({ jobId }) => ({ ...running(jobId, 'audit-verify'), progress: progressOf(4) }) });
    follow(fake, 'j1');
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('done 4'));
  });

  it('shows a job that finished before the view subscribed', async () => {
    const fake = fakeApi({ getJob: () => finishedJob('j1', 'audit-verify', null) });
    follow(fake, 'j1');
    await waitFor(() => expect(screen.getByTestId('view').textContent).toBe('finished succeeded'));
  });

  it('keeps a live event over the older snapshot that answers after it', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const fake = fakeApi({ getJob: ({ jobId }) => ({ ...running(jobId, 'audit-verify'), progress: progressOf(1) }) });
    const getJob = fake.api.getJob as unknown as (r: unknown) => Promise<unknown>;
    (fake.api as unknown as { getJob: unknown }).getJob = (r: unknown) => new Promise((resolve) => (answer = () => resolve(getJob(r))));
    follow(fake, 'j1');
    act(() => fake.emit({ type: 'progress', jobId: 'j1', progress: progressOf(7) }));
    expect(screen.getByTestId('view').textContent).toBe('done 7');
    await act(async () => answer(undefined));
    expect(screen.getByTestId('view').textContent).toBe('done 7');
  });
});
