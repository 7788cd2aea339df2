/**
 * The Keys view's counterparts of the CLI's `keys rotate`, `export-public`, `backup`, `restore`
 * and `revoke-import` (electron/cli/commands/keys.ts): each calls the same Station function the
 * CLI calls, with the same passphrase proof first. Files written go where main's own save dialog
 * says, never to a path the renderer names; files read were chosen with a main-process open dialog.
 */
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import type { IpcParsedRequest, IpcResponse, TrustedSignerView } from '../../../shared/ipc.js';
import { toAirlockError, writeFileDurably, type Station, type TrustedSigner } from '../../core/index.js';

/** What a key save dialog is for. */
export type KeySavePurpose = 'public-key' | 'key-backup';

type KeyStationOps = Pick<Station, 'rotateKey' | 'exportPublicKey' | 'backupKey' | 'restoreKey' | 'importRevocation' | 'checkSigner'>;

export interface KeyHandlerDeps {
  withStation: <T>(action: (station: KeyStationOps) => Promise<T>) => Promise<T>;
  dialogs: { chooseKeySaveFile(purpose: KeySavePurpose, defaultName: string): Promise<string | null> };
  signerView: (signer: TrustedSigner) => TrustedSignerView;
}

type KeyMethod = 'rotateKey' | 'exportPublicKey' | 'backupKey' | 'restoreKey' | 'importRevocation';
export type KeyHandlers = { [M in KeyMethod]: (request: IpcParsedRequest<M>) => Promise<IpcResponse<M>> };

/** `station.asc`, or `signer-<first 16 hex>.asc` for a trusted signer's key. */
export function publicKeyFileName(fingerprint: string | null): string {
  return fingerprint === null ? 'station.asc' : `signer-${fingerprint.slice(0, 16)}.asc`;
}

export function createKeyHandlers({ withStation, dialogs, signerView }: KeyHandlerDeps): KeyHandlers {
  return {
    rotateKey: (request) =>
      withStation(async (station) => {
        // As the CLI: the current passphrase is proved before anything is retired.
        await station.checkSigner({ kind: 'station', passphrase: request.passphrase });
        return station.rotateKey({
          name: request.name,
          passphrase: request.passphrase,
          newPassphrase: request.newPassphrase,
          email: request.email || undefined,
          algorithm: request.algorithm,
        });
      }),

    exportPublicKey: async (request) => {
      const fingerprint = request.fingerprint === undefined ? null : normalizeFingerprint(request.fingerprint);
      // Read before asking where: an unknown fingerprint or a missing station key fails without a dialog.
      // The station is closed while the dialog is open (an operator may leave it open for minutes).
      const armored = await withStation((station) => station.exportPublicKey(fingerprint ?? undefined));
      const path = await dialogs.chooseKeySaveFile('public-key', publicKeyFileName(fingerprint));
      if (path === null) return { path: null, fingerprint };
      // Whole or not at all at the chosen name (temp, fsync, rename); the OS dialog asked before replacing a file.
      await writeFileDurably(path, armored).catch((error: unknown) => {
        throw toAirlockError(error, path);
      });
      return { path, fingerprint };
    },

    backupKey: async (request) => {
      // Proved before the dialog, as the CLI proves it before writing: no dialog for a wrong passphrase.
      await withStation((station) => station.checkSigner({ kind: 'station', passphrase: request.passphrase }));
      const path = await dialogs.chooseKeySaveFile('key-backup', 'station-key-backup.airlock');
      if (path === null) return { path: null };
      // Never overwrites (core writes with O_EXCL), whatever the dialog allowed.
      await withStation((station) => station.backupKey(request.passphrase, path));
      return { path };
    },

    restoreKey: (request) => withStation((station) => station.restoreKey(request.file, request.passphrase)),

    importRevocation: (request) => withStation(async (station) => signerView(await station.importRevocation(request.file))),
  };
}
