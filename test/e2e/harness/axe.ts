/**
 * axe-core on what the page shows now: every WCAG 2.x A/AA rule and axe's best practices, over the
 * whole document (hidden sections are skipped by axe itself, as a screen reader skips them). A
 * serious or critical finding fails the caller; each is named by its rule id, impact and the
 * elements it concerns, so the report says what to fix where.
 *
 * axe-core is the one @axe-core/playwright ships, run in the page with axe.run(). The app has no
 * frames, so this is the same check as AxeBuilder.analyze(), without its cost: analyze() injects
 * axe's 650 KB source into the page on every call (twice in legacy mode) and, in its default mode,
 * opens a blank page to finish each run. That was 2.5-5 s per check on a loaded 2-core machine,
 * most of accessibility.e2e's 350 s (docs/design-notes.md, "Test suite wall time"). Here axe is
 * injected once per document and only violations are collected (resultTypes: axe still runs every
 * rule, it just stops listing every passing node).
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const BLOCKING = ['serious', 'critical'];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** axe-core's browser source, resolved from @axe-core/playwright (the dev dependency that pins it). */
const AXE_SOURCE = (() => {
  const fromAxePlaywright = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
  return (fromAxePlaywright('axe-core') as { source: string }).source;
})();

/** The slice of axe-core's in-page API used here (its full types are axe-core's, not a dependency of ours). */
interface AxeInPage {
  run(
    context: Document,
    options: { runOnly: { type: 'tag'; values: string[] }; resultTypes: string[] },
  ): Promise<{
    violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
  }>;
}

async function injectAxeOnce(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(AXE_SOURCE);
}

/** Every axe violation of impact serious or critical on the page as it is now. */
export async function blockingViolations(page: Page): Promise<AxeFinding[]> {
  await injectAxeOnce(page);
  return page.evaluate(
    async ({ tags, blocking }) => {
      const axe = (window as unknown as { axe: AxeInPage }).axe;
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations
        .filter((v) => blocking.includes(v.impact ?? ''))
        .map((v) => ({
          rule: v.id,
          impact: v.impact ?? 'unknown',
          help: v.help,
          targets: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/gu, ' ').trim()})` : ''}`),
        }));
    },
    { tags: TAGS, blocking: BLOCKING },
  );
}

/** One line per finding and target: "where: rule [impact] help -> target". */
export function describeFindings(where: string, findings: readonly AxeFinding[]): string {
  return findings.flatMap((f) => f.targets.map((t) => `${where}: ${f.rule} [${f.impact}] ${f.help} -> ${t}`)).join('\n');
}
