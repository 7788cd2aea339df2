import type * as exportOps from './export.js';
import type * as importOps from './import.js';
import type * as feedImportOps from './feed-import.js';
import type * as mediaExportOps from './media-export.js';
import type * as audit from './station-audit.js';
import type * as forward from './station-forward.js';
import type * as inspection from './inspection.js';
import type * as keys from './station-keys.js';
import type * as media from './station-media.js';
import type * as settings from './station-settings.js';
import type * as twoPerson from './two-person.js';
import type * as twoPersonMedia from './two-person-media.js';
import type * as quarantine from './quarantine.js';
import type * as verifyOps from './verify.js';
import type * as watchOps from './watch.js';
import type * as heartbeatOps from './heartbeat.js';
import type * as channelStateOps from '../channels/channel-state.js';
import type * as channelSendOps from '../channels/channel-send.js';
import type * as heartbeatAlarmOps from '../channels/heartbeat-alarms.js';
import type * as stationPolicy from '../policy/station-policy.js';

/**
 * Each operation's module, loaded when the operation is first asked for: a command evaluates only
 * the code it runs (keys list neither the export pipeline nor tar, SQLite, TLS or the PDF
 * renderer), which is most of the CLI's start-up (docs/design-notes.md, "CLI start-up, round 2").
 * Within the CLI bundle esbuild turns each import() into a lazily initialised module of the same
 * file; node and the app's own bundle load them once and reuse them.
 */
export const load = {
  export: (): Promise<typeof exportOps> => import('./export.js'),
  import: (): Promise<typeof importOps> => import('./import.js'),
  feedImport: (): Promise<typeof feedImportOps> => import('./feed-import.js'),
  mediaExport: (): Promise<typeof mediaExportOps> => import('./media-export.js'),
  audit: (): Promise<typeof audit> => import('./station-audit.js'),
  forward: (): Promise<typeof forward> => import('./station-forward.js'),
  inspection: (): Promise<typeof inspection> => import('./inspection.js'),
  keys: (): Promise<typeof keys> => import('./station-keys.js'),
  media: (): Promise<typeof media> => import('./station-media.js'),
  settings: (): Promise<typeof settings> => import('./station-settings.js'),
  twoPerson: (): Promise<typeof twoPerson> => import('./two-person.js'),
  twoPersonMedia: (): Promise<typeof twoPersonMedia> => import('./two-person-media.js'),
  quarantine: (): Promise<typeof quarantine> => import('./quarantine.js'),
  verify: (): Promise<typeof verifyOps> => import('./verify.js'),
  watch: (): Promise<typeof watchOps> => import('./watch.js'),
  heartbeat: (): Promise<typeof heartbeatOps> => import('./heartbeat.js'),
  channelState: (): Promise<typeof channelStateOps> => import('../channels/channel-state.js'),
  channelSend: (): Promise<typeof channelSendOps> => import('../channels/channel-send.js'),
  heartbeatAlarms: (): Promise<typeof heartbeatAlarmOps> => import('../channels/heartbeat-alarms.js'),
  stationPolicy: (): Promise<typeof stationPolicy> => import('../policy/station-policy.js'),
};
