import { assertChannelName } from '../channels/channel-name.js';
import { nextExportSequence } from '../db/station-db.js';
import { writeBundle } from '../export/write-bundle.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import type { SignerSpec } from '../crypto/signer-spec.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { runAudited } from './audited-operation.js';
import { bundlePathIn } from './bundle-name.js';
import type { StationContext } from './context.js';
import { completeExport, exportEvent, publishingNote, startChannelExportIntent } from './export.js';
import type { ExportOutcome } from './requests.js';
import { requiredSigner } from './signers.js';

export interface HeartbeatRequest {
  channel: string;
  outDir: string;
  /** Default `heartbeat-<channel>-<station sequence>-<date>`. */
  name?: string | undefined;
  passphrase?: string | undefined;
  signer?: SignerSpec | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

/**
 * A heartbeat (docs/channels.md): a signed bundle with an empty payload and
 * `Airlock-Bundle-Kind: heartbeat`, taking the channel's next sequence number like any export
 * (intent, publish, then the `heartbeat` event with the channel moved on, in one transaction),
 * so the far side can tell "no traffic" from "lost traffic".
 */
export async function sendHeartbeat(context: StationContext, request: HeartbeatRequest): Promise<ExportOutcome> {
  const startedAt = new Date();
  const details = { direction: 'sent', outDir: request.outDir, channel: request.channel, name: request.name ?? null };
  const done = await runAudited(context, {
    type: 'heartbeat',
    failureDetails: details,
    run: async (during) => {
      assertChannelName(request.channel);
      const signer = await requiredSigner(context, request.signer, request.passphrase);
      const sequence = nextExportSequence(context.database());
      const name =
        request.name ?? `heartbeat-${request.channel}-${String(sequence).padStart(6, '0')}-${startedAt.toISOString().slice(0, 10).replace(/-/g, '')}`;
      const { intent, stamp } = await startChannelExportIntent(
        context,
        during,
        { kind: 'folder', name, sequence, path: bundlePathIn(request.outDir, name), details },
        { reserve: request.channel, heartbeat: true },
        request.signal,
      );
      const result = await writeBundle({
        selection: [],
        emptyPayload: true,
        outDir: request.outDir,
        name,
        sequence,
        identity: context.identity,
        signers: [signer],
        channel: stamp ?? undefined,
        beforePublish: publishingNote(context, intent, stamp),
        now: startedAt,
        signal: request.signal,
        onProgress: withJobEta(JOB_PLANS.export, request.onProgress),
      });
      return { result, signer, intent, stamp };
    },
    succeeded: ({ result, intent, stamp }) => {
      const event = exportEvent(context, result, intent, null, undefined, stamp);
      return { ...event, details: { ...event.details, direction: 'sent' } };
    },
  });
  const outcome = await completeExport(context, done, { startedAt, media: null, onProgress: request.onProgress });
  return { ...outcome, channel: done.value.stamp ?? undefined };
}
