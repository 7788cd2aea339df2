/**
 * Sandboxed preload (built as CommonJS: a sandboxed preload cannot be an ES module). It exposes
 * `window.airlock`, built by shared/airlock-api.ts from the IPC contract: one method per
 * channel and a job-event subscription. Never ipcRenderer itself, never a generic invoke, and
 * never Electron's event object (it would hand the page a way back to ipcRenderer).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildAirlockApi } from '../../shared/airlock-api.js';
import { JOB_EVENT_CHANNEL, type JobEvent } from '../../shared/ipc.js';

const api = buildAirlockApi(
  {
    invoke: (channel, request) => ipcRenderer.invoke(channel, request),
    subscribe: (listener) => {
      const relay = (_event: unknown, payload: JobEvent): void => listener(payload);
      ipcRenderer.on(JOB_EVENT_CHANNEL, relay);
      return () => {
        ipcRenderer.removeListener(JOB_EVENT_CHANNEL, relay);
      };
    },
    // Under context isolation a dropped File carries no path; only webUtils can tell it.
    pathForDroppedFile: (file) => {
      try {
        return webUtils.getPathForFile(file as File) || null;
      } catch {
        return null;
      }
    },
  },
  __AIRLOCK_VERSION__,
);

contextBridge.exposeInMainWorld('airlock', api);
