/**
 * The registry client the push uses for an endpoint. One seam, so tests of the orchestration
 * can hand in their own RegistryClientApi and the station uses the real one.
 */
import { AirlockError } from '../../errors.js';
import type { RegistryClientApi, RegistryEndpoint } from '../registry/registry-api.js';

export type RegistryClientFactory = (endpoint: RegistryEndpoint) => RegistryClientApi;

export const registryClientFor: RegistryClientFactory = () => {
  throw new AirlockError('INTERNAL', 'The registry client is not built in yet.');
};
