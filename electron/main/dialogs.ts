/**
 * Native file dialogs for the IPC handlers (the Dialogs interface). Always modal to the app
 * window, so a dialog cannot be left behind another window on a busy station.
 */
import { BrowserWindow, dialog, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { BUNDLE_SUFFIX } from '../core/index.js';
import type { FilePurpose } from '../../shared/ipc.js';
import type { Dialogs } from './ipc/handlers.js';

async function pick(window: () => BrowserWindow | null, options: OpenDialogOptions): Promise<string[]> {
  const parent = window();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

async function save(window: () => BrowserWindow | null, options: SaveDialogOptions): Promise<string | null> {
  const parent = window();
  const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

const FILE_DIALOGS: Record<FilePurpose, OpenDialogOptions> = {
  'key-backup': {
    title: 'Choose the station key backup',
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      { name: 'Key backups', extensions: ['airlock', 'asc'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  revocation: {
    title: 'Choose a revocation certificate',
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      // A key backup holds the revocation certificate too (operator guide, section 6).
      { name: 'Revocation certificates', extensions: ['asc', 'rev', 'airlock'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  'image-list': {
    title: 'Choose a list of image references (one per line)',
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      { name: 'Text files', extensions: ['txt', 'list'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  chart: {
    title: 'Choose Helm chart archives',
    properties: ['openFile', 'multiSelections', 'dontAddToRecent'],
    filters: [
      { name: 'Helm charts', extensions: ['tgz'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  'registry-ca': {
    title: "Choose the registry's CA certificate (PEM)",
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  'signing-key': {
    title: 'Choose your own private key file (armored OpenPGP)',
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      { name: 'OpenPGP keys', extensions: ['asc', 'key', 'gpg'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
  'blobs-receipt': {
    title: "Choose the far side's import receipt",
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      { name: 'Import receipts', extensions: ['json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  },
};

/** `airlock-audit-20261128.csv`: a default name that sorts by day. */
export function defaultAuditExportName(format: 'csv' | 'json', now: Date = new Date()): string {
  return `airlock-audit-${now.toISOString().slice(0, 10).replace(/-/g, '')}.${format}`;
}

export function electronDialogs(window: () => BrowserWindow | null): Dialogs {
  return {
    chooseExportSources: (kind) =>
      pick(window, {
        title: kind === 'files' ? 'Choose files to export' : 'Choose folders to export',
        properties: [kind === 'files' ? 'openFile' : 'openDirectory', 'multiSelections', 'dontAddToRecent'],
      }),
    chooseFolder: async (purpose) =>
      (
        await pick(window, {
          title:
            purpose === 'export-destination'
              ? 'Where to write the bundle'
              : purpose === 'staging-folder'
                ? 'Open a staging folder (export --prepare --staging DIR)'
                : 'Where to import the files',
          // A staging folder is opened, never made here.
          properties: purpose === 'staging-folder' ? ['openDirectory', 'dontAddToRecent'] : ['openDirectory', 'createDirectory', 'dontAddToRecent'],
        })
      )[0] ?? null,
    chooseBundle: async () =>
      (
        await pick(window, {
          title: 'Choose an Airlock bundle',
          properties: ['openFile', 'dontAddToRecent'],
          filters: [
            { name: 'Airlock bundles', extensions: [BUNDLE_SUFFIX.replace(/^\./u, '').split('.').pop() ?? 'tar'] },
            { name: 'All files', extensions: ['*'] },
          ],
        })
      )[0] ?? null,
    chooseFile: (purpose) => pick(window, FILE_DIALOGS[purpose]),
    chooseKeyFile: async () =>
      (
        await pick(window, {
          title: 'Choose a public key file',
          properties: ['openFile', 'dontAddToRecent'],
          filters: [
            { name: 'OpenPGP public keys', extensions: ['asc', 'pub', 'gpg', 'key'] },
            { name: 'All files', extensions: ['*'] },
          ],
        })
      )[0] ?? null,
    chooseKeySaveFile: (purpose, defaultName) =>
      save(
        window,
        purpose === 'public-key'
          ? {
              title: 'Save the public key',
              defaultPath: defaultName,
              // Replacing an older copy of a public key is harmless once the operator has said so.
              properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
              filters: [
                { name: 'OpenPGP public keys', extensions: ['asc'] },
                { name: 'All files', extensions: ['*'] },
              ],
            }
          : {
              // No overwrite confirmation: a backup never replaces a file (core refuses an existing one).
              title: 'Save the station key backup (keep it offline)',
              defaultPath: defaultName,
              properties: ['createDirectory', 'dontAddToRecent'],
              filters: [
                { name: 'Key backups', extensions: ['airlock'] },
                { name: 'All files', extensions: ['*'] },
              ],
            },
      ),
    chooseAuditExportFile: (format) =>
      save(window, {
        title: format === 'csv' ? 'Save the audit log as CSV' : 'Save the audit log as JSON',
        defaultPath: defaultAuditExportName(format),
        // The OS asks before replacing an existing file (Linux needs the property; macOS and Windows always ask).
        properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
        filters: [
          format === 'csv' ? { name: 'CSV (spreadsheets)', extensions: ['csv'] } : { name: 'JSON', extensions: ['json'] },
          { name: 'All files', extensions: ['*'] },
        ],
      }),
  };
}
