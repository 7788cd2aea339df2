/**
 * Sandboxed preload (built as CommonJS: a sandboxed preload cannot be an ES module). It exposes
 * one frozen, typed object and nothing generic: no ipcRenderer, no invoke(channel, ...).
 */
import { contextBridge } from 'electron';

const api = Object.freeze({
  version: __AIRLOCK_VERSION__,
});

export type AirlockPreloadApi = typeof api;

contextBridge.exposeInMainWorld('airlock', api);
