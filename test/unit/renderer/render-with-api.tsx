/**
 * Component-test harness: jsdom gaps Mantine needs (matchMedia, ResizeObserver), and a render
 * that wraps a component in MantineProvider + ApiProvider with a fake `window.airlock` whose
 * methods answer from a table and whose job events the test emits.
 */
import { MantineProvider } from '@mantine/core';
import { configure, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { AirlockApi } from '../../../shared/airlock-api.js';
import { IPC_METHODS, type IpcError, type IpcMethod, type IpcRequest, type IpcResponse, type JobEvent } from '../../../shared/ipc.js';
import { ApiProvider } from '../../../renderer/src/api.js';
import { I18nRoot } from '../../../renderer/src/i18n/I18nRoot.js';
import type { AppLocale } from '../../../renderer/src/i18n/locales.js';
import { theme } from '../../../renderer/src/theme.js';

// findBy*/waitFor poll for a condition; their default 1 s bound is a timing assertion a loaded CI
// machine breaks (a findByRole failed at 1.8 s there). A generous bound changes when, not what.
configure({ asyncUtilTimeout: 15_000 });

export function installDomShims(): void {
  if (!window.matchMedia) {
    Object.defineProperty(window, 'matchMedia', {
      writable: true,
      value: (query: string) => ({
        matches: false,
        media: query,
        onchange: null,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        addListener: () => undefined,
        removeListener: () => undefined,
        dispatchEvent: () => false,
      }),
    });
  }
  if (!('ResizeObserver' in window)) {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
  Element.prototype.scrollIntoView ??= () => undefined;
}

type Answer<M extends IpcMethod> = IpcResponse<M> | IpcError | ((request: IpcRequest<M>) => IpcResponse<M> | IpcError);
export type Answers = { [M in IpcMethod]?: Answer<M> };

export interface FakeApi {
  api: AirlockApi;
  calls: Array<{ method: IpcMethod; request: unknown }>;
  emit: (event: JobEvent) => void;
  callsTo: (method: IpcMethod) => unknown[];
}

function isError(value: unknown): value is IpcError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && Object.keys(value).length <= 3;
}

export function fakeApi(answers: Answers, dropped: Record<string, string> = {}): FakeApi {
  const listeners = new Set<(event: JobEvent) => void>();
  const calls: FakeApi['calls'] = [];
  // What the test emitted, per job, as main's job registry would hold it: a view that starts
  // following a job after an event was emitted asks getJob, and must hear what main would say.
  const emitted = new Map<string, JobEvent>();
  const asMainWouldSay = (method: IpcMethod, request: unknown, value: unknown): unknown => {
    if (method !== 'getJob' || isError(value)) return value;
    const last = emitted.get((request as { jobId: string }).jobId);
    if (last?.type === 'finished') return last.job;
    if (last?.type === 'progress') return { ...(value as object), progress: last.progress };
    return value;
  };
  const methods = Object.fromEntries(
    IPC_METHODS.map((method) => [
      method,
      vi.fn(async (request: unknown) => {
        calls.push({ method, request });
        const answer = answers[method] as unknown;
        if (answer === undefined) return { ok: false, error: { code: 'INTERNAL', message: `no fake answer for ${method}` } };
        const answered = typeof answer === 'function' ? (answer as (r: unknown) => unknown)(request) : answer;
        const value = asMainWouldSay(method, request, answered);
        return isError(value) ? { ok: false, error: value } : { ok: true, value };
      }),
    ]),
  );
  const api = {
    ...methods,
    version: '0.0.0-test',
    onJobEvent: (listener: (event: JobEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForDroppedFile: (file: { name: string }) => dropped[file.name] ?? null,
  } as unknown as AirlockApi;
  return {
    api,
    calls,
    emit: (event) => {
      emitted.set(event.type === 'progress' ? event.jobId : event.job.id, event);
      listeners.forEach((l) => l(event));
    },
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.request),
  };
}

/** The component in the app's providers; English unless the test asks for another locale. */
export function renderWithApi(ui: ReactElement, fake: FakeApi, locale: AppLocale = 'en'): RenderResult {
  return render(
    <MantineProvider theme={theme} defaultColorScheme="light">
      <ApiProvider api={fake.api}>
        <I18nRoot initial={locale}>{ui}</I18nRoot>
      </ApiProvider>
    </MantineProvider>,
  );
}

/** Buttons, inputs, selects and links under `root` that have no accessible name (label, aria-label or text). */
export function unnamedControls(root: ParentNode = document): string[] {
  return [...root.querySelectorAll('button, input, select, textarea, a[href]')]
    .filter((control) => {
      const id = control.getAttribute('id');
      const labelledBy = control.getAttribute('aria-labelledby');
      const name =
        control.getAttribute('aria-label') ??
        (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
        (id ? document.querySelector(`label[for="${id}"]`)?.textContent : null) ??
        control.closest('label')?.textContent ??
        // Only buttons and links are named by their text; a select's text is its options.
        (control.matches('button, a') ? control.textContent : null);
      return !name?.trim();
    })
    .map((control) => control.outerHTML.slice(0, 120));
}
