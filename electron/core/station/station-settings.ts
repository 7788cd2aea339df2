import type { SettingChange, SettingsPatch, StationSettings } from '../../../shared/settings.js';
import { readStationSettings, settingsLockPath, updateStationSettings } from '../home/station-settings.js';
import { withHomeFileLock } from '../home/home-file-lock.js';
import { journaledSettingsChange } from '../home/settings-change-journal.js';
import { runAudited } from './audited-operation.js';
import type { StationContext } from './context.js';

/** config.json and policy.json as the app edits them: what the files set, what applies, the defaults. */
export function getSettings(context: StationContext): Promise<StationSettings> {
  return readStationSettings(context.paths);
}

/**
 * Change settings: `null` removes a field (back to its default), absent fields stay, and every
 * field the app does not edit is kept. Recorded as `settings-change` with each field old -> new;
 * a patch that changes nothing writes neither file and records nothing. The new identity applies to
 * operations started after this one (the open Station keeps the identity it was opened with).
 * The lock is held across the read, the writes and the event: of two saves at once (two windows,
 * two stations on one home), neither loses the other's fields, and the log's order is the files'.
 * Journaled (settings-change-journal.ts): a cut between the two writes or before the event is
 * undone by the next open or save, so the files are the state before, or the saved one with its event.
 */
export async function updateSettings(context: StationContext, patch: SettingsPatch): Promise<{ changes: SettingChange[]; auditEvent: number | null }> {
  const done = await withHomeFileLock(settingsLockPath(context.paths), (held) =>
    journaledSettingsChange(
      context.paths,
      () => context.database(),
      (id) =>
        runAudited(context, {
          type: 'settings-change',
          failureDetails: { requested: patch },
          run: () => updateStationSettings(context.paths, patch, held),
          succeeded: (changes) => (changes.length === 0 ? null : { outcome: 'ok', details: { changes, settingsChange: id } }),
        }),
    ),
  );
  return { changes: done.value, auditEvent: done.event?.seq ?? null };
}
