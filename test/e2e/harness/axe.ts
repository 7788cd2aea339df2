/**
 * axe-core (through @axe-core/playwright) on what the page shows now: every WCAG 2.x A/AA rule and
 * axe's best practices, over the whole document (hidden sections are skipped by axe itself, as a
 * screen reader skips them). A serious or critical finding fails the caller; each is named by its
 * rule id, impact and the elements it concerns, so the report says what to fix where.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const BLOCKING = new Set(['serious', 'critical']);
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Every axe violation of impact serious or critical on the page as it is now. */
export async function blockingViolations(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return results.violations
    .filter((v) => BLOCKING.has(v.impact ?? ''))
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/gu, ' ').trim()})` : ''}`),
    }));
}

/** One line per finding and target: "where: rule [impact] help -> target". */
export function describeFindings(where: string, findings: readonly AxeFinding[]): string {
  return findings.flatMap((f) => f.targets.map((t) => `${where}: ${f.rule} [${f.impact}] ${f.help} -> ${t}`)).join('\n');
}
