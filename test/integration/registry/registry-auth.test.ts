/**
 * Authentication and transport security against real docker-registry instances: htpasswd Basic,
 * Bearer tokens from a token server (the Harbor flow) cached per scope, wrong credentials refused
 * with REGISTRY_AUTH_FAILED, and TLS with a CA file made for the test (untrusted without it).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pullToLayout } from '../../../electron/core/oci/registry/pull-to-layout.js';
import { createRegistryClient } from '../../../electron/core/oci/registry/registry-client.js';
import { parseRegistryEndpoint } from '../../../electron/core/oci/registry/registry-endpoint.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { pushImage } from '../../helpers/registry-push-layout.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const basicRegistry = useRegistryServer({ htpasswd: { pusher: 'correct horse' } });
const tokenRegistry = useRegistryServer({ token: { users: { robot: 's3cret:with:colons' } } });
const tlsRegistry = useRegistryServer({ tls: true });
const tempDir = useTempDirs();
let layout: BuiltLayout;

beforeAll(async () => {
  layout = await buildTestLayout(join(await tempDir(), 'layout'), defaultTestImages(32 * 1024));
});

describe('Basic auth (htpasswd)', () => {
  it('pushes with the right credentials; skopeo with them reads the same digest', async () => {
    const registry = basicRegistry();
    const client = await createRegistryClient(
      parseRegistryEndpoint(registry.host, { insecure: true, credentials: { username: 'pusher', password: 'correct horse' } }),
    );
    try {
      const image = layout.images[0]!;
      expect((await pushImage(client, layout.dir, 'basic/app', image.descriptor, '1')).digest).toBe(image.descriptor.digest);
      const raw = mustRun('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        '--creds',
        'pusher:correct horse',
        `docker://${registry.host}/basic/app:1`,
      ]).stdout;
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(image.descriptor.digest);
    } finally {
      await client.close();
    }
  });

  it('refuses wrong or missing credentials with REGISTRY_AUTH_FAILED', async () => {
    const registry = basicRegistry();
    for (const credentials of [{ username: 'pusher', password: 'wrong' }, undefined]) {
      const client = await createRegistryClient(parseRegistryEndpoint(registry.host, { insecure: true, credentials }), { retries: 0 });
      try {
        await expect(client.headManifest('basic/app', '1')).rejects.toMatchObject({ code: 'REGISTRY_AUTH_FAILED' });
      } finally {
        await client.close();
      }
    }
  });
});

describe('Bearer tokens (token server, as Harbor)', () => {
  it('pushes and pulls with tokens, asking the token server once per scope set', async () => {
    const registry = tokenRegistry();
    const client = await createRegistryClient(
      parseRegistryEndpoint(registry.host, { insecure: true, credentials: { username: 'robot', password: 's3cret:with:colons' } }),
    );
    try {
      for (const image of layout.images)
        expect((await pushImage(client, layout.dir, 'tok/app', image.descriptor, image.refName)).digest).toBe(image.descriptor.digest);
      const asked = registry.tokenServer!.requests.filter((r) => r.status === 200);
      const scopeSets = new Set(asked.map((r) => [...r.scopes].sort().join(' ')));
      // Dozens of requests, one token per distinct scope set.
      expect(asked.length).toBe(scopeSets.size);
      expect(asked.every((r) => r.user === 'robot')).toBe(true);
      const out = join(await tempDir(), 'pulled');
      const pulled = await pullToLayout(client, 'tok/app', 'tool-1.0', { platforms: 'all', layoutDir: out });
      expect(pulled.descriptor.digest).toBe(layout.images[1]!.descriptor.digest);
      // A mount needs a token for two repositories at once.
      const manifest = JSON.parse(await readFile(join(layout.dir, 'blobs', 'sha256', layout.images[0]!.manifests[0]!.digest.slice(7)), 'utf8')) as {
        layers: { digest: string }[];
      };
      expect(await client.mountBlob('tok/other', manifest.layers[0]!.digest, 'tok/app')).toBe(true);
      expect((await client.hasBlob('tok/other', manifest.layers[0]!.digest)).present).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses wrong credentials at the token server with REGISTRY_AUTH_FAILED', async () => {
    const registry = tokenRegistry();
    const client = await createRegistryClient(parseRegistryEndpoint(registry.host, { insecure: true, credentials: { username: 'robot', password: 'nope' } }), {
      retries: 0,
    });
    try {
      await expect(client.hasBlob('tok/app', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({ code: 'REGISTRY_AUTH_FAILED' });
    } finally {
      await client.close();
    }
  });
});

describe('TLS with a custom CA', () => {
  it('trusts the registry with the CA file, and refuses it without', async () => {
    const registry = tlsRegistry();
    const trusted = await createRegistryClient(parseRegistryEndpoint(registry.host, { caFile: registry.caFile }));
    try {
      const image = layout.images[0]!;
      expect((await pushImage(trusted, layout.dir, 'tls/app', image.descriptor, '1')).digest).toBe(image.descriptor.digest);
      // skopeo's --cert-dir takes *.crt files as CAs (and would read a lone *.key as a client key).
      const certDir = join(await tempDir(), 'certs');
      await mkdir(certDir);
      await copyFile(registry.caFile!, join(certDir, 'ca.crt'));
      const raw = mustRun('skopeo', ['inspect', '--raw', '--cert-dir', certDir, `docker://${registry.host}/tls/app:1`]);
      expect(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`).toBe(image.descriptor.digest);
    } finally {
      await trusted.close();
    }
    const untrusted = await createRegistryClient(parseRegistryEndpoint(registry.host), { retries: 3 });
    try {
      await expect(untrusted.headManifest('tls/app', '1')).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE', data: { tls: true } });
    } finally {
      await untrusted.close();
    }
  });

  it('says what is wrong with a CA file that holds no certificate', async () => {
    const file = join(await tempDir(), 'not-a-ca.pem');
    await writeFile(file, 'hello');
    await expect(createRegistryClient(parseRegistryEndpoint(tlsRegistry().host, { caFile: file }))).rejects.toMatchObject({ code: 'USAGE' });
    await expect(createRegistryClient(parseRegistryEndpoint(tlsRegistry().host, { caFile: join(file, '..', 'missing.pem') }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
