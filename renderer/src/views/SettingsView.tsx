/**
 * Station settings: who this station is (config.json: station name, operator, organization) and
 * the policy limits an operator may change (policy.json: files, sizes, required signers, clock
 * skew). An empty field means "not set": the default applies, and the form says which. Save
 * sends only the fields that changed; main writes the files (keeping everything this form does
 * not show) and records a settings-change event with each field old -> new, which this view
 * then confirms.
 */
import { Alert, Button, Fieldset, Group, List, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { displayText } from '../../../shared/display-text.js';
import type { IpcError, IpcRequest, IpcResponse, StationSettingsView } from '../../../shared/ipc.js';
import {
  CONFIG_FIELDS,
  hasControlCharacters,
  POLICY_BOUNDS,
  POLICY_FIELDS,
  SETTING_TEXT_MAX,
  type ConfigField,
  type PolicyField,
  type SettingChange,
  type SettingField,
} from '../../../shared/settings.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import type { MessageId } from '../i18n/en.js';
import { useFormat, type LocalFormat } from '../i18n/format.js';
import { LANGUAGE_NAMES, isStationLanguage } from '../i18n/locales.js';
import { useT, type Translate } from '../i18n/useT.js';
import { LanguageSetting } from './LanguageSetting.js';
import { ScannerStatusPanel } from './ScannerStatusPanel.js';
import { FeedImportPanel } from './feed/FeedImportPanel.js';

const UNITS = [
  { value: '1', label: 'bytes' as const },
  { value: '1024', label: 'KiB' },
  { value: '1048576', label: 'MiB' },
  { value: '1073741824', label: 'GiB' },
  { value: '1099511627776', label: 'TiB' },
] as const;
type ByteField = 'maxTotalBytes' | 'maxFileBytes';
const BYTE_FIELDS: readonly PolicyField[] = ['maxTotalBytes', 'maxFileBytes'];
const isByteField = (field: PolicyField): field is ByteField => BYTE_FIELDS.includes(field);

/** Every field's label in the catalogue; typed over the field lists so a new setting does not compile without a label. */
export const SETTING_LABELS: { readonly [F in SettingField]: MessageId } = {
  stationName: 'settings.field.stationName',
  operatorName: 'settings.field.operatorName',
  organization: 'settings.field.organization',
  maxEntries: 'settings.field.maxEntries',
  maxTotalBytes: 'settings.field.maxTotalBytes',
  maxFileBytes: 'settings.field.maxFileBytes',
  requiredSigners: 'settings.field.requiredSigners',
  clockSkewSeconds: 'settings.field.clockSkewSeconds',
  language: 'settings.field.language',
  stagingFolder: 'settings.field.stagingFolder',
};

type Form = { config: Record<ConfigField, string>; policy: Record<PolicyField, string>; units: Record<ByteField, string> };

/** The largest unit that shows the value as a whole number. */
function unitFor(bytes: number | null): string {
  if (bytes === null) return '1073741824';
  return [...UNITS].reverse().find((u) => bytes % Number(u.value) === 0)?.value ?? '1';
}

function formFrom(settings: StationSettingsView): Form {
  const units = { maxTotalBytes: unitFor(settings.policy.maxTotalBytes), maxFileBytes: unitFor(settings.policy.maxFileBytes) };
  const policy = Object.fromEntries(
    POLICY_FIELDS.map((f) => {
      const value = settings.policy[f];
      if (value === null) return [f, ''];
      return [f, String(isByteField(f) ? value / Number(units[f]) : value)];
    }),
  ) as Record<PolicyField, string>;
  const config = Object.fromEntries(CONFIG_FIELDS.map((f) => [f, settings.config[f] ?? ''])) as Record<ConfigField, string>;
  return { config, policy, units };
}

/** Words for a field's value: the text quoted, sizes in both units, "not set" with what applies then. */
interface Words {
  t: Translate;
  f: LocalFormat;
}

function describeValue(w: Words, field: SettingField, value: string | number | null, settings: StationSettingsView): string {
  const { t, f } = w;
  if (field === 'language') {
    if (value === null) return t('settings.value.notSetDefault', { value: LANGUAGE_NAMES.en });
    return isStationLanguage(value) ? LANGUAGE_NAMES[value] : displayText(String(value));
  }
  if (value === null) {
    if (field === 'stationName') return t('settings.value.notSetStation', { name: displayText(settings.defaults.stationName) });
    if (field === 'operatorName') return t('settings.value.notSetOperator');
    if (field === 'organization' || field === 'stagingFolder') return t('settings.value.notSet');
    return t('settings.value.notSetDefault', { value: describeValue(w, field, settings.defaults.policy[field], settings) });
  }
  if (typeof value === 'string') return t('settings.value.text', { text: displayText(value) });
  if (field === 'maxTotalBytes' || field === 'maxFileBytes') return t('settings.value.bytes', { size: f.bytes(value), bytes: f.number(value) });
  return f.number(value);
}

interface Checked {
  patch: NonNullable<IpcRequest<'saveSettings'>>;
  errors: Partial<Record<ConfigField | PolicyField, string>>;
  changed: number;
}

/** The form checked field by field against what the station accepts, and the patch of the fields that differ from the saved settings. */
function check(w: Words, form: Form, settings: StationSettingsView): Checked {
  const { t, f } = w;
  const errors: Checked['errors'] = {};
  const config: Partial<Record<ConfigField, string | null>> = {};
  const policy: Partial<Record<PolicyField, number | null>> = {};
  for (const field of CONFIG_FIELDS) {
    const text = form.config[field].trim();
    if (text.length > SETTING_TEXT_MAX) errors[field] = t('settings.error.tooLong', { max: SETTING_TEXT_MAX, length: text.length });
    else if (hasControlCharacters(text)) errors[field] = t('settings.error.controlCharacters');
    else {
      const value = text === '' ? null : text;
      if (value !== settings.config[field]) config[field] = value;
    }
  }
  for (const field of POLICY_FIELDS) {
    const text = form.policy[field].trim().replace(/[\s,_]/gu, '');
    const { min, max } = POLICY_BOUNDS[field];
    let value: number | null = null;
    if (text !== '') {
      if (!/^\d+$/u.test(text)) {
        errors[field] = t('settings.error.notNumber');
        continue;
      }
      value = Number(text) * (isByteField(field) ? Number(form.units[field]) : 1);
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        errors[field] = isByteField(field)
          ? t('settings.error.sizeRange', { max: f.bytes(max) })
          : t('settings.error.numberRange', { min: f.number(min), max: f.number(max) });
        continue;
      }
    }
    if (value !== settings.policy[field]) policy[field] = value;
  }
  const changed = Object.keys(config).length + Object.keys(policy).length;
  return {
    patch: { config: Object.keys(config).length > 0 ? config : undefined, policy: Object.keys(policy).length > 0 ? policy : undefined },
    errors,
    changed,
  };
}

