/**
 * kill -9 of an image push (`import BUNDLE --push-to REGISTRY`, push only) at a seeded point of
 * its own progress (verifying, pushing the images, settling). The bundle carries two images (one 6 MiB layer each), so a kill can land between
 * the first image's tag and the second's upload. Each trial starts Debian's docker-registry on
 * 127.0.0.1 (test/helpers/registry-server.ts, as the registry integration tests do) with empty
 * storage, and a receiving station that trusts the bundle's signer.
 *
 * After the kill the next start settles (`audit verify`), then: every image an audit event says
 * pushed or already present is in the registry under its tag with the signed digest (nothing is
 * claimed pushed that is not), and every tag the registry holds is named pushed by the audit (the
 * audit says what was pushed); then the same command again completes (exit 0, both tags with the
 * signed digests, no `--allow-replay`), and once more says REPLAY.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fetch } from 'undici';
import { buildImageBundle, makeSigner, receivingStation, type ImageBundle } from '../helpers/image-bundle.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { airlock, auditVerify, json, readLedger, type Fixture } from './harness.js';
import type { ProgressPhase } from '../../shared/progress.js';
import type { TrialResult } from './scenarios.js';

const PREFIX = 'kill';
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

interface PushPrep {
  bundle: ImageBundle;
  signer: Awaited<ReturnType<typeof makeSigner>>;
  /** `repository:tag` -> the signed manifest digest. */
  signed: Map<string, string>;
}

const preps = new WeakMap<Fixture, Promise<PushPrep>>();

function prepare(fixture: Fixture): Promise<PushPrep> {
  let prep = preps.get(fixture);
  if (!prep) {
    prep = (async () => {
      const dir = join(fixture.root, 'push-prep');
      await mkdir(dir, { recursive: true });
      const signer = await makeSigner('Push Sender');
      const bundle = await buildImageBundle(
        dir,
        {
          images: [
            { refName: 'one-1.0', layers: [{ seed: 11, size: 6 * 2 ** 20 }] },
            { refName: 'two-1.0', layers: [{ seed: 12, size: 6 * 2 ** 20 }] },
          ],
          compression: 'none',
        },
        signer,
      );
      const signed = new Map(bundle.images.images.map((i) => [`${i.repository}:${i.tag ?? ''}`, i.digest]));
      return { bundle, signer, signed };
    })();
    preps.set(fixture, prep);
  }
  return prep;
}

function pushArgs(prep: PushPrep, registry: RegistryServer): string[] {
  return ['import', prep.bundle.path, '--push-to', `${registry.host}/${PREFIX}`, '--insecure-registry', '--json'];
}

/** One registry and one receiving station for `body`; the registry is stopped after. */
async function withPlace<T>(fixture: Fixture, prep: PushPrep, name: string, body: (home: string, registry: RegistryServer) => Promise<T>): Promise<T> {
  const registry = await startRegistry();
  try {
    const station = await receivingStation(join(fixture.root, name), prep.signer);
    return await body(station.home, registry);
  } finally {
    await registry.stop();
  }
}

