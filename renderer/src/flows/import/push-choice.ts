/**
 * "Push images to a registry" as the operator fills it in, checked as it is typed, and the
 * startImport field it becomes. The password is kept only until the import starts.
 */
import { isLoopbackHost, registryTargetProblem, splitRegistryTarget } from '../../../../shared/image-input.js';
import type { PushTargetRequest } from '../../../../shared/ipc.js';

export interface PushChoice {
  enabled: boolean;
  /** `HOST[:PORT][/PREFIX]`. */
  registry: string;
  /** Plain HTTP, for a registry on this machine only. */
  insecure: boolean;
  caFile: string | null;
  username: string;
  password: string;
}

export const NO_PUSH: PushChoice = { enabled: false, registry: '', insecure: false, caFile: null, username: '', password: '' };

export interface PushChoiceProblems {
  registry: string | null;
  insecure: string | null;
  credentials: string | null;
}

/** What stops the push from being sent as filled in (all null when it can be, or when no push is asked). */
export function pushChoiceProblems(choice: PushChoice): PushChoiceProblems {
  const none = { registry: null, insecure: null, credentials: null };
  if (!choice.enabled) return none;
  const registry = registryTargetProblem(choice.registry);
  const split = registry === null ? splitRegistryTarget(choice.registry) : null;
  const insecure =
    choice.insecure && split !== null && !isLoopbackHost(split.hostname)
      ? 'Plain HTTP only for a registry on this machine (localhost, 127.0.0.1, [::1]); use HTTPS and its CA file.'
      : null;
  const credentials = (choice.username === '') !== (choice.password === '') ? 'Give both the user name and the password, or neither.' : null;
  return { registry, insecure, credentials };
}

export function pushChoiceReady(choice: PushChoice): boolean {
  const p = pushChoiceProblems(choice);
  return p.registry === null && p.insecure === null && p.credentials === null;
}

/** The startImport field; undefined when no push is asked. */
export function pushRequest(choice: PushChoice): PushTargetRequest | undefined {
  if (!choice.enabled) return undefined;
  const request: PushTargetRequest = { registry: choice.registry, insecure: choice.insecure };
  if (choice.caFile !== null) request.caFile = choice.caFile;
  if (choice.username !== '' && choice.password !== '') {
    request.username = choice.username;
    request.password = choice.password;
  }
  return request;
}
