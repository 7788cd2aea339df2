/**
 * The station's language (config.json `language`), chosen here and saved at once: the app
 * switches without a restart, and the PDF receipts the station writes from then on use it too.
 * Saved through saveSettings like every other setting, so the change is audited (settings-change,
 * language old -> new). One language per station, not per person: the receipt that goes into the
 * paper file and the screen the operator reads agree (docs/i18n.md).
 */
import { Alert, Fieldset, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { STATION_LANGUAGES, type StationLanguage } from '../../../shared/language.js';
import type { IpcError, StationSettingsView } from '../../../shared/ipc.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useLanguage } from '../i18n/I18nRoot.js';
import { isStationLanguage, LANGUAGE_NAMES } from '../i18n/locales.js';
import { useT } from '../i18n/useT.js';

export function LanguageSetting({ settings, onSaved }: { settings: StationSettingsView; onSaved: (settings: StationSettingsView) => void }) {
  const api = useApi();
  const t = useT();
  const { setLanguage } = useLanguage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  // Kept as facts, worded at render time: the sentence appears in the language just chosen.
  const [done, setDone] = useState<{ language: StationLanguage; seq: number | null } | null>(null);

  const choose = async (value: string) => {
    if (!isStationLanguage(value) || value === settings.language.effective) return;
    setBusy(true);
    setDone(null);
    try {
      const answer = await call(api, 'saveSettings', { language: value });
      setLanguage(value);
      onSaved(answer.settings);
      setError(null);
      setDone({ language: value, seq: answer.auditEvent });
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Fieldset legend={t('settings.language.legend')} maw={720}>
      <NativeSelect
        label={t('settings.language.label')}
        description={t('settings.language.help')}
        value={settings.language.effective}
        disabled={busy}
        onChange={(e) => void choose(e.currentTarget.value)}
        data={STATION_LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
      />
      {error ? <ErrorAlert error={error} /> : null}
      {done ? (
        <Alert color="green" role="status" mt="sm" withCloseButton onClose={() => setDone(null)} closeButtonLabel={t('common.dismiss')}>
          {done.seq === null
            ? t('settings.language.saved', { language: LANGUAGE_NAMES[done.language] })
            : t('settings.language.savedEvent', { language: LANGUAGE_NAMES[done.language], seq: done.seq })}
        </Alert>
      ) : null}
    </Fieldset>
  );
}
