/**
 * Follows one job by id: live progress from the job-event stream, and the final snapshot. It
 * also asks for the job once on mount, so a job that finished, or reported progress, before the
 * subscription began is not missed.
 */
import { useEffect, useState } from 'react';
import type { JobSnapshot } from '../../../shared/ipc.js';
import type { Progress } from '../../../shared/progress.js';
import { call, useApi } from '../api.js';

export interface JobView {
  progress: Progress | null;
  finished: JobSnapshot | null;
}

export function useJob(jobId: string | null): JobView {
  const api = useApi();
  const [view, setView] = useState<JobView>({ progress: null, finished: null });

  useEffect(() => {
    setView({ progress: null, finished: null });
    if (jobId === null) return undefined;
    let active = true;
    const unsubscribe = api.onJobEvent((event) => {
      if (!active) return;
      if (event.type === 'progress' && event.jobId === jobId) setView((v) => (v.finished ? v : { ...v, progress: event.progress }));
      if (event.type === 'finished' && event.job.id === jobId) setView({ progress: event.job.progress, finished: event.job });
    });
    call(api, 'getJob', { jobId })
      .then((job) => {
        if (!active) return;
        // The job's end heard as an event before this answer came stands: the answer is no newer.
        if (job.state !== 'running') setView((v) => (v.finished ? v : { progress: job.progress, finished: job }));
        // Progress sent before this view subscribed is not replayed: take the job's own.
        else if (job.progress !== null) setView((v) => (v.progress || v.finished ? v : { ...v, progress: job.progress }));
      })
      .catch(() => undefined);
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api, jobId]);

  return view;
}
