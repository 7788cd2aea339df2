/**
 * "Push images to a registry" as the operator fills it in, checked as it is typed, and the
 * startImport field it becomes. The password is kept only until the import starts.
 */
import { isLoopbackHost, registryTargetIssue, splitRegistryTarget, type ImageInputIssue } from '../../../../shared/image-input.js';
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

/** What stops the push from being sent as filled in; RegistryPushOptions words each in the app's language. */
export interface PushChoiceProblems {
  registry: ImageInputIssue | null;
  /** Plain HTTP asked for a registry not on this machine. */
  insecure: boolean;
  /** A user name without a password, or a password without a user name. */
  credentials: boolean;
}

/** The loopback hosts plain HTTP is allowed for, as the app names them. */
export const LOOPBACK_HOSTS = 'localhost, 127.0.0.1, [::1]';

/** What stops the push from being sent as filled in (none when it can be, or when no push is asked). */
export function pushChoiceProblems(choice: PushChoice): PushChoiceProblems {
  const none = { registry: null, insecure: false, credentials: false };
  if (!choice.enabled) return none;
  const registry = registryTargetIssue(choice.registry);
  const split = registry === null ? splitRegistryTarget(choice.registry) : null;
  const insecure = choice.insecure && split !== null && !isLoopbackHost(split.hostname);
  const credentials = (choice.username === '') !== (choice.password === '');
  return { registry, insecure, credentials };
}

export function pushChoiceReady(choice: PushChoice): boolean {
  const p = pushChoiceProblems(choice);
  return p.registry === null && !p.insecure && !p.credentials;
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
