/** Export step 5: the bundle being written (and, on a medium, read back), live, with cancel. */
import { Group, List, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { SelectionSummary } from '../../../../shared/ipc.js';
import type { Progress, ProgressPhase } from '../../../../shared/progress.js';
import { JobProgress } from '../../components/JobProgress.js';
import { StepHeader } from '../../components/StepHeader.js';
import { StatusBadge } from '../../components/StatusIcon.js';
import type { MessageId } from '../../i18n/en.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';
import { MediaPhases } from './MediaPhases.js';

/** Phases after signing: reaching one proves the key was unlocked and the manifest signed. */
const SIGNED_PHASES = new Set<ProgressPhase>(['writing', 'writing-tag-files', 'syncing', 'reading-back', 'writing-receipts']);
/** Reported once the bundle is published and on record: nothing is left that a cancel could undo. */
const PUBLISHED_PHASE: ProgressPhase = 'writing-receipts';

interface Stage {
  name: MessageId;
  phases: ReadonlySet<ProgressPhase>;
}
// The two-pass export (removable media, or a signature that did not fit the room left for it):
// hash, sign, then write.
const PREPARE: Stage = { name: 'export.write.stage.prepare', phases: new Set(['scanning', 'hashing', 'signing']) };
const WRITE: Stage = { name: 'export.write.stage.write', phases: new Set(['writing', 'syncing']) };
const READ_BACK: Stage = { name: 'export.write.stage.readBack', phases: new Set(['reading-back']) };
// The one-pass export to a folder: each file hashed and written in one read, then the signed manifest.
const HASH_AND_WRITE: Stage = { name: 'export.write.stage.hashAndWrite', phases: new Set(['scanning', 'hashing-and-writing']) };
const SIGN_AND_FLUSH: Stage = { name: 'export.write.stage.signAndFlush', phases: new Set(['signing', 'writing-tag-files', 'syncing']) };
// Images from a registry on the sending side are fetched (and checked against their digests) first.
const PULL: Stage = { name: 'export.write.stage.pull', phases: new Set(['pulling-images']) };
// Every export ends with its receipts, after the bundle is published.
const RECEIPTS: Stage = { name: 'export.write.stage.receipts', phases: new Set([PUBLISHED_PHASE]) };
/** Phases only the two-pass export reports: seeing one switches a folder export's stage list to the two-pass one. */
const TWO_PASS_PHASES = new Set<ProgressPhase>(['hashing', 'writing']);
/** Phases only the one-pass export reports: seeing one switches a medium's stage list to the one-pass one. */
const ONE_PASS_PHASES = new Set<ProgressPhase>(['hashing-and-writing', 'writing-tag-files']);

export interface WriteStepProps {
  summary: SelectionSummary;
  /** Where the bundle goes, already displayText'ed: the folder, or the medium's name and mount point. */
  destinationText: string;
  /** Writing to a removable medium: the read-back stage follows the write. */
  toMedium: boolean;
  /** Staging for a second signature (`export --prepare`): hashed and signed, nothing written out yet. */
  staging?: boolean | undefined;
  /** What besides files the bundle carries, in a sentence; null for files only. */
  imagesFact?: string | null | undefined;
  /** The export fetches images from a registry (docker:// references, or a list file that may hold them). */
  pullsImages?: boolean | undefined;
  progress: Progress | null;
  /** The export failed in the read-back: the read-back phase shows failed. */
  readBackFailed?: boolean | undefined;
  cancelling: boolean;
  /** Absent once the job has ended. */
  onCancel?: (() => void) | undefined;
}

export function WriteStep({
  summary,
  destinationText,
  toMedium,
  staging = false,
  imagesFact = null,
  pullsImages = false,
  progress,
  readBackFailed = false,
  cancelling,
  onCancel,
}: WriteStepProps) {
  const t = useT();
  const f = useFormat();
  const published = progress?.phase === PUBLISHED_PHASE;
  // Which passes wrote the bundle is remembered: the receipts phase alone does not say (one pass or two).
  const twoPass = useTwoPass(progress);
  const onePassSeen = useOnePass(progress);
  // A medium takes one pass where it can (one file on ext4 and the like) and two elsewhere (FAT, parts): the phases seen decide.
  const onePass = toMedium ? onePassSeen : !twoPass;
  // A prepare hashes and signs and stops: the write (and a medium's read-back) comes at finish.
  const passes = staging
    ? [PREPARE]
    : toMedium
      ? onePass
        ? [HASH_AND_WRITE, SIGN_AND_FLUSH, READ_BACK]
        : [PREPARE, WRITE, READ_BACK]
      : twoPass
        ? [PREPARE, WRITE]
        : [HASH_AND_WRITE, SIGN_AND_FLUSH];
  const step = useRef<HTMLDivElement>(null);
  // Cancel vanishes at publish: had it the focus, the focus would fall to the page's start; the heading takes it.
  useEffect(() => {
    if (published && document.activeElement === document.body) step.current?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, [published]);
  // A prepare writes no receipts: its record is the export-prepare event.
  const stages = [...(pullsImages || progress?.phase === 'pulling-images' ? [PULL, ...passes] : passes), ...(staging ? [] : [RECEIPTS])];
  const current = progress ? stages.findIndex((s) => s.phases.has(progress.phase)) : 0;
  return (
    <Stack ref={step}>
      <StepHeader
        flow={t('flow.export')}
        step={5}
        of={6}
        title={staging ? t('export.write.titleStaged') : toMedium ? t('export.write.titleMedium') : t('export.write.title')}
        happens={staging ? t('export.write.happensStaged') : toMedium ? t('export.write.happensMedium') : t('export.write.happens')}
        proven={[
          t('export.selectionHolds', { files: summary.totalFiles, size: f.bytes(summary.totalBytes) }),
          ...(imagesFact ? [imagesFact] : []),
          t('export.write.destination', { destination: destinationText }),
          ...(progress && SIGNED_PHASES.has(progress.phase) ? [t('export.write.signed')] : []),
          ...(progress?.phase === 'reading-back' ? [t('export.write.flushed')] : []),
          ...(published ? [t('export.write.published')] : []),
        ]}
      />
      <List listStyleType="none" pl={0} spacing={4} aria-label={t('export.write.stages')}>
        {stages.map((stage, i) => {
          const state = current < 0 || i > current ? 'waiting' : i < current ? 'done' : 'now';
          return (
            <List.Item key={stage.name} aria-current={state === 'now' ? 'step' : undefined}>
              <Group gap="xs">
                <StatusBadge variant={state === 'now' ? 'filled' : 'light'} tone={state === 'done' ? 'pass' : state === 'now' ? 'running' : 'neutral'} miw={90}>
                  {state === 'done' ? t('export.write.state.done') : state === 'now' ? t('export.write.state.now') : t('export.write.state.next')}
                </StatusBadge>
                <Text size="sm">{t(stage.name)}</Text>
              </Group>
            </List.Item>
          );
        })}
      </List>
      {toMedium ? <MediaPhases progress={progress} readBackFailed={readBackFailed} /> : null}
      {/* Once published, Cancel is gone: it could no longer undo anything (the receipts complete, or their warning says why not). */}
      <JobProgress progress={progress} cancelling={cancelling} onCancel={published ? undefined : onCancel} />
    </Stack>
  );
}

/** Whether this job has reported a phase only the two-pass export has; kept once seen. */
function useTwoPass(progress: Progress | null): boolean {
  const seen = useRef(false);
  if (progress && TWO_PASS_PHASES.has(progress.phase)) seen.current = true;
  return seen.current;
}

/** Whether this job has reported a phase only the one-pass export has; kept once seen (a medium's export). */
function useOnePass(progress: Progress | null): boolean {
  const seen = useRef(false);
  if (progress && ONE_PASS_PHASES.has(progress.phase)) seen.current = true;
  return seen.current;
}
