/**
 * The main process minus Electron: the real handlers over a real Station in a temp home and
 * the real job host (worker threads running the TypeScript job worker), behind the real
 * dispatcher. Dialogs are a stub the test loads with temp paths before each click.
 */
import type { JobEvent } from '../../../shared/ipc.js';
import { Station } from '../../../electron/core/index.js';
import { createDispatch, type Dispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';
import type { KeySavePurpose } from '../../../electron/main/ipc/key-handlers.js';

export interface DialogAnswers {
  exportSources: string[];
  folder: string | null;
  bundle: string | null;
  /** What the file dialog answers for images: a list file, charts, a CA, a receipt; the purposes asked are kept in filePurposes. */
  files: string[];
  filePurposes: string[];
  keyFile: string | null;
  /** The save dialog's answer for an audit export; the format asked for is kept in auditExportFormats. */
  auditExportFile: string | null;
  auditExportFormats: Array<'csv' | 'json'>;
  /** The save dialog's answer for a public key or key backup; each request (purpose, default name) is kept in keySaves. */
  keySaveFile: string | null;
  keySaves: Array<{ purpose: KeySavePurpose; defaultName: string }>;
}

export interface RealMain {
  dispatch: Dispatch;
  jobHost: JobHost;
  dialogs: DialogAnswers;
}

export function startRealMain(options: { home: string; trustedOrigin: string; onEvent: (event: JobEvent) => void }): RealMain {
  const answers: DialogAnswers = {
    exportSources: [],
    folder: null,
    bundle: null,
    files: [],
    filePurposes: [],
    keyFile: null,
    auditExportFile: null,
    auditExportFormats: [],
    keySaveFile: null,
    keySaves: [],
  };
  const dialogs: Dialogs = {
    chooseExportSources: async () => answers.exportSources,
    chooseFolder: async () => answers.folder,
    chooseBundle: async () => answers.bundle,
    chooseFile: async (purpose) => {
      answers.filePurposes.push(purpose);
      return answers.files;
    },
    chooseKeyFile: async () => answers.keyFile,
    chooseKeySaveFile: async (purpose, defaultName) => {
      answers.keySaves.push({ purpose, defaultName });
      return answers.keySaveFile;
    },
    chooseAuditExportFile: async (format) => {
      answers.auditExportFormats.push(format);
      return answers.auditExportFile;
    },
  };
  const jobHost = new JobHost({
    workerScript: new URL('../../helpers/job-worker-tsx.mjs', import.meta.url),
    station: { home: options.home },
    onEvent: options.onEvent,
  });
  const handlers = createHandlers({ openStation: () => Station.open({ home: options.home }), jobHost, dialogs, version: '0.1.0-e2e' });
  const dispatch = createDispatch(handlers, { trustedOrigins: [options.trustedOrigin], log: () => undefined });
  return { dispatch, jobHost, dialogs: answers };
}
