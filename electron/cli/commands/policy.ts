import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { formatSize, plural } from '../../../shared/format.js';
import type { InspectPolicy, PolicyCheck } from '../../core/index.js';
import { scannerLine } from '../inspection-lines.js';
import { write } from '../io.js';
import { cliProblemNextStep } from '../next-step.js';
import type { CommandContext } from '../context.js';

/**
 * `airlock policy check [FILE]` (issue #16.1): is policy.json right, before any bundle depends on
 * it? A mistake is CONFIG_INVALID naming the field (exit 3, like every operational error). A valid
 * policy shows its inspect section as the station applies it and the scanner's status; a scanner
 * that is unusable or too old for the policy is reported with the code import would give (exit 3).
 */
export function registerPolicy(program: Command, ctx: CommandContext): void {
  const policy = program.command('policy').description("the station's policy.json: limits, names, signers, content inspection");
  policy
    .command('check')
    .description("validate policy.json (the station's, or FILE) and show the content inspection it sets up, with the scanner's status")
    .argument('[file]', "a policy file to check instead of the station's own (e.g. before installing it)")
    .action(async (file: string | undefined, opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const check = await station.checkPolicy(file, new Date(), io.signal);
        const ready = check.readiness.problems.length === 0;
        if (opts.json) {
          write(
            io.stdout,
            JSON.stringify({
              ok: ready,
              file: check.file,
              exists: check.exists,
              inspect: check.policy,
              scanner: check.scanner,
              problems: check.readiness.problems,
              warnings: check.readiness.warnings,
            }),
          );
        } else write(io.stdout, renderPolicyCheck(check));
        return ready ? EXIT.OK : EXIT.OPERATIONAL;
      });
    });
}

export function renderPolicyCheck(check: PolicyCheck): string {
  const lines = [check.exists ? `POLICY OK  ${check.file}` : `POLICY OK  ${check.file} does not exist: the defaults apply`];
  lines.push(...inspectLines(check.policy));
  if (check.policy !== null) lines.push(`  Scanner: ${scannerLine(check.scanner)}`);
  for (const warning of check.readiness.warnings) lines.push(`  warning: ${warning}`);
  for (const p of check.readiness.problems) {
    lines.push(`  ${p.code}`);
    lines.push(`    ${p.message}`);
    lines.push(`    Next: ${cliProblemNextStep(p.code)}`);
  }
  return `${lines.map(displayText).join('\n')}\n`;
}

function list(values: readonly string[] | null, none: string): string {
  if (values === null) return none;
  return values.length === 0 ? 'none' : values.join(', ');
}

function inspectLines(policy: InspectPolicy | null): string[] {
  if (policy === null) return ['  Content inspection: off (policy.json has no "inspect" section; bundles are verified, not inspected)'];
  const { types: t, archives: a, scan: s, quarantine: q } = policy;
  const scanner = s === null ? null : s.scanner.kind === 'clamd' ? `clamd ${s.scanner.address}` : `command ${s.scanner.argv.join(' ')}`;
  return [
    '  Content inspection: on',
    `    Types: allow ${list(t.allow, 'any not denied')}; deny ${list(t.deny, 'none')}; extensions allow ${list(t.allowExtensions, 'any not denied')}, deny ${list(t.denyExtensions, 'none')}`,
    `    Rules: extension mismatch ${t.onMismatch}, undetected type ${t.onUndetected}, Office macros ${t.macros}`,
    a.expand
      ? `    Archives: opened; depth ${a.maxDepth}, ${plural(a.maxEntries, 'member')}, ${formatSize(a.maxExpandedBytes)} expanded, ratio ${a.maxRatio}; encrypted ${a.encrypted}, unreadable ${a.unreadable}`
      : `    Archives: not opened (archives.expand is false); unsupported kinds ${a.unreadable}`,
    s === null
      ? '    Scan: none (no malware scanner configured)'
      : `    Scan: ${scanner}; ${s.timeoutSeconds} s per file; database at most ${plural(s.maxDatabaseAgeDays, 'day')} old (else ${s.onStaleDatabase}); scan errors ${s.onError}${s.databaseDir ? `; database files in ${s.databaseDir}` : ''}`,
    `    Quarantine: ${q.keep ? 'refused bundles kept' : 'refused bundles not kept'}; ${q.releaseApprovals === 2 ? 'two operators' : 'one operator'} to release`,
  ];
}
