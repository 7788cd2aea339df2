import { openpgp } from './openpgp-lazy.js';
import { AirlockError, toAirlockError } from '../errors.js';
import type { HomePaths } from '../home/station-home.js';
import { unlockStationSigningKey } from '../keys/station-key.js';
import { openpgpSigner, type BundleSigner } from './bundle-signer.js';
import { gnupgSigner } from './gnupg-signer.js';
import { OPENPGP_CONFIG } from './openpgp-config.js';
import type { SignerSpec } from './signer-option.js';
import { unlockSigningKey } from './unlock-signing-key.js';
import { readRegularFile } from '../fs/open-regular.js';

export { parseGpgSignerOption, type SignerSpec } from './signer-option.js';

export async function resolveSigner(paths: HomePaths, spec: SignerSpec): Promise<BundleSigner> {
  switch (spec.kind) {
    case 'station':
      return openpgpSigner(await unlockStationSigningKey(paths, spec.passphrase));
    case 'gpg':
      return gnupgSigner(spec.fingerprint, {
        homedir: spec.homedir || undefined,
        passphrase: spec.passphrase,
      });
    case 'key-file': {
      let armored: string;
      try {
        armored = await readRegularFile(spec.file, 'utf8');
      } catch (error) {
        throw toAirlockError(error, spec.file);
      }
      let key;
      try {
        key = await (await openpgp()).readPrivateKey({ armoredKey: armored, config: OPENPGP_CONFIG });
      } catch (error) {
        throw new AirlockError('KEY_INVALID', `${spec.file} is not an armored private key: ${(error as Error).message}`);
      }
      return openpgpSigner(key.isDecrypted() ? key : await unlockSigningKey(key, spec.passphrase, spec.file));
    }
  }
}
