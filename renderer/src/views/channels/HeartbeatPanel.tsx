/**
 * `airlock heartbeat` in the app (issue #17.1): a signed heartbeat bundle (empty payload) on a
 * channel, written to a folder from main's own dialog or to a removable medium's mount point, by
 * the same station function as a job. The channel's next number shows before it is sent; the
 * result names the file and the number it took. The passphrase lives in this form's state only
 * until the job starts.
 */
import { Alert, Button, Code, Group, NativeSelect, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { displayText } from '../../../../shared/display-text.js';
import type { ExportReport } from '../../../../shared/ipc.js';
import { call, useApi } from '../../api.js';
import { ChannelField, channelNameValid } from '../../components/ChannelField.js';
import { DestinationPicker } from '../../components/DestinationPicker.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { JobProgress } from '../../components/JobProgress.js';
import { mediumNameAndPlace } from '../../components/media.js';
import { useJobRun } from '../../hooks/useJobRun.js';
import { useMedia } from '../../hooks/useMedia.js';
import { useT } from '../../i18n/useT.js';

/** The core's rule for bundle names (INVALID_NAME), as the export's destination step checks it. */
const NAME_RE = /^(?!\.)[A-Za-z0-9._-]{1,100}$/u;

type Target = 'folder' | 'medium';

/** Writable, mounted media offered now; polled only while the operator chooses among them. */
function MediumChoice({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const t = useT();
  const { media, error } = useMedia();
  const usable = (media ?? []).filter((m) => m.mountPoint !== null && !m.readOnly);
  return (
    <Stack gap="xs">
      <NativeSelect
        label={t('heartbeat.medium')}
        value={value ?? ''}
        onChange={(event) => onChange(event.currentTarget.value || null)}
        data={[
          { value: '', label: media === null ? t('heartbeat.medium.looking') : usable.length === 0 ? t('heartbeat.medium.none') : t('heartbeat.medium.pick') },
        ].concat(usable.map((m) => ({ value: m.id, label: displayText(mediumNameAndPlace(m)) })))}
      />
      {error ? <ErrorAlert error={error} /> : null}
    </Stack>
  );
}

function HeartbeatResult({ result }: { result: ExportReport }) {
  const t = useT();
  return (
    <Alert color="green" role="status" title={t('heartbeat.sent')} data-testid="heartbeat-result">
      <Stack gap={4}>
        <Text size="sm">
          <Code>{displayText(result.bundlePath)}</Code>
        </Text>
        {result.channel ? (
          <Text size="sm" data-sequence={result.channel.sequence}>
            {t('heartbeat.sequence', { channel: result.channel.channel, sequence: result.channel.sequence })}
          </Text>
        ) : null}
        {result.auditEvent !== undefined ? <Text size="sm">{t('feed.auditEvent', { seq: result.auditEvent })}</Text> : null}
      </Stack>
    </Alert>
  );
}

export function HeartbeatPanel() {
  const api = useApi();
  const t = useT();
  const run = useJobRun();
  const [channel, setChannel] = useState('');
  const [target, setTarget] = useState<Target>('folder');
  const [folder, setFolder] = useState<string | null>(null);
  const [mediumId, setMediumId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const nameError = name !== '' && !NAME_RE.test(name) ? t('heartbeat.nameError') : null;
  const destination =
    target === 'folder'
      ? folder === null
        ? null
        : { kind: 'folder' as const, path: folder }
      : mediumId === null
        ? null
        : { kind: 'medium' as const, mediumId };
  const ready = channelNameValid(channel) && destination !== null && nameError === null && passphrase !== '';
  const finished = run.job.finished;
  const result = finished?.kind === 'heartbeat' ? finished.result : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || destination === null) return;
    const secret = passphrase;
    setPassphrase('');
    await run.start(() => call(api, 'startHeartbeat', { channel, destination, passphrase: secret, ...(name === '' ? {} : { name }) }));
  };

  return (
    <Stack gap="sm" role="region" aria-labelledby="heartbeat-title" data-testid="heartbeat" maw={720}>
      <Title order={3} id="heartbeat-title">
        {t('heartbeat.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('heartbeat.intro')}
      </Text>
      {run.jobId === null ? (
        <form onSubmit={(e) => void submit(e)}>
          <Stack gap="sm">
            <ChannelField value={channel} onChange={setChannel} required />
            <Radio.Group
              label={t('heartbeat.where')}
              value={target}
              onChange={(value) => setTarget(value === 'medium' ? 'medium' : 'folder')}
              name="heartbeat-target"
            >
              <Group mt="xs">
                <Radio value="folder" label={t('heartbeat.where.folder')} />
                <Radio value="medium" label={t('heartbeat.where.medium')} />
              </Group>
            </Radio.Group>
            {target === 'folder' ? (
              <DestinationPicker purpose="export-destination" value={folder} onChange={setFolder} />
            ) : (
              <MediumChoice value={mediumId} onChange={setMediumId} />
            )}
            <TextInput
              label={t('heartbeat.name')}
              description={t('heartbeat.nameHelp')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameError}
            />
            <PasswordInput
              label={t('heartbeat.passphrase')}
              value={passphrase}
              onChange={(e) => setPassphrase(e.currentTarget.value)}
              autoComplete="off"
              required
              visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
            />
            <Group>
              <Button type="submit" disabled={!ready}>
                {t('heartbeat.send')}
              </Button>
            </Group>
            {run.error ? <ErrorAlert error={run.error} /> : null}
          </Stack>
        </form>
      ) : (
        <>
          {finished === null ? <JobProgress progress={run.job.progress} onCancel={run.cancel} cancelling={run.cancelling} /> : null}
          {result ? <HeartbeatResult result={result} /> : null}
          {finished?.error ? <ErrorAlert error={finished.error} /> : null}
          {finished !== null ? (
            <Group>
              <Button variant="default" onClick={run.reset}>
                {t('heartbeat.again')}
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Stack>
  );
}
