/**
 * The media offered now, kept current by asking main every couple of seconds while the
 * component using it is on screen (docs/design-notes.md, "Media in the app": polling rather
 * than a second event channel). One request at a time: a slow listing is never overlapped.
 */
import { useEffect, useState } from 'react';
import type { IpcError, MediaVolumeView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';

export const MEDIA_POLL_MS = 2000;

export interface MediaView {
  /** Null until the first answer. */
  media: MediaVolumeView[] | null;
  /** The last listing failed (the list shown is the one before). */
  error: IpcError | null;
}

/** `sources`: an export's selection; media on the disks holding it are not offered. */
export function useMedia(intervalMs = MEDIA_POLL_MS, sources?: readonly string[]): MediaView {
  const api = useApi();
  // A stable key, so a new array with the same paths does not restart the polling.
  const sourcesKey = sources === undefined ? null : JSON.stringify(sources);
  const [view, setView] = useState<MediaView>({ media: null, error: null });

  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const { media } = await call(api, 'listMedia', sourcesKey === null ? {} : { sources: JSON.parse(sourcesKey) as string[] });
        if (active) setView({ media, error: null });
      } catch (e) {
        if (active) setView((v) => ({ media: v.media, error: asIpcError(e) }));
      }
      if (active) timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [api, intervalMs, sourcesKey]);

  return view;
}
