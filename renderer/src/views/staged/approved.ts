/** Whether a staged export is approved: a second key has signed after the preparer's (the rule asks for two). */
import type { StagedEntryView } from '../../../../shared/ipc.js';

export const isApproved = (entry: StagedEntryView): boolean => (entry.signatures ?? 0) >= 2;
