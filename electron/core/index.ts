/**
 * The engine's facade: the CLI, the Electron main process and the worker import from here
 * and nowhere deeper (lint enforces it).
 */
export {
  Station,
  defaultBundleName,
  type OpenStationOptions,
  type ExportRequest,
  type VerifyRequest,
  type ImportRequest,
  type WatchRequest,
} from './station.js';
export { AirlockError, toAirlockError, isAbortError } from './errors.js';
export { errnoOf } from './errors.js';
export { readRegularFile } from './fs/open-regular.js';
export { assertChannelName } from './channels/channel-name.js';
export { writeFileDurably } from './fs/durable.js';
export { resolveHomeDir, defaultHomeDir } from './home/station-home.js';
export type { WriteBundleResult } from './export/write-bundle.js';
export type { TrustedSigner } from './keys/trust-store.js';
export type { KeyRefusal, ListedSigner } from './keys/trusted-key-refusal.js';
export type { KeyDescription } from './keys/public-key.js';
export { BUNDLE_SUFFIX, FORMAT_VERSION } from './bundle/format.js';
export type { ImportResult } from './import/import-bundle.js';
export { KEY_ALGORITHMS, type KeyAlgorithm } from './keys/key-algorithms.js';
export { parseGpgSignerOption, type SignerSpec } from './crypto/signer-option.js';
export type { StagedSummary, ExportOutcome, ImportOutcome } from './station.js';
export type { QuarantineDetail, QuarantinePurgeOutcome, QuarantinePurgeRequest, QuarantineReleaseOutcome, QuarantineReleaseRequest } from './station.js';
export type { MediaExportRequest, MediaExportOutcome, MediaAsk } from './station.js';
export type { FeedImportRequest, FeedImportOutcome, DatabaseState } from './inspect/feeds/feed-types.js';
export type { NextMediumRequest } from './media/output/media-output.js';
export type { MediaVerifyReport, MediaVerifyItem } from './media/read-back/media-verify.js';
export type { EjectResult } from './media/discover/eject.js';
// Types only: the media operations are Station's (a value export here would be evaluated by every command).
export type { MediaWatch, MediaWatchOptions } from './media/discover/media-watch.js';
export type { ListMediaOptions } from './media/discover/discover.js';
export type { AuditEvent } from './audit/audit-event.js';
export type { AuditQuery } from './audit/audit-store.js';
export type { AuditVerifyResult } from './audit/audit-verify.js';
export { parsePartFileName, parseIndexFileName, isAirlockTempName } from './media/parts/part-names.js';
export type { StagedEntry } from './export/staged-list.js';
export { parseRegistryEndpoint, type EndpointOptions } from './oci/registry/registry-endpoint.js';
export type { RegistryEndpoint } from './oci/registry/registry-api.js';
export type { InspectionStatus, PolicyCheck } from './station.js';
export type { InspectPolicy } from './policy/inspect-policy.js';
export type { HeartbeatRequest } from './station.js';
export type { DeliverNowResult, SinkChange } from './forward/index.js';
