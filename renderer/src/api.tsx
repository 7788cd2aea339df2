/**
 * How the UI reaches main: the `window.airlock` object the preload exposes, passed down through
 * context so component tests can hand in a fake. `call` unwraps `{ ok, value }` and throws an
 * ApiError carrying the `{ code, message }` main sent.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { AirlockApi } from '../../shared/airlock-api.js';
import type { IpcError, IpcMethod, IpcRequest, IpcResponse, IpcResult } from '../../shared/ipc.js';

export class ApiError extends Error {
  constructor(readonly info: IpcError) {
    super(info.message);
    this.name = 'ApiError';
  }
}

const ApiContext = createContext<AirlockApi | null>(null);

export function ApiProvider({ api, children }: { api: AirlockApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): AirlockApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

export async function call<M extends IpcMethod>(api: AirlockApi, method: M, request: IpcRequest<M>): Promise<IpcResponse<M>> {
  // The mapped type loses the link between M and its function; the contract guarantees it.
  const invoke = api[method] as unknown as (request: IpcRequest<M>) => Promise<IpcResult<IpcResponse<M>>>;
  const answer = await invoke(request);
  if (!answer.ok) throw new ApiError(answer.error);
  return answer.value;
}

/** Any thrown value as `{ code, message }`, for ErrorAlert. */
export function asIpcError(error: unknown): IpcError {
  if (error instanceof ApiError) return error.info;
  return { code: 'INTERNAL', message: 'An unexpected internal error occurred.' };
}
