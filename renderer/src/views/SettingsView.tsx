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
import { formatBytes } from '../../../shared/format.js';
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
} from '../../../shared/settings.js';
import { asIpcError, call, useApi } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { ScannerStatusPanel } from './ScannerStatusPanel.js';

const UNITS = [
  { value: '1', label: 'bytes' },
  { value: '1024', label: 'KiB' },
  { value: '1048576', label: 'MiB' },
  { value: '1073741824', label: 'GiB' },
  { value: '1099511627776', label: 'TiB' },
] as const;
type ByteField = 'maxTotalBytes' | 'maxFileBytes';
const BYTE_FIELDS: readonly PolicyField[] = ['maxTotalBytes', 'maxFileBytes'];
const isByteField = (field: PolicyField): field is ByteField => BYTE_FIELDS.includes(field);

/** Every field in words; typed over the field lists so a new setting does not compile without a label. */
export const SETTING_LABELS: { readonly [F in ConfigField | PolicyField]: string } = {
  stationName: 'Station name',
  operatorName: 'Operator name',
  organization: 'Organization',
  maxEntries: 'Most files in a bundle',
  maxTotalBytes: 'Largest bundle payload',
  maxFileBytes: 'Largest single file',
  requiredSigners: 'Required signers',
  clockSkewSeconds: 'Allowed clock skew (seconds)',
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

function describeValue(field: ConfigField | PolicyField, value: string | number | null, settings: StationSettingsView): string {
  if (value === null) {
    if (field === 'stationName') return `not set (this computer's name, ${displayText(settings.defaults.stationName)})`;
    if (field === 'operatorName') return 'not set (the OS user only)';
    if (field === 'organization') return 'not set';
    return `not set (default ${describeValue(field, settings.defaults.policy[field], settings)})`;
  }
  if (typeof value === 'string') return `“${displayText(value)}”`;
  if (field === 'maxTotalBytes' || field === 'maxFileBytes') return `${formatBytes(value)} (${value.toLocaleString('en-US')} bytes)`;
  return value.toLocaleString('en-US');
}

interface Checked {
  patch: NonNullable<IpcRequest<'saveSettings'>>;
  errors: Partial<Record<ConfigField | PolicyField, string>>;
  changed: number;
}

/** The form checked field by field against what the station accepts, and the patch of the fields that differ from the saved settings. */
function check(form: Form, settings: StationSettingsView): Checked {
  const errors: Checked['errors'] = {};
  const config: Partial<Record<ConfigField, string | null>> = {};
  const policy: Partial<Record<PolicyField, number | null>> = {};
  for (const field of CONFIG_FIELDS) {
    const text = form.config[field].trim();
    if (text.length > SETTING_TEXT_MAX) errors[field] = `At most ${SETTING_TEXT_MAX} characters (now ${text.length}).`;
    else if (hasControlCharacters(text)) errors[field] = 'One line of text, without tabs or other control characters.';
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
        errors[field] = 'Enter a whole number (digits only), or leave it empty for the default.';
        continue;
      }
      value = Number(text) * (isByteField(field) ? Number(form.units[field]) : 1);
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        errors[field] = isByteField(field)
          ? `Enter a size from 1 byte to ${formatBytes(max)}.`
          : `Enter a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`;
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
  return (
    <Alert color="green" title="Settings saved" role="status" withCloseButton onClose={onClose} closeButtonLabel="Dismiss">
      <List size="sm" aria-label="What was saved">
        {changes.map((c) => (
          <List.Item key={c.field}>
            {SETTING_LABELS[c.field]}: {describeValue(c.field, c.from, settings)} → {describeValue(c.field, c.to, settings)}
          </List.Item>
        ))}
      </List>
      <Text size="sm" mt={4}>
        {auditEvent !== null ? `Recorded in the audit log as event #${auditEvent}. ` : ''}New exports, verifications and imports use these settings.
      </Text>
    </Alert>
  );
}

export function SettingsView({ active = true }: { active?: boolean }) {
  const api = useApi();
  const [status, setStatus] = useState<IpcResponse<'stationStatus'> | null>(null);
  const [settings, setSettings] = useState<StationSettingsView | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState<IpcResponse<'saveSettings'> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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

  const checked = settings && form ? check(form, settings) : null;
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
    setNotice('Every field is empty now, so each default applies once you save. Nothing is saved yet.');
  };

  const setConfig = (field: ConfigField, value: string) => form && setForm({ ...form, config: { ...form.config, [field]: value } });
  const setPolicy = (field: PolicyField, value: string) => form && setForm({ ...form, policy: { ...form.policy, [field]: value } });

  const configHelp = (field: ConfigField, s: StationSettingsView): string => {
    if (field === 'stationName')
      return `Recorded in every bundle this station exports and in every audit event. Empty: this computer's name (${displayText(s.defaults.stationName)}).`;
    if (field === 'operatorName')
      return `Recorded with the OS user in every audit event and bundle from now on, e.g. “J. Smith (${displayText(s.defaults.operator)})”. Empty: the OS user only.`;
    return 'Recorded in the bundles this station exports. Empty: none.';
  };
  const policyHelp = (field: PolicyField, s: StationSettingsView): string => {
    const fallback = `Empty: the default, ${describeValue(field, s.defaults.policy[field], s)}.`;
    if (field === 'maxEntries') return `Bundles holding more files are refused before their payload is read. ${fallback}`;
    if (field === 'maxTotalBytes') return `Bundles whose payload is larger are refused before it is read. ${fallback}`;
    if (field === 'maxFileBytes') return `Bundles holding a larger file are refused before it is read. ${fallback}`;
    if (field === 'requiredSigners') return `Distinct trusted signers every bundle must carry; 2 or more is the two-person rule (1 to 16). ${fallback}`;
    return `How far in the future a signature's date may lie, for clocks that drift (0 to 86,400). ${fallback}`;
  };

  return (
    <Stack gap="lg">
      <Title order={2}>Settings</Title>
      {status ? (
        <Table withTableBorder variant="vertical" aria-label="This station" maw={720}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={180}>Station</Table.Th>
              <Table.Td>{displayText(status.station)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Operator</Table.Th>
              <Table.Td>{displayText(status.operator)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Data folder</Table.Th>
              <Table.Td>{displayText(status.home)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Airlock version</Table.Th>
              <Table.Td>{displayText(status.version)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : null}

      {error ? <ErrorAlert error={error} /> : null}
      {saved && settings ? <Saved changes={saved.changes} auditEvent={saved.auditEvent} settings={settings} onClose={() => setSaved(null)} /> : null}
      {notice ? (
        <Alert color="blue" role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel="Dismiss">
          {notice}
        </Alert>
      ) : null}

      {settings && form && checked ? (
        <form onSubmit={(e) => void submit(e)} aria-label="Station settings" noValidate>
          <Stack maw={720}>
            <Fieldset legend="This station (config.json)">
              <Stack>
                {CONFIG_FIELDS.map((field) => (
                  <TextInput
                    key={field}
                    label={SETTING_LABELS[field]}
                    description={configHelp(field, settings)}
                    placeholder={field === 'stationName' ? displayText(settings.defaults.stationName) : 'not set'}
                    value={form.config[field]}
                    onChange={(e) => setConfig(field, e.currentTarget.value)}
                    error={checked.errors[field] ?? null}
                  />
                ))}
              </Stack>
            </Fieldset>
            <Fieldset legend="Policy limits (policy.json)">
              <Stack>
                {POLICY_FIELDS.map((field) =>
                  isByteField(field) ? (
                    <Group key={field} align={checked.errors[field] ? 'center' : 'flex-end'} gap="xs" wrap="nowrap">
                      <TextInput
                        style={{ flex: 1 }}
                        label={SETTING_LABELS[field]}
                        description={policyHelp(field, settings)}
                        placeholder="default"
                        inputMode="numeric"
                        value={form.policy[field]}
                        onChange={(e) => setPolicy(field, e.currentTarget.value)}
                        error={checked.errors[field] ?? null}
                      />
                      <NativeSelect
                        aria-label={`Unit of ${SETTING_LABELS[field].toLowerCase()}`}
                        value={form.units[field]}
                        onChange={(e) => setForm({ ...form, units: { ...form.units, [field]: e.currentTarget.value } })}
                        data={UNITS.map((u) => ({ value: u.value, label: u.label }))}
                      />
                    </Group>
                  ) : (
                    <TextInput
                      key={field}
                      label={SETTING_LABELS[field]}
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
              <Text size="sm">Also set in the files and kept exactly as they are when you save: {settings.preserved.map(displayText).join(', ')}.</Text>
            ) : null}
            <Text size="xs" c="dimmed">
              Saved to {displayText(settings.files.config)} and {displayText(settings.files.policy)}.
            </Text>
            <Group>
              <Button type="submit" loading={busy} disabled={busy || invalid || checked.changed === 0}>
                Save settings
              </Button>
              <Button variant="default" onClick={resetToDefaults}>
                Reset to defaults
              </Button>
              <Text size="sm" aria-live="polite">
                {invalid
                  ? 'Correct the fields marked above to save.'
                  : checked.changed === 0
                    ? 'No unsaved changes.'
                    : `${checked.changed} unsaved ${checked.changed === 1 ? 'change' : 'changes'}.`}
              </Text>
            </Group>
          </Stack>
        </form>
      ) : null}
      <ScannerStatusPanel active={active} />
    </Stack>
  );
}
