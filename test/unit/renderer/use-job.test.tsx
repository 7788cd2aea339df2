// @vitest-environment jsdom
/**
 * useJob: a view that begins to follow a job after the job reported progress, or finished, still
 * shows it (main's events are not replayed; the hook asks for the job once), and a live event
 * seen before that answer is not overwritten by the older snapshot.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../../shared/ipc.js';
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

/**
 * getJob answers `stale` only when the test says so, whatever was emitted meanwhile: the order in
 * which main's answer and a later event reach the view is the case under test.
 */
function answerGetJobLater(fake: FakeApi, stale: JobSnapshot): () => void {
  let answer = (): void => undefined;
  (fake.api as unknown as { getJob: unknown }).getJob = () =>
    new Promise((resolve) => {
      answer = () => resolve({ ok: true, value: stale });
    });
  return () => answer();
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
    const fake = fakeApi({});
    const answer = answerGetJobLater(fake, { ...running('j1', 'audit-verify'), progress: progressOf(1) });
    follow(fake, 'j1');
    act(() => fake.emit({ type: 'progress', jobId: 'j1', progress: progressOf(7) }));
    expect(screen.getByTestId('view').textContent).toBe('done 7');
    await act(async () => answer());
    expect(screen.getByTestId('view').textContent).toBe('done 7');
  });

  it('keeps a finish heard as an event over a snapshot that answers after it', async () => {
    const fake = fakeApi({});
    const answer = answerGetJobLater(fake, finishedJob('j1', 'audit-verify', null, { code: 'CANCELLED', message: 'stale' }));
    follow(fake, 'j1');
    act(() => fake.emit({ type: 'finished', job: finishedJob('j1', 'audit-verify', null) }));
    expect(screen.getByTestId('view').textContent).toBe('finished succeeded');
    await act(async () => answer());
    expect(screen.getByTestId('view').textContent).toBe('finished succeeded');
  });
});
