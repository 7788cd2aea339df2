/**
 * `--push-to HOST[:PORT][/PREFIX]` and how to reach it (`--insecure-registry`, `--registry-ca`,
 * `--registry-user` with the password from `--registry-password-file` or
 * `AIRLOCK_REGISTRY_PASSWORD`): parsed into the core's RegistryEndpoint. A password is never
 * taken on the command line (it would show in `ps` and shell history).
 */
import { AirlockError, parseRegistryEndpoint, type RegistryEndpoint } from '../core/index.js';
import type { CliIo } from './io.js';
import { readPassphraseFile } from './passphrase.js';

export interface RegistryCliOptions {
  pushTo?: string | undefined;
  insecureRegistry?: boolean | undefined;
  registryCa?: string | undefined;
  registryUser?: string | undefined;
  registryPasswordFile?: string | undefined;
}

export const REGISTRY_PASSWORD_ENV = 'AIRLOCK_REGISTRY_PASSWORD';

export async function registryEndpointFrom(options: RegistryCliOptions, io: CliIo): Promise<RegistryEndpoint | undefined> {
  if (options.pushTo === undefined) {
    const stray = (['insecureRegistry', 'registryCa', 'registryUser', 'registryPasswordFile'] as const).find((key) => options[key] !== undefined);
    if (stray !== undefined)
      throw new AirlockError(
        'USAGE',
        'The registry options (--insecure-registry, --registry-ca, --registry-user, --registry-password-file) go with --push-to.',
      );
    return undefined;
  }
  let credentials: { username: string; password: string } | undefined;
  if (options.registryUser !== undefined) {
    const fromEnv = io.env[REGISTRY_PASSWORD_ENV];
    const password =
      options.registryPasswordFile !== undefined
        ? await readPassphraseFile(options.registryPasswordFile, io)
        : fromEnv !== undefined && fromEnv !== ''
          ? fromEnv
          : undefined;
    if (password === undefined)
      throw new AirlockError('USAGE', `--registry-user needs the password in --registry-password-file FILE or in ${REGISTRY_PASSWORD_ENV}.`);
    credentials = { username: options.registryUser, password };
  } else if (options.registryPasswordFile !== undefined) {
    throw new AirlockError('USAGE', '--registry-password-file goes with --registry-user.');
  }
  return parseRegistryEndpoint(options.pushTo, { insecure: options.insecureRegistry === true, caFile: options.registryCa, credentials });
}
