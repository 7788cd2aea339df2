/**
 * Content inspection as the station runs it (issue #16; docs/inspection.md): from the policy's
 * `inspect` section to a ContentInspector with its scanner, whose status (reachable, database
 * version and age) is asked once, before the bundle is opened. Also what the app and `airlock
 * policy check` show: the resolved section and the scanner's status.
 */
import type { ScannerStatus } from '../../../shared/inspection.js';
import { readJsonConfig } from '../fs/read-json-config.js';
import type { ContentInspector } from '../inspect/content-inspector.js';
import { createScanner } from '../inspect/scanner-for.js';
import { scannerReadiness, type Readiness } from '../inspect/scanner-readiness.js';
import type { InspectPolicy } from '../policy/inspect-policy.js';
import { readStationPolicy, resolvePolicy, stationPolicySchema, type StationPolicy, type StationPolicyFile } from '../policy/station-policy.js';
import { AirlockError } from '../errors.js';
import { nameTaken } from '../fs/publish.js';
import type { Problem } from '../../../shared/problems.js';
import type { StationContext } from './context.js';

export interface OpenedInspection {
  inspector: ContentInspector;
  /** Releases the scanner's connections; call once the operation is over. */
  close(): Promise<void>;
}

/** The inspector for one verify or import; null when the policy has no `inspect` section (nothing inspected, as before #16). */
export async function openInspection(policy: StationPolicy, now: Date, signal?: AbortSignal): Promise<OpenedInspection | null> {
  const inspect = policy.inspect;
  if (inspect === null) return null;
  // Loaded only when the policy inspects: the type detectors (file-type and its tokenizers) cost every
  // verify and import ~10 ms of module evaluation before the first payload byte (docs/design-notes.md, verify3).
  const [{ ContentInspector }, { defaultInspectionParts }] = await Promise.all([
    import('../inspect/content-inspector.js'),
    import('../inspect/default-parts.js'),
  ]);
  const scanner = inspect.scan ? createScanner(inspect.scan) : null;
  try {
    const scannerStatus = scanner ? await scanner.status(now, signal) : null;
    const inspector = new ContentInspector({ policy: inspect, scanner, scannerStatus, parts: defaultInspectionParts, signal });
    return {
      inspector,
      close: async () => {
        // Scans the operation left unsettled (it ended before the inspector's finish) are dropped, then the scanner closed.
        inspector.dispose();
        await scanner?.close();
      },
    };
  } catch (error) {
    await scanner?.close().catch(() => undefined);
    throw error;
  }
}

/** Verify's gate after authentication: the scanner must be fit before a byte of payload is read (import has its own, import-bundle.ts). */
export function readinessGate(inspector: ContentInspector): () => Promise<Problem[]> {
  return async () => inspector.readiness().problems;
}

export interface InspectionStatus {
  /** The resolved `inspect` section; null when policy.json has none (no inspection). */
  policy: InspectPolicy | null;
  /** The scanner's status now; null when the policy names no scanner. */
  scanner: ScannerStatus | null;
}

/** What the station would inspect with, and how its scanner is now (for the app's settings and `airlock policy check`). */
export async function inspectionStatus(context: StationContext, now: Date, signal?: AbortSignal): Promise<InspectionStatus> {
  return statusFor((await readStationPolicy(context.paths)).inspect, now, signal);
}

async function statusFor(policy: InspectPolicy | null, now: Date, signal?: AbortSignal): Promise<InspectionStatus> {
  if (policy?.scan == null) return { policy, scanner: null };
  const scanner = createScanner(policy.scan);
  try {
    return { policy, scanner: await scanner.status(now, signal) };
  } finally {
    await scanner.close().catch(() => undefined);
  }
}

export interface PolicyCheck extends InspectionStatus {
  /** The file checked. */
  file: string;
  /** False when there is no such file: the defaults apply (only for the station's own policy.json). */
  exists: boolean;
  /** The policy as the station applies it. */
  resolved: StationPolicy;
  /** Whether the scanner may be used now (SCANNER_UNAVAILABLE / SCAN_DB_STALE as import would say them). */
  readiness: Readiness;
}

/**
 * `airlock policy check [FILE]`: validate policy.json (the station's, or FILE) as the station
 * reads it; a mistake is CONFIG_INVALID naming the field. Then the resolved inspect section and
 * the scanner's status, so an operator need not verify a bundle to find a typo or a dead scanner.
 */
export async function checkPolicyFile(context: StationContext, file: string | undefined, now: Date, signal?: AbortSignal): Promise<PolicyCheck> {
  const path = file ?? context.paths.policy;
  // A file named on the command line must be there: checking nothing is not a pass.
  if (file !== undefined && !(await nameTaken(file))) throw new AirlockError('CONFIG_INVALID', `${file}: no such file.`, { path: file });
  const parsed = await readJsonConfig<StationPolicyFile | null>(path, stationPolicySchema, null);
  const resolved = resolvePolicy(parsed ?? {});
  const status = await statusFor(resolved.inspect, now, signal);
  return { file: path, exists: parsed !== null, resolved, ...status, readiness: scannerReadiness(status.scanner, resolved.inspect?.scan ?? null) };
}