/** The digest the registry serves for `repository:tag` under the prefix, or null when it has no such tag. */
async function tagged(registry: RegistryServer, key: string): Promise<string | null> {
  const [repository, tag] = key.split(':') as [string, string];
  const answer = await fetch(`${registry.url}/v2/${PREFIX}/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST_TYPES } });
  return answer.status === 200 ? answer.headers.get('docker-content-digest') : null;
}

interface Push {
  repository: string;
  tag: string | null;
  digest: string;
  outcome: string;
}

/**
 * Every image the audit names pushed or already present, as `repository:tag` -> digest (an import's
 * `pushes`), and the manifests a recovered import's event names as put before its push was
 * killed (`pushedManifests`, no tag), as `repository@digest`.
 */
function claimedPushed(home: string): { tags: Map<string, string>; manifests: Set<string> } {
  const tags = new Map<string, string>();
  const manifests = new Set<string>();
  for (const event of readLedger(home).events) {
    if (event.type !== 'import') continue;
    for (const push of (event.details.pushes ?? []) as Push[]) {
      if (push.outcome === 'pushed' || push.outcome === 'already-present')
        tags.set(`${push.repository.replace(`${PREFIX}/`, '')}:${push.tag ?? ''}`, push.digest);
    }
    for (const put of (event.details.pushedManifests ?? []) as Array<{ repository: string; digest: string }>)
      manifests.add(`${put.repository.replace(`${PREFIX}/`, '')}@${put.digest}`);
  }
  return { tags, manifests };
}

async function checkRegistry(prep: PushPrep, home: string, registry: RegistryServer, when: string, bad: string[]): Promise<string[]> {
  const claimed = claimedPushed(home);
  const present: string[] = [];
  for (const [key, digest] of prep.signed) {
    const served = await tagged(registry, key);
    if (served !== null) present.push(key);
    if (served !== null && served !== digest) bad.push(`${when}: the registry serves ${key} as ${served}, signed ${digest}`);
    const said = claimed.tags.get(key);
    if (said !== undefined && served === null) bad.push(`${when}: the audit says ${key} pushed, the registry has no such tag`);
    if (said !== undefined && said !== digest) bad.push(`${when}: the audit names ${key} as ${said}, signed ${digest}`);
    const named = said !== undefined || claimed.manifests.has(`${key.split(':')[0] ?? ''}@${served ?? ''}`);
    if (served !== null && !named) bad.push(`${when}: ${key} is in the registry, but no audit event says it was pushed`);
  }
  return present;
}

/** The phases a push-only import prints, in order: a third of the draws land in the push itself. */
const PUSH_PHASES: readonly ProgressPhase[] = ['verifying-payload', 'pushing-images', 'settling'];

/** kill -9 of the push at a seeded point (`at` in [0, 1)) of its own progress (progress-kill.ts). */
export async function pushKillTrial(fixture: Fixture, trial: number, at: number, attempt = 0): Promise<TrialResult> {
  const prep = await prepare(fixture);
  const killAt = { phases: PUSH_PHASES, at };
  const scenario = 'kill-push';
  return withPlace(fixture, prep, `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`, async (home, registry) => {
    const bad: string[] = [];
    const first = await airlock(home, pushArgs(prep, registry), { killAt });
    if (!first.killed && first.code !== 0) bad.push(`the push failed before the kill: ${first.stdout.slice(0, 300)}${first.stderr.slice(0, 300)}`);
    const verify = await auditVerify(home);
    if (verify) bad.push(verify);
    const tags = await checkRegistry(prep, home, registry, 'after the kill', bad);
    const ledger = readLedger(home);
    if (ledger.imports.some((r) => r.status === 'pending')) bad.push('an import claim still pending after the next start');
    // Committed (every image pushed, the import recorded) before the kill: the same command is a replay. Otherwise it completes the push.
    const committed = ledger.imports.some((r) => r.status === 'imported');
    // Settled by the next start (killed before its own event): how many manifests its event names from the push journal.
    const recovered = ledger.events.find((e) => e.type === 'import' && e.details.recovered === true);
    const named = ((recovered?.details.pushedManifests ?? []) as unknown[]).length;
    const retry = await airlock(home, pushArgs(prep, registry));
    const report = json<{ ok?: boolean; pushes?: Push[]; problems?: Array<{ code: string }> }>(retry);
    const replay = report?.problems?.some((p) => p.code === 'REPLAY') === true;
    if (!committed && retry.code !== 0) bad.push(`the rerun failed (exit ${retry.code}): ${retry.stdout.slice(0, 300)}${retry.stderr.slice(0, 300)}`);
    if (committed && !replay) bad.push(`the rerun of a recorded push is not a REPLAY (exit ${retry.code})`);
    const after = await checkRegistry(prep, home, registry, 'after the rerun', bad);
    if (after.length !== prep.signed.size) bad.push(`after the rerun the registry holds ${after.join(', ') || 'no tag'}`);
    if (!committed) {
      const again = await airlock(home, pushArgs(prep, registry));
      if (!json<{ problems?: Array<{ code: string }> }>(again)?.problems?.some((p) => p.code === 'REPLAY'))
        bad.push(`a third run of the completed push is not a REPLAY (exit ${again.code})`);
    }
    const again = await auditVerify(home);
    if (again) bad.push(again);
    const outcome = `${first.killed ? 'killed' : 'ok'}@${first.killedAt ?? 'end'}: ${tags.length} of ${prep.signed.size} tagged${committed ? ', recorded' : ''}${recovered ? ` (recovered ${recovered.outcome}, ${named} manifest(s) named)` : ''}, rerun ${replay ? 'REPLAY' : retry.code === 0 ? 'ok' : `exit ${retry.code}`}`;
    return { scenario, trial, outcome, bad, notes: [], covered: first.killed };
  });
}
