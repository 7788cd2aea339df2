/**
 * `HOST[:PORT][/PREFIX]` (the push target, or a docker:// source's host) parsed into a
 * RegistryEndpoint. Plain HTTP is only ever allowed for a loopback host: a registry reached over
 * the network without TLS would let anyone on the path swap what is pushed or pulled
 * (docs/security-notes.md). The checks are strict because the string reaches URLs.
 */
import { isIP } from 'node:net';
import { AirlockError } from '../../errors.js';
import { isRepositoryName } from './registry-names.js';
import type { RegistryEndpoint } from './registry-api.js';

export interface EndpointOptions {
  /** Plain HTTP (loopback hosts only). */
  insecure?: boolean | undefined;
  caFile?: string | undefined;
  credentials?: { username: string; password: string } | undefined;
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/u;

function usage(detail: string, spec: string): AirlockError {
  return new AirlockError('USAGE', detail, { data: { registry: spec.slice(0, 300) } });
}

/** Splits `host[:port]` / `[v6]:port`; undefined when malformed. */
function splitHost(hostPort: string): { hostname: string; port: number | null } | undefined {
  let hostname: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end < 0) return undefined;
    hostname = hostPort.slice(1, end);
    const rest = hostPort.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    portText = rest === '' ? undefined : rest.slice(1);
    if (isIP(hostname) !== 6) return undefined;
  } else {
    const colon = hostPort.lastIndexOf(':');
    hostname = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
    if (isIP(hostname) !== 4 && !(hostname.length <= 253 && hostname.split('.').every((label) => HOST_LABEL.test(label)))) return undefined;
  }
  if (portText === undefined) return { hostname, port: null };
  if (!/^[0-9]{1,5}$/u.test(portText)) return undefined;
  const port = Number(portText);
  return port >= 1 && port <= 65535 ? { hostname, port } : undefined;
}

/** Loopback: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.split('.')[0] === '127';
  if (isIP(bare) === 6) return bare === '::1' || /^(0{0,4}:){7}0{0,3}1$/u.test(bare);
  return false;
}

/** Parses `HOST[:PORT][/PREFIX]`; USAGE when malformed, or when plain HTTP is asked for a host that is not loopback. */
export function parseRegistryEndpoint(spec: string, options: EndpointOptions = {}): RegistryEndpoint {
  if (/^[a-z][a-z0-9+.-]*:\/\//iu.test(spec))
    throw usage(`Give the registry as HOST[:PORT][/PREFIX], without a scheme: ${JSON.stringify(spec.slice(0, 300))}.`, spec);
  const slash = spec.indexOf('/');
  const hostPort = slash < 0 ? spec : spec.slice(0, slash);
  const prefix = slash < 0 ? '' : spec.slice(slash + 1);
  const host = splitHost(hostPort);
  if (hostPort === '' || host === undefined) throw usage(`Not a registry host: ${JSON.stringify(hostPort.slice(0, 300))}.`, spec);
  if (slash >= 0 && !isRepositoryName(prefix)) {
    throw usage(`Not a repository prefix (lower-case path components, no empty or trailing component): ${JSON.stringify(prefix.slice(0, 300))}.`, spec);
  }
  const insecure = options.insecure === true;
  if (insecure && !isLoopbackHost(host.hostname)) {
    throw usage(`Plain HTTP is allowed only for a registry on this machine (localhost, 127.0.0.0/8, ::1), not for ${host.hostname}.`, spec);
  }
  return { host: hostPort, prefix, insecure, caFile: options.caFile, credentials: options.credentials };
}

/** The repository path at the registry: the endpoint's prefix, then the image's repository. */
export function repositoryAt(endpoint: RegistryEndpoint, repository: string): string {
  return endpoint.prefix === '' ? repository : `${endpoint.prefix}/${repository}`;
}

/** `https://host[:port]` or `http://...` for an insecure (loopback) endpoint. */
export function endpointOrigin(endpoint: RegistryEndpoint): string {
  return `${endpoint.insecure ? 'http' : 'https'}://${endpoint.host}`;
}
