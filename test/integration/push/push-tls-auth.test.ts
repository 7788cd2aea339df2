/**
 * --push-to over HTTPS with a private CA (--registry-ca) and Basic credentials (--registry-user,
 * password from --registry-password-file or AIRLOCK_REGISTRY_PASSWORD), against docker-registry
 * started with TLS and htpasswd. A wrong password fails each image with the registry's refusal.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { buildImageBundle, makeSigner, receivingStation } from '../../helpers/image-bundle.js';
import { defaultTestImages } from '../../helpers/oci-test-image.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const registry = useRegistryServer({ tls: true, htpasswd: { pusher: 'right-password' } });

interface PushJson {
  pushes: Array<{ outcome: string; errorCode?: string }>;
}

describe('import --push-to with TLS and credentials', () => {
  it('pushes with the CA file and the password from a file or the environment; a wrong password fails each image', async () => {
    const dir = await makeTemp('airlock-push-tls-');
    const signer = await makeSigner('TLS Sender');
    const bundle = await buildImageBundle(dir, defaultTestImages(), signer);
    const { host, caFile } = registry();
    if (caFile === undefined) throw new Error('no CA');
    const passwordFile = join(dir, 'registry-password');
    await writeFile(passwordFile, 'right-password\n', { mode: 0o600 });
    const station = await receivingStation(join(dir, 'rx'), signer);

    // Without the CA, the registry's certificate is not trusted: each image fails, nothing lands in the registry.
    const untrusted = await station.run([
      'import',
      bundle.path,
      '--push-to',
      `${host}/tls`,
      '--registry-user',
      'pusher',
      '--registry-password-file',
      passwordFile,
      '--json',
    ]);
    expect(untrusted.code, describeResult(untrusted)).toBe(3);
    expect(parseJson<PushJson>(untrusted).pushes.every((p) => p.outcome === 'failed')).toBe(true);

    const wrong = await (
      await receivingStation(join(dir, 'rx-wrong'), signer)
    ).run(['import', bundle.path, '--push-to', `${host}/tls`, '--registry-ca', caFile, '--registry-user', 'pusher', '--json'], {
      env: { AIRLOCK_REGISTRY_PASSWORD: 'wrong-password' },
    });
    expect(wrong.code, describeResult(wrong)).toBe(3);
    expect(parseJson<PushJson>(wrong).pushes.map((p) => p.outcome)).toEqual(['failed', 'failed']);

    const pushed = await (
      await receivingStation(join(dir, 'rx-ok'), signer)
    ).run([
      'import',
      bundle.path,
      '--push-to',
      `${host}/tls`,
      '--registry-ca',
      caFile,
      '--registry-user',
      'pusher',
      '--registry-password-file',
      passwordFile,
      '--json',
    ]);
    expect(pushed.code, describeResult(pushed)).toBe(0);
    expect(parseJson<PushJson>(pushed).pushes.map((p) => p.outcome)).toEqual(['pushed', 'pushed']);
  });

  it('--registry-user without a password, or a registry option without --push-to, is a usage error', async () => {
    const dir = await makeTemp('airlock-push-usage-');
    const signer = await makeSigner('Usage Sender');
    const station = await receivingStation(join(dir, 'rx'), signer);
    const noPassword = await station.run(['import', join(dir, 'x.airlock.tar'), '--push-to', registry().host, '--registry-user', 'pusher'], {
      env: { AIRLOCK_REGISTRY_PASSWORD: '' },
    });
    expect(noPassword.code, describeResult(noPassword)).toBe(2);
    expect(noPassword.stderr).toContain('AIRLOCK_REGISTRY_PASSWORD');
    const stray = await station.run(['import', join(dir, 'x.airlock.tar'), '--dest', dir, '--insecure-registry']);
    expect(stray.code, describeResult(stray)).toBe(2);
    const neither = await station.run(['import', join(dir, 'x.airlock.tar')]);
    expect(neither.code, describeResult(neither)).toBe(2);
  });
});
