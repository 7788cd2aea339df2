/**
 * The registry client the push uses for an endpoint: one seam, so the station opens the real
 * client (registry-client.ts) and closes it when the import ends.
 */
import type { RegistryClientApi, RegistryEndpoint } from '../registry/registry-api.js';
import { createRegistryClient } from '../registry/registry-client.js';

export type ClosableRegistryClient = RegistryClientApi & { close(): Promise<void> | void };

export async function registryClientFor(endpoint: RegistryEndpoint): Promise<ClosableRegistryClient> {
  return createRegistryClient(endpoint);
}
