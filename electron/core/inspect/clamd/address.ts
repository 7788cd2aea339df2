/**
 * clamd addresses as policy.json spells them (inspect-policy.ts CLAMD_ADDRESS, a contract):
 * `unix:/path/to/clamd.sock` or `tcp:HOST:PORT` (an IPv6 host in brackets).
 */
import type { NetConnectOpts } from 'node:net';

export type ClamdEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** The endpoint an address names, or null when it is not one of the two spellings. */
export function parseClamdAddress(address: string): ClamdEndpoint | null {
  if (address.startsWith('unix:/')) {
    const path = address.slice('unix:'.length);
    return path.includes('\0') ? null : { kind: 'unix', path };
  }
  const tcp = /^tcp:(\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/u.exec(address);
  if (tcp === null) return null;
  const port = Number(tcp[4]);
  if (port < 1 || port > 65_535) return null;
  return { kind: 'tcp', host: tcp[2] ?? tcp[3] ?? '', port };
}

export function connectOptions(endpoint: ClamdEndpoint): NetConnectOpts {
  return endpoint.kind === 'unix' ? { path: endpoint.path } : { host: endpoint.host, port: endpoint.port };
}
