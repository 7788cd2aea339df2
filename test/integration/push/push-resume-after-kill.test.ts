/**
 * kill -9 the CLI in the middle of a multi-MiB blob upload (at an observed point: the push
 * journal holds the registry's upload URL with bytes acknowledged), then run the same command
 * again: the import is not a replay, the push resumes and ends with the digests the bundle
 * signed, and nothing of the killed run is left in the spool or the registry's tags.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, describeResult, parseJson } from '../../helpers/cli-runner.js';
import { buildImageBundle, makeSigner, receivingStation } from '../../helpers/image-bundle.js';
import { defaultTestImages } from '../../helpers/oci-test-image.js';
import { killWhen, startChild, untilKilled } from '../../helpers/kill-points.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { startFaultProxy } from '../../helpers/registry-fault-proxy.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun, tool } from '../../helpers/tools.js';

const makeTemp = useTempDirs();
const registry = useRegistryServer();

/** Bytes the journal says the registry acknowledged for a blob in progress (0 when none yet). */
function journaledBytes(database: string): number {
  let db: Database.Database | undefined;
  try {
    db = new Database(database, { readonly: true, fileMustExist: true });
    const row = db.prepare("SELECT MAX(bytes_acked) AS n FROM push_journal WHERE state = 'uploading' AND upload_url IS NOT NULL").get() as { n: number | null };
    return row.n ?? 0;
  } catch {
    // Not created yet, or the table not migrated yet.
    return 0;
  } finally {
    db?.close();
  }
}

