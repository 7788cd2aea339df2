/**
 * Throwaway X.509 material for registry tests, made with the openssl command: a test CA and a
 * server certificate for 127.0.0.1/localhost signed by it (TLS with a custom CA file), and a
 * self-signed signing certificate for the token server (distribution checks the token's x5c
 * chain against its rootcertbundle). EC P-256 keys: fast to make on a loaded machine.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun } from './tools.js';

export interface TestCa {
  certFile: string;
  keyFile: string;
  certPem: string;
}

export interface TestCert {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A self-signed CA certificate (also usable as the token signer: it is its own root). */
export async function makeTestCa(dir: string, commonName = 'Airlock Test CA'): Promise<TestCa & { keyPem: string }> {
  await mkdir(dir, { recursive: true });
  const certFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'ca.key');
  mustRun('openssl', ['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${commonName}`]);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
}

/** A server certificate for 127.0.0.1, ::1 and localhost, signed by `ca`. */
export async function makeServerCert(ca: TestCa, dir: string): Promise<TestCert> {
  await mkdir(dir, { recursive: true });
  const keyFile = join(dir, 'server.key');
  const csrFile = join(dir, 'server.csr');
  const certFile = join(dir, 'server.crt');
  const extFile = join(dir, 'server.ext');
  await writeFile(
    extFile,
    [
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  mustRun('openssl', ['req', '-new', ...EC_KEY, '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=127.0.0.1']);
  mustRun('openssl', [
    'x509',
    '-req',
    '-in',
    csrFile,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '2',
    '-extfile',
    extFile,
  ]);
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8'), keyPem: await readFile(keyFile, 'utf8') };
}
