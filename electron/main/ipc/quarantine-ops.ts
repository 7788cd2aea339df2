/**
 * What the quarantine and inspection handlers need of the station, in the shapes the IPC
 * contract answers with. The one place that adapts the station facade's quarantine methods
 * (electron/core/quarantine/, issue #16.5) to them.
 */
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { VerifyResult } from '../../../shared/results.js';
import type { InspectionStatus, Station } from '../../core/index.js';
import type { StationOps } from './handlers.js';

export interface QuarantineStationOps {
  readonly identity: Station['identity'];
  inspectionStatus(now: Date): Promise<InspectionStatus>;
  quarantineList(): Promise<QuarantineEntry[]>;
  quarantineShow(id: string): Promise<{ entry: QuarantineEntry; report: VerifyResult | null }>;
  /** 2: the policy's two-person rule for releases. */
  quarantineReleaseApprovals(): Promise<1 | 2>;
  quarantinePurge(id: string): Promise<{ entry: QuarantineEntry; auditEvent: number | null }>;
}

/** The station facade's quarantine methods, as the handlers use them. */
export function quarantineOpsOf(station: StationOps): QuarantineStationOps {
  return {
    identity: station.identity,
    inspectionStatus: (now) => station.inspectionStatus(now),
    quarantineList: () => station.quarantineList(),
    quarantineShow: (id) => station.quarantineShow(id),
    quarantineReleaseApprovals: async () => (await station.inspectionStatus(new Date())).policy?.quarantine.releaseApprovals ?? 1,
    quarantinePurge: (id) => station.quarantinePurge(id),
  };
}