function Saved({
  changes,
  auditEvent,
  settings,
  onClose,
}: {
  changes: SettingChange[];
  auditEvent: number | null;
  settings: StationSettingsView;
  onClose: () => void;
}) {
  const w = { t: useT(), f: useFormat() };
  const { t } = w;
  return (
    <Alert color="green" title={t('settings.saved.title')} role="status" withCloseButton onClose={onClose} closeButtonLabel={t('common.dismiss')}>
      <List size="sm" aria-label={t('settings.saved.list')}>
        {changes.map((c) => (
          <List.Item key={c.field}>
            {t(SETTING_LABELS[c.field])}: {describeValue(w, c.field, c.from, settings)} → {describeValue(w, c.field, c.to, settings)}
          </List.Item>
        ))}
      </List>
      <Text size="sm" mt={4}>
        {auditEvent !== null ? `${t('settings.saved.event', { seq: auditEvent })} ` : ''}
        {t('settings.saved.applies')}
      </Text>
    </Alert>
  );
}

export function SettingsView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const t = useT();
  const f = useFormat();
  const w: Words = { t, f };
  const [status, setStatus] = useState<IpcResponse<'stationStatus'> | null>(null);
  const [settings, setSettings] = useState<StationSettingsView | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState<IpcResponse<'saveSettings'> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped when a feed import ends: the scanner status checks again (a new database, a reloaded clamd).
  const [feedImports, setFeedImports] = useState(0);
  const feedImportEnded = useCallback(() => setFeedImports((n) => n + 1), []);

  const load = useCallback(async () => {
    try {
      const [s, current] = await Promise.all([call(api, 'stationStatus', {}), call(api, 'getSettings', {})]);
      setStatus(s);
      setSettings(current);
      setForm(formFrom(current));
      setError(null);
    } catch (e) {
      setError(asIpcError(e));
    }
  }, [api]);
  useEffect(() => {
    if (active) void load();
  }, [active, load]);

  const checked = settings && form ? check(w, form, settings) : null;
  const invalid = checked !== null && Object.keys(checked.errors).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!checked || invalid || checked.changed === 0) return;
    setBusy(true);
    setNotice(null);
    try {
      const answer = await call(api, 'saveSettings', checked.patch);
      setSaved(answer);
      setSettings(answer.settings);
      setForm(formFrom(answer.settings));
      setStatus(await call(api, 'stationStatus', {}));
      setError(null);
    } catch (e) {
      setError(asIpcError(e));
    } finally {
      setBusy(false);
    }
  };

  const resetToDefaults = () => {
    if (!form) return;
    setForm({
      config: Object.fromEntries(CONFIG_FIELDS.map((f) => [f, ''])) as Form['config'],
      policy: Object.fromEntries(POLICY_FIELDS.map((f) => [f, ''])) as Form['policy'],
      units: form.units,
    });
    setSaved(null);
    setNotice(t('settings.reset.notice'));
  };

  const setConfig = (field: ConfigField, value: string) => form && setForm({ ...form, config: { ...form.config, [field]: value } });
  const setPolicy = (field: PolicyField, value: string) => form && setForm({ ...form, policy: { ...form.policy, [field]: value } });

  const configHelp = (field: ConfigField, s: StationSettingsView): string => {
    if (field === 'stationName') return t('settings.help.stationName', { name: displayText(s.defaults.stationName) });
    if (field === 'operatorName') return t('settings.help.operatorName', { user: displayText(s.defaults.operator) });
    return t('settings.help.organization');
  };
  const policyHelp = (field: PolicyField, s: StationSettingsView): string =>
    t(`settings.help.${field}`, { fallback: t('settings.help.fallback', { value: describeValue(w, field, s.defaults.policy[field], s) }) });

  return (
    <Stack gap="lg">
      <Title order={2}>{t('settings.title')}</Title>
      {status ? (
        <Table withTableBorder variant="vertical" aria-label={t('settings.station')} maw={720}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={180}>{t('settings.station.station')}</Table.Th>
              <Table.Td>{displayText(status.station)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('settings.station.operator')}</Table.Th>
              <Table.Td>{displayText(status.operator)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('settings.station.home')}</Table.Th>
              <Table.Td>{displayText(status.home)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('settings.station.version')}</Table.Th>
              <Table.Td>{displayText(status.version)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : null}

      {settings ? (
        <LanguageSetting
          settings={settings}
          onSaved={(next) => {
            setSettings(next);
            void call(api, 'stationStatus', {}).then(setStatus, () => undefined);
          }}
        />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      {saved && settings ? <Saved changes={saved.changes} auditEvent={saved.auditEvent} settings={settings} onClose={() => setSaved(null)} /> : null}
      {notice ? (
        <Alert color="blue" role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.dismiss')}>
          {notice}
        </Alert>
      ) : null}

      {settings && form && checked ? (
        <form onSubmit={(e) => void submit(e)} aria-label={t('settings.form')} noValidate>
          <Stack maw={720}>
            <Fieldset legend={t('settings.form.config')}>
              <Stack>
                {CONFIG_FIELDS.map((field) => (
                  <TextInput
                    key={field}
                    label={t(SETTING_LABELS[field])}
                    description={configHelp(field, settings)}
                    placeholder={field === 'stationName' ? displayText(settings.defaults.stationName) : t('settings.placeholder.notSet')}
                    value={form.config[field]}
                    onChange={(e) => setConfig(field, e.currentTarget.value)}
                    error={checked.errors[field] ?? null}
                  />
                ))}
              </Stack>
            </Fieldset>
            <Fieldset legend={t('settings.form.policy')}>
              <Stack>
                {POLICY_FIELDS.map((field) =>
                  isByteField(field) ? (
                    <Group key={field} align={checked.errors[field] ? 'center' : 'flex-end'} gap="xs" wrap="nowrap">
                      <TextInput
                        style={{ flex: 1 }}
                        label={t(SETTING_LABELS[field])}
                        description={policyHelp(field, settings)}
                        placeholder={t('settings.placeholder.default')}
                        inputMode="numeric"
                        value={form.policy[field]}
                        onChange={(e) => setPolicy(field, e.currentTarget.value)}
                        error={checked.errors[field] ?? null}
                      />
                      <NativeSelect
                        aria-label={t(`settings.unitOf.${field}`)}
                        value={form.units[field]}
                        onChange={(e) => setForm({ ...form, units: { ...form.units, [field]: e.currentTarget.value } })}
                        data={UNITS.map((u) => ({ value: u.value, label: u.label === 'bytes' ? t('settings.unit.bytes') : u.label }))}
                      />
                    </Group>
                  ) : (
                    <TextInput
                      key={field}
                      label={t(SETTING_LABELS[field])}
                      description={policyHelp(field, settings)}
                      placeholder={String(settings.defaults.policy[field])}
                      inputMode="numeric"
                      value={form.policy[field]}
                      onChange={(e) => setPolicy(field, e.currentTarget.value)}
                      error={checked.errors[field] ?? null}
                    />
                  ),
                )}
              </Stack>
            </Fieldset>
            {settings.preserved.length > 0 ? (
              <Text size="sm">{t('settings.preserved', { fields: settings.preserved.map(displayText).join(', ') })}</Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {t('settings.files', { config: displayText(settings.files.config), policy: displayText(settings.files.policy) })}
            </Text>
            <Group>
              <Button type="submit" loading={busy} disabled={busy || invalid || checked.changed === 0}>
                {t('settings.save')}
              </Button>
              <Button variant="default" onClick={resetToDefaults}>
                {t('settings.reset')}
              </Button>
              <Text size="sm" aria-live="polite">
                {invalid
                  ? t('settings.state.invalid')
                  : checked.changed === 0
                    ? t('settings.state.clean')
                    : t('settings.state.changed', { count: checked.changed })}
              </Text>
            </Group>
          </Stack>
        </form>
      ) : null}
      <ScannerStatusPanel active={active} refresh={feedImports} />
      <FeedImportPanel active={active} onFinished={feedImportEnded} />
    </Stack>
  );
}
