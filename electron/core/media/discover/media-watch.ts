/**
 * Insert/remove events for the desktop app: the media list polled every few seconds and
 * compared by id. Polling costs one lsblk run per interval and works the same on every OS
 * and for declared folders; udev/DiskArbitration/WMI events would each need native code.
 */
import type { MediaEvent, MediaVolume } from '../../../../shared/media.js';

export interface MediaWatchOptions {
  /** Produces the current list (listMedia with the station's roots). */
  list: () => Promise<MediaVolume[]>;
  onEvent: (event: MediaEvent) => void;
  /** Called when listing fails; the watch keeps going. */
  onError?: (error: unknown) => void;
  intervalMs?: number;
}

export interface MediaWatch {
  /** The list as of the last poll. */
  current(): MediaVolume[];
  /** Poll now (also what the timer calls); resolves after events for this poll were delivered. */
  poll(): Promise<void>;
  stop(): void;
}

function fingerprint(v: MediaVolume): string {
  return JSON.stringify([v.mountPoint, v.label, v.filesystem, v.readOnly, v.size]);
}

/** Starts watching; the first poll reports every present medium as inserted. */
export function watchMedia(options: MediaWatchOptions): MediaWatch {
  let known = new Map<string, MediaVolume>();
  let stopped = false;
  let running: Promise<void> | null = null;
  const poll = async (): Promise<void> => {
    if (stopped) return;
    running ??= (async () => {
      try {
        const now = await options.list();
        const next = new Map(now.map((v) => [v.id, v]));
        for (const [id, volume] of next) {
          const before = known.get(id);
          if (!before) options.onEvent({ type: 'inserted', volume });
          else if (fingerprint(before) !== fingerprint(volume)) options.onEvent({ type: 'changed', volume });
        }
        for (const [id, volume] of known) if (!next.has(id)) options.onEvent({ type: 'removed', volume });
        known = next;
      } catch (error) {
        options.onError?.(error);
      } finally {
        running = null;
      }
    })();
    await running;
  };
  const timer = setInterval(() => void poll(), options.intervalMs ?? 2000);
  timer.unref();
  void poll();
  return {
    current: () => [...known.values()],
    poll,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
