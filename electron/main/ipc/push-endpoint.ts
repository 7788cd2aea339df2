/**
 * The renderer's push target (`HOST[:PORT][/PREFIX]`, a plain-HTTP flag, a CA file, credentials)
 * as the RegistryEndpoint core's import takes, through core's one parser: the CLI's --push-to and
 * the app refuse the same targets, and plain HTTP stays loopback-only before any job starts.
 */
import type { PushTargetRequest } from '../../../shared/ipc.js';
import type { PushEndpoint } from '../../../shared/job-protocol.js';
import { parseRegistryEndpoint } from '../../core/index.js';

export function pushEndpointOf(target: PushTargetRequest): PushEndpoint {
  const credentials = target.username !== undefined && target.password !== undefined ? { username: target.username, password: target.password } : undefined;
  return parseRegistryEndpoint(target.registry, { insecure: target.insecure, caFile: target.caFile, credentials });
}
