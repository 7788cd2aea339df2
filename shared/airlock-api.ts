/**
 * `window.airlock`, built from the IPC contract alone: one method per channel plus a job-event
 * subscription. The preload builds it over ipcRenderer; the end-to-end harness builds the very
 * same object over Playwright bindings, so the page cannot tell the two apart.
 */
import { IPC_CHANNELS, IPC_METHODS, type IpcMethod, type IpcRequest, type IpcResponse, type IpcResult, type JobEvent } from './ipc.js';

/** A File from a drop event, typed structurally: shared/ has no DOM types. */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

export type AirlockApi = {
  readonly [M in IpcMethod]: (request: IpcRequest<M>) => Promise<IpcResult<IpcResponse<M>>>;
} & {
  readonly version: string;
  /** Job progress and completion; returns the unsubscribe function. */
  readonly onJobEvent: (listener: (event: JobEvent) => void) => () => void;
  /**
   * The file-system path of a dropped file. Only the preload can learn it (Electron's
   * webUtils); outside Electron it returns null and drag-and-drop offers the dialog instead.
   */
  readonly pathForDroppedFile: (file: DroppedFile) => string | null;
};

/** How the API reaches main: a request per channel, and one event stream. */
export interface AirlockTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(listener: (event: JobEvent) => void): () => void;
  pathForDroppedFile?(file: DroppedFile): string | null;
}

export function buildAirlockApi(transport: AirlockTransport, version: string): AirlockApi {
  const methods: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const method of IPC_METHODS) {
    const { channel } = IPC_CHANNELS[method];
    methods[method] = (request: unknown) => transport.invoke(channel, request);
  }
  return Object.freeze({
    ...(methods as unknown as { [M in IpcMethod]: AirlockApi[M] }),
    version,
    onJobEvent: (listener: (event: JobEvent) => void) => transport.subscribe(listener),
    pathForDroppedFile: (file: DroppedFile) => transport.pathForDroppedFile?.(file) ?? null,
  });
}
