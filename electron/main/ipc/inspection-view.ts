/**
 * The station's inspection status as Settings shows it (shared/ipc/inspection.ts): the resolved
 * `inspect` policy in brief (never the command scanner's argv beyond its program: the address the
 * scanner status already names) and the scanner as it answered just now.
 */
import type { InspectionStatusView } from '../../../shared/ipc.js';
import type { InspectionStatus } from '../../core/index.js';

export function inspectionStatusView(status: InspectionStatus, checkedAt: Date): InspectionStatusView {
  const policy = status.policy;
  return {
    enabled: policy !== null,
    policy:
      policy === null
        ? null
        : {
            allowTypes: policy.types.allow,
            denyTypes: policy.types.deny,
            allowExtensions: policy.types.allowExtensions,
            denyExtensions: policy.types.denyExtensions,
            onMismatch: policy.types.onMismatch,
            macros: policy.types.macros,
            archives: {
              expand: policy.archives.expand,
              maxDepth: policy.archives.maxDepth,
              maxEntries: policy.archives.maxEntries,
              maxExpandedBytes: policy.archives.maxExpandedBytes,
              maxRatio: policy.archives.maxRatio,
            },
            scan:
              policy.scan === null
                ? null
                : { maxDatabaseAgeDays: policy.scan.maxDatabaseAgeDays, onStaleDatabase: policy.scan.onStaleDatabase, onError: policy.scan.onError },
            releaseApprovals: policy.quarantine.releaseApprovals,
          },
    scanner: status.scanner,
    checkedAt: checkedAt.toISOString(),
  };
}
