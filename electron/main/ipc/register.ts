/**
 * The one IPC registration (SECURITY-NOTES, Electron): every channel of shared/ipc.ts is
 * handled by the dispatcher, which checks the sender frame and the payload before a handler runs.
 * The only file that touches ipcMain.
 */
import { ipcMain } from 'electron';
import { IPC_CHANNELS, IPC_METHODS } from '../../../shared/ipc.js';
import type { Dispatch } from './dispatch.js';

/** Registers every channel; returns a function that removes them again. */
export function registerIpc(dispatch: Dispatch): () => void {
  for (const method of IPC_METHODS) {
    ipcMain.handle(IPC_CHANNELS[method].channel, (event, ...args: unknown[]) =>
      // The preload sends exactly one request object; more arguments cannot parse as one.
      dispatch(method, event.senderFrame, args.length === 1 ? args[0] : args),
    );
  }
  return () => {
    for (const method of IPC_METHODS) ipcMain.removeHandler(IPC_CHANNELS[method].channel);
  };
}
