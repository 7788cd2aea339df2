/**
 * What the quarantine and inspection handlers need of the station: the facade's methods
 * (electron/core/quarantine/, station/inspection.ts), picked so tests can hand in a double.
 */
import type { Station } from '../../core/index.js';

export type QuarantineStationOps = Pick<Station, 'inspectionStatus' | 'quarantineList' | 'quarantineShow' | 'quarantinePurge'>;
