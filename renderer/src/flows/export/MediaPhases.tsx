/**
 * Writing to a medium as three labelled phases, each with its own bytes, rate and time left
 * (issue #19.4): write (into the system's cache, fast), flush (onto the medium: on a stick most
 * of the time), read back (past the page cache). A phase's last figures stay when the next one
 * starts, so the operator sees how each went. Status is text and a symbol, never colour alone.
 */
import { Group, List, Text } from '@mantine/core';
import { useRef } from 'react';
import type { Progress, ProgressPhase } from '../../../../shared/progress.js';
import { formatDuration } from '../../../../shared/format.js';
import { useFormat } from '../../i18n/format.js';
import { useT } from '../../i18n/useT.js';

export const MEDIA_PHASES = ['writing', 'syncing', 'reading-back'] as const satisfies readonly ProgressPhase[];
type MediaPhase = (typeof MEDIA_PHASES)[number];

export type PhaseState = 'waiting' | 'now' | 'done' | 'failed';

const SYMBOL: Record<PhaseState, string> = { waiting: '○', now: '▶', done: '✓', failed: '✗' };
const COLOR: Record<PhaseState, string> = { waiting: 'dimmed', now: 'blue.8', done: 'green.8', failed: 'red.8' };

/**
 * The row a phase shows in. A bundle written to ext4 and the like in one pass reports its write as
 * `hashing-and-writing` (each source hashed as its record is written): the same write row.
 */
function mediaPhaseOf(phase: ProgressPhase): MediaPhase | null {
  if (phase === 'hashing-and-writing') return 'writing';
  return (MEDIA_PHASES as readonly ProgressPhase[]).includes(phase) ? (phase as MediaPhase) : null;
}

/** The last progress seen of each media phase (a later write after a flush, for the next part, replaces the earlier). */
function usePhaseFigures(progress: Progress | null): Partial<Record<MediaPhase, Progress>> {
  const seen = useRef<Partial<Record<MediaPhase, Progress>>>({});
  const row = progress ? mediaPhaseOf(progress.phase) : null;
  if (progress && row) seen.current[row] = progress;
  return seen.current;
}

export interface MediaPhasesProps {
  progress: Progress | null;
  /** The job ended in a failed read-back: that phase is shown failed, never done. */
  readBackFailed?: boolean | undefined;
}

export function MediaPhases({ progress, readBackFailed = false }: MediaPhasesProps) {
  const t = useT();
  const format = useFormat();
  const figures = usePhaseFigures(progress);
  const row = progress ? mediaPhaseOf(progress.phase) : null;
  const current = row ? MEDIA_PHASES.indexOf(row) : -1;
  // The phase running now decides (a next part's write after a flush is "now" again); else the furthest seen.
  const reached = current >= 0 ? current : Math.max(...MEDIA_PHASES.map((p, i) => (figures[p] ? i : -1)));
  const stateOf = (i: number): PhaseState => {
    if (readBackFailed) return MEDIA_PHASES[i] === 'reading-back' ? 'failed' : 'done';
    if (i < reached) return 'done';
    if (i === reached) return current === reached ? 'now' : 'done';
    return 'waiting';
  };
  return (
    <List listStyleType="none" pl={0} spacing={6} aria-label={t('mediaStep.phases.label')}>
      {MEDIA_PHASES.map((phase, i) => {
        const state = stateOf(i);
        const p = figures[phase];
        const eta =
          state === 'now' && p?.etaSeconds != null
            ? p.etaSeconds < 1
              ? t('mediaStep.figures.etaUnderSecond')
              : t('mediaStep.figures.eta', { eta: formatDuration(p.etaSeconds) })
            : '';
        return (
          <List.Item key={phase} aria-current={state === 'now' ? 'step' : undefined} data-media-phase={phase} data-state={state}>
            <Group gap="xs" wrap="wrap">
              <Text span fw={600} c={COLOR[state]} aria-hidden="true" w={18}>
                {SYMBOL[state]}
              </Text>
              <Text span fw={600}>
                {t(`mediaStep.phase.${phase}`)}
              </Text>
              <Text span size="sm" c={COLOR[state]}>
                ({t(`mediaStep.state.${state}`)})
              </Text>
              {p ? (
                <Text span size="sm">
                  {p.bytesTotal !== null
                    ? t('mediaStep.figures.bytes', { done: format.bytes(p.bytesDone), total: format.bytes(p.bytesTotal) })
                    : format.bytes(p.bytesDone)}
                </Text>
              ) : null}
              {p && p.rateBytesPerSecond !== null ? (
                <Text span size="sm">
                  {t('mediaStep.figures.rate', { rate: format.rate(p.rateBytesPerSecond) })}
                </Text>
              ) : null}
              {eta ? (
                <Text span size="sm">
                  {eta}
                </Text>
              ) : null}
            </Group>
            <Text size="xs" c="dimmed" pl={26}>
              {t(`mediaStep.phase.${phase}.detail`)}
            </Text>
          </List.Item>
        );
      })}
    </List>
  );
}
