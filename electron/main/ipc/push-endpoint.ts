/**
 * The renderer's push target (`HOST[:PORT][/PREFIX]`, a plain-HTTP flag, a CA file, credentials)
 * as the registry endpoint core's import takes. The schema has checked its shape; what stays
 * here is the one rule the app can decide before a job starts: plain HTTP is for a registry on
 * this machine only, so credentials and images never cross a network in clear.
 */
import { isLoopbackHost, splitRegistryTarget } from '../../../shared/image-input.js';
import type { PushTargetRequest } from '../../../shared/ipc.js';
import type { PushEndpoint } from '../../../shared/job-protocol.js';
import { AirlockError } from '../../core/index.js';

export function pushEndpointOf(target: PushTargetRequest): PushEndpoint {
  const split = splitRegistryTarget(target.registry);
  if (split === null) throw new AirlockError('USAGE', 'The registry is not HOST[:PORT][/PREFIX].');
  if (target.insecure && !isLoopbackHost(split.hostname)) {
    throw new AirlockError('USAGE', 'Plain HTTP is allowed only for a registry on this machine (localhost, 127.0.0.1, [::1]). Use HTTPS with its CA file.');
  }
  const credentials = target.username !== undefined && target.password !== undefined ? { username: target.username, password: target.password } : undefined;
  return { host: split.host, prefix: split.prefix, insecure: target.insecure, caFile: target.caFile, credentials };
}
