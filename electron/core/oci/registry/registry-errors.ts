/**
 * Registry answers and network failures as AirlockErrors with a REGISTRY_* code. The registry's
 * own error code (MANIFEST_INVALID, DENIED, TAG_INVALID ...) travels in `data.registryCode`; its
 * message, text from a machine Airlock does not control, is cut short and stripped of control
 * characters before it reaches a terminal or the audit log.
 */
import { displayText } from '../../../../shared/display-text.js';
import { AirlockError, isAbortError } from '../../errors.js';
import type { ErrorCode } from '../../../../shared/errors.js';

export interface RegistryErrorEntry {
  code: string;
  message: string;
}

const MAX_TEXT = 300;

/** Printable, one line, bounded: registry text shown to the operator. */
export function cleanRegistryText(text: string): string {
  // Line breaks in a server's prose read as spaces; every other unsafe character is shown as an escape (the shared rule).
  const clean = displayText(text.replace(/[\r\n\t]+/gu, ' ')).trim();
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/** The `errors` array of a distribution-spec error body; [] when the body is something else. */
export function parseRegistryErrors(body: string): RegistryErrorEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || !('errors' in parsed) || !Array.isArray(parsed.errors)) return [];
  const entries: RegistryErrorEntry[] = [];
  for (const entry of parsed.errors as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const code = 'code' in entry && typeof entry.code === 'string' ? entry.code : '';
    const message = 'message' in entry && typeof entry.message === 'string' ? entry.message : '';
    if (/^[A-Z0-9_]{1,64}$/u.test(code)) entries.push({ code, message: cleanRegistryText(message) });
  }
  return entries;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'REGISTRY_AUTH_FAILED';
  if (status === 429 || status >= 500) return 'REGISTRY_UNREACHABLE';
  return 'REGISTRY_REFUSED';
}

/** An error for a registry answer `status` with `body`, while doing `what` (e.g. "PUT manifest app:1.0"). */
export function registryResponseError(status: number, body: string, what: string, code: ErrorCode = codeForStatus(status)): AirlockError {
  const entries = parseRegistryErrors(body);
  const first = entries[0];
  const said = first ? ` ${first.code}${first.message ? `: ${first.message}` : ''}` : '';
  return new AirlockError(code, `${cleanRegistryText(what)}: HTTP ${status}${said}.`, {
    data: { status, registryCode: first?.code ?? null },
  });
}

/** TLS failures that a retry cannot fix: the certificate is not trusted for this host. */
const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && typeof current.code === 'string' && current.code !== 'UND_ERR') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

export function isTlsTrustFailure(error: unknown): boolean {
  const code = causeCode(error);
  return code !== undefined && TLS_TRUST_CODES.has(code);
}

/** A thrown fetch failure (refused, reset, TLS, abort) as an AirlockError. */
export function registryNetworkError(error: unknown, what: string): AirlockError {
  if (error instanceof AirlockError) return error;
  if (isAbortError(error)) return new AirlockError('CANCELLED', undefined, { cause: error });
  const code = causeCode(error) ?? 'network error';
  if (isTlsTrustFailure(error)) {
    return new AirlockError(
      'REGISTRY_UNREACHABLE',
      `${cleanRegistryText(what)}: the registry's TLS certificate is not trusted (${code}); give the CA file that signed it.`,
      {
        cause: error,
        data: { tls: true, registryCode: null },
      },
    );
  }
  return new AirlockError('REGISTRY_UNREACHABLE', `${cleanRegistryText(what)}: ${code}.`, { cause: error, data: { registryCode: null } });
}
