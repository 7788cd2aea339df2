/**
 * One job run from a flow: starting it (an IPC refusal becomes `error`), following it (useJob),
 * cancelling it, and telling the parent whether a job is under way.
 */
import { useState } from 'react';
import type { IpcError } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { useJob, type JobView } from './useJob.js';

export interface JobRun {
  jobId: string | null;
  job: JobView;
  /** Why the job could not be started. */
  error: IpcError | null;
  cancelling: boolean;
  /** Start a job; resolves to whether it started. */
  start: (begin: () => Promise<{ jobId: string }>) => Promise<boolean>;
  /** Cancel the running job; undefined when there is none to cancel. */
  cancel: (() => void) | undefined;
  /** Forget the job and any error, back to choosing. */
  reset: () => void;
}

export function useJobRun(onBusy: (busy: boolean) => void = () => undefined): JobRun {
  const api = useApi();
  const [jobId, setJobIdState] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const job = useJob(jobId);
  const setJobId = (id: string | null): void => {
    setJobIdState(id);
    onBusy(id !== null);
  };
  const start = async (begin: () => Promise<{ jobId: string }>): Promise<boolean> => {
    setError(null);
    try {
      const { jobId: id } = await begin();
      setCancelling(false);
      setJobId(id);
      return true;
    } catch (e) {
      setError(asIpcError(e));
      return false;
    }
  };
  const cancel =
    jobId !== null && !job.finished
      ? () => {
          setCancelling(true);
          void call(api, 'cancelJob', { jobId });
        }
      : undefined;
  const reset = (): void => {
    setJobId(null);
    setError(null);
    setCancelling(false);
  };
  return { jobId, job, error, cancelling, start, cancel, reset };
}
