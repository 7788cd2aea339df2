/**
 * The one gate every IPC request passes (SECURITY-NOTES, Electron): the sender must be the main
 * frame of our own origin, the payload must parse with the channel's schema, and whatever
 * happens the answer is data, `{ ok: true, value }` or `{ ok: false, error: { code, message } }`.
 * Errors keep their AirlockError code; anything else becomes INTERNAL with the code's message
 * only (the details go to the log, never a stack to the page). No Electron import: register.ts
 * plugs this into ipcMain, and the end-to-end harness plugs it into Playwright bindings.
 */
import { errorMessage } from '../../../shared/errors.js';
import { IPC_CHANNELS, type IpcMethod, type IpcResult } from '../../../shared/ipc.js';
import { AirlockError } from '../../core/index.js';
import type { IpcHandlers } from './handlers.js';

/** What we need of Electron's WebFrameMain (event.senderFrame). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export interface DispatchOptions {
  /** Origins allowed to call, as `scheme://host[:port]`: app://airlock, plus the dev server in development. */
  trustedOrigins: readonly string[];
  log?: (message: string, detail?: unknown) => void;
}

export type Dispatch = (method: IpcMethod, senderFrame: SenderFrame | null | undefined, payload: unknown) => Promise<IpcResult<unknown>>;

/**
 * `scheme://host[:port]` of a URL. Not URL.origin: for non-special schemes such as app:// the
 * WHATWG origin is the opaque "null", which would make every app:// page look alike.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.host === '') return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function isTrustedSender(frame: SenderFrame | null | undefined, trustedOrigins: readonly string[]): boolean {
  // A frame that navigated away or was destroyed has no senderFrame: refuse.
  if (!frame) return false;
  // Only the top-level document; a subframe (an injected iframe, say) never speaks for the app.
  if (frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== null && trustedOrigins.includes(origin);
}

function failure(code: AirlockError['code'], message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

export function createDispatch(handlers: IpcHandlers, options: DispatchOptions): Dispatch {
  const log = options.log ?? ((message, detail) => console.error(message, detail));
  return async (method, senderFrame, payload) => {
    const contract = IPC_CHANNELS[method];
    if (!isTrustedSender(senderFrame, options.trustedOrigins)) {
      log(`IPC ${contract.channel} refused: sender ${senderFrame?.url ?? '(no frame)'} is not the app's main frame.`);
      return failure('SENDER_REFUSED', errorMessage('SENDER_REFUSED'));
    }
    const parsed = contract.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(request)').join(', ');
      return failure('USAGE', `The request to ${contract.channel} was malformed (${fields}).`);
    }
    try {
      const handler = handlers[method] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof AirlockError && error.code !== 'INTERNAL') return { ok: false, error: error.toInfo() };
      log(`IPC ${contract.channel} failed unexpectedly:`, error);
      return failure('INTERNAL', errorMessage('INTERNAL'));
    }
  };
}
