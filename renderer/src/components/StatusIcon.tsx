/**
 * Status is text plus an icon, never colour alone (WCAG 1.4.1): every pass/fail/warn/quarantine
 * badge and alert shows one of these shapes beside its words, so an operator who cannot tell red
 * from green, or reads a grey printout, still sees which is which. The icon is decoration for a
 * screen reader (aria-hidden): the words say it.
 */
import { Badge, Box, Text, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

export type StatusTone = 'pass' | 'fail' | 'warn' | 'quarantine' | 'info' | 'running' | 'neutral';

/** The Mantine palette each tone is drawn in (the text stays readable on it: see theme.ts). */
export const TONE_COLOR: Record<StatusTone, string> = {
  pass: 'green',
  fail: 'red',
  warn: 'yellow',
  quarantine: 'orange',
  info: 'blue',
  running: 'blue',
  neutral: 'gray',
};

/** One distinct shape per tone: tick, cross, triangle, shield, i, arrows, dash. */
const PATHS: Record<StatusTone, ReactNode> = {
  pass: <path d="M5 12.5l4.5 4.5L19 7.5" />,
  fail: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8.5 8.5l7 7M15.5 8.5l-7 7" />
    </>
  ),
  warn: (
    <>
      <path d="M12 3.5L2.5 20h19z" />
      <path d="M12 10v4.5M12 17.2v.3" />
    </>
  ),
  quarantine: (
    <>
      <path d="M12 3l7.5 3v5.5c0 4.5-3.2 8-7.5 9.5-4.3-1.5-7.5-5-7.5-9.5V6z" />
      <path d="M9.5 9.5v5M14.5 9.5v5" />
    </>
  ),
  info: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v5.5M12 7.8v.2" />
    </>
  ),
  running: (
    <>
      <path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3" />
      <path d="M19.5 4.5v3.5H16" />
    </>
  ),
  neutral: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8 12h8" />
    </>
  ),
};

export function StatusIcon({ tone, size = 14 }: { tone: StatusTone; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-status-icon={tone}
      style={{ flex: 'none', display: 'block' }}
    >
      {PATHS[tone]}
    </svg>
  );
}

export interface StatusBadgeProps extends Omit<BadgeProps, 'color' | 'leftSection'> {
  tone: StatusTone;
  children: ReactNode;
}

/** A badge that says its status in words and shows its icon; data-status-tone carries the tone for tests and styles. */
export function StatusBadge({ tone, children, variant = 'light', ...rest }: StatusBadgeProps) {
  return (
    <Badge color={TONE_COLOR[tone]} variant={variant} leftSection={<StatusIcon tone={tone} size={12} />} data-status-tone={tone} {...rest}>
      {children}
    </Badge>
  );
}

/**
 * A line of status text (a warning under a choice, a match confirmed): its icon, then its words in
 * the body colour (Mantine's yellow.8 or red.7 as text on white is under 4.5:1). Spans only, so it
 * fits inside a sentence or a radio's description as well as on its own line.
 */
export function StatusText({ tone, children, role }: { tone: StatusTone; children: ReactNode; role?: 'status' | 'alert' | undefined }) {
  return (
    <Text span size="sm" role={role} data-status-tone={tone} style={{ display: 'inline-flex', gap: 6, alignItems: 'baseline' }}>
      <Box component="span" c={`${TONE_COLOR[tone]}.9`} style={{ alignSelf: 'center' }}>
        <StatusIcon tone={tone} />
      </Box>
      <span>{children}</span>
    </Text>
  );
}