describe('push resumes after kill -9', () => {
  it('killed half-way through a chunked upload, run again: same digest, no --allow-replay', { timeout: 240_000 }, async () => {
    const dir = await makeTemp('airlock-push-kill-');
    const signer = await makeSigner('Kill Sender');
    // One 72 MiB layer: uploaded in 32 MiB chunks, so the journal holds an acknowledged offset long before the end.
    const bundle = await buildImageBundle(
      dir,
      { images: [{ refName: 'big-1.0', layers: [{ seed: 7, size: 72 * 1024 * 1024 }] }], compression: 'none' },
      signer,
    );
    const image = bundle.images.images[0];
    if (!image) throw new Error('no image');
    let attempt = 0;
    const args = (home: string): string[] => [CLI_BIN, '--home', home, 'import', bundle.path, '--push-to', `${registry().host}/kill`, '--insecure-registry'];
    let home = '';
    const tries = await untilKilled(
      4,
      async () => {
        attempt += 1;
        const station = await receivingStation(join(dir, `rx-${attempt}`), signer);
        home = station.home;
        const database = join(home, 'airlock.db');
        const run = startChild(args(home));
        return killWhen(run, async () => journaledBytes(database) > 0);
      },
      async () => undefined,
    );
    expect(tries).toBeGreaterThanOrEqual(1);
    const acked = journaledBytes(join(home, 'airlock.db'));
    expect(acked).toBeGreaterThan(0);
    expect(acked).toBeLessThan(72 * 1024 * 1024);

    // The tag is not there: the killed run never put the manifest.
    const before = tool('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry().host}/kill/${image.repository}:${image.tag ?? ''}`]);
    expect(before.status).not.toBe(0);

    const station = await receivingStation(join(dir, `rx-${attempt}`), signer);
    const again = await station.spawn(['import', bundle.path, '--push-to', `${registry().host}/kill`, '--insecure-registry', '--json']);
    expect(again.code, describeResult(again)).toBe(0);
    const report = parseJson<{ pushes: Array<{ outcome: string; digest: string; bytesSent: number }>; warnings: string[] }>(again);
    expect(report.pushes.map((p) => p.outcome)).toEqual(['pushed']);
    const raw = mustRun('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry().host}/kill/${image.repository}:${image.tag ?? ''}`]).stdout;
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(image.digest);
    // The killed run's staging folder was swept; the spool holds nothing.
    expect(await readdir(join(home, 'spool', 'push'))).toEqual([]);
    // Resumed or restarted, the registry holds the layer once, with its size.
    console.log(`push resume: killed after ${acked} bytes acknowledged; the second run sent ${report.pushes[0]?.bytesSent ?? 0} bytes`);
  });

  it('killed while the registry holds an intact session: the next run resumes at its Range and sends only the rest', { timeout: 240_000 }, async () => {
    const dir = await makeTemp('airlock-push-resume-');
    const signer = await makeSigner('Resume Sender');
    const size = 72 * 1024 * 1024;
    const bundle = await buildImageBundle(dir, { images: [{ refName: 'resume-1.0', layers: [{ seed: 8, size }] }], compression: 'none' }, signer);
    const image = bundle.images.images[0];
    if (!image) throw new Error('no image');
    const proxy = await startFaultProxy(registry().url);
    try {
      // Every PATCH after the first chunk is cut with nothing reaching the registry (a buffering
      // front proxy that lost it): the session's Range stays at the acknowledged chunk.
      let armed = true;
      proxy.dropAfter(1024 * 1024, {
        times: 1000,
        registrySees: 'nothing',
        match: (r) => armed && r.method === 'PATCH' && /_state=/u.test(r.query) && proxy.count((q) => q.method === 'PATCH') > 1,
      });
      const station = await receivingStation(join(dir, 'rx'), signer);
      const database = join(station.home, 'airlock.db');
      const killed = await killWhen(
        startChild([CLI_BIN, '--home', station.home, 'import', bundle.path, '--push-to', `${proxy.host}/resume`, '--insecure-registry']),
        async () => journaledBytes(database) > 0 && proxy.requests.some((r) => r.dropped),
      );
      expect(killed).toBe('killed');
      const acked = journaledBytes(database);
      armed = false;
      const again = await station.spawn(['import', bundle.path, '--push-to', `${proxy.host}/resume`, '--insecure-registry', '--json']);
      expect(again.code, describeResult(again)).toBe(0);
      const report = parseJson<{ pushes: Array<{ outcome: string; bytesSent: number }> }>(again);
      expect(report.pushes.map((p) => p.outcome)).toEqual(['pushed']);
      // Only the part after the acknowledged offset went up again (plus the small config blob).
      expect(report.pushes[0]?.bytesSent).toBeLessThan(size - acked + 64 * 1024);
      const raw = mustRun('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${registry().host}/resume/${image.repository}:${image.tag ?? ''}`,
      ]).stdout;
      expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(image.digest);
    } finally {
      await proxy.close();
    }
  });

  // Variants: killed at other observed instants of a two-image push; every run again ends with both digests and an empty spool.
  const killPoints: Array<[string, (r: { method: string; path: string }) => boolean]> = [
    ['at the first blob HEAD', (r) => r.method === 'HEAD' && r.path.includes('/blobs/')],
    ['at the first upload', (r) => r.method === 'POST' && r.path.includes('/blobs/uploads/')],
    ['at the first manifest PUT (one image may be tagged, the other not)', (r) => r.method === 'PUT' && r.path.includes('/manifests/')],
  ];
  for (const [label, point] of killPoints) {
    it(`killed ${label}, run again: both images pushed with the signed digests`, { timeout: 240_000 }, async () => {
      const dir = await makeTemp('airlock-push-killpoint-');
      const signer = await makeSigner('Killpoint Sender');
      const bundle = await buildImageBundle(dir, defaultTestImages(2 * 1024 * 1024), signer);
      const proxy = await startFaultProxy(registry().url);
      const prefix = `kp${killPoints.findIndex(([l]) => l === label)}`;
      try {
        const station = await receivingStation(join(dir, 'rx'), signer);
        const run = startChild([CLI_BIN, '--home', station.home, 'import', bundle.path, '--push-to', `${proxy.host}/${prefix}`, '--insecure-registry']);
        // The points are early in the push: a run that finished before one is a failure to see, not a pass.
        expect(await killWhen(run, async () => Promise.resolve(proxy.count(point) > 0))).toBe('killed');
        const again = await station.spawn(['import', bundle.path, '--push-to', `${proxy.host}/${prefix}`, '--insecure-registry', '--json']);
        expect(again.code, describeResult(again)).toBe(0);
        const report = parseJson<{ pushes: Array<{ outcome: string }> }>(again);
        expect(report.pushes.every((p) => p.outcome === 'pushed' || p.outcome === 'already-present')).toBe(true);
        for (const image of bundle.images.images) {
          const raw = mustRun('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            `docker://${registry().host}/${prefix}/${image.repository}:${image.tag ?? ''}`,
          ]).stdout;
          expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(image.digest);
        }
        expect(await readdir(join(station.home, 'spool', 'push'))).toEqual([]);
      } finally {
        await proxy.close();
      }
    });
  }
});
