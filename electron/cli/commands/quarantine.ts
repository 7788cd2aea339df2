import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { formatSize, plural } from '../../../shared/format.js';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import { AirlockError, parseGpgSignerOption, type QuarantineDetail, type SignerSpec, type Station } from '../../core/index.js';
import { write, type CliIo } from '../io.js';
import { obtainPassphrase, promptLine, readPassphraseFile } from '../passphrase.js';
import { progressLine } from '../progress-line.js';
import { renderVerifyResult } from '../render.js';
import type { CommandContext } from '../context.js';

interface ReleaseCliOptions {
  dest: string;
  reason: string;
  signer?: string;
  key?: string;
  passphraseFile?: string;
  yes?: boolean;
  json?: boolean;
}

interface PurgeCliOptions {
  allReleased?: boolean;
  olderThan?: string;
  json?: boolean;
}

export function registerQuarantine(program: Command, ctx: CommandContext): void {
  const quarantine = program
    .command('quarantine')
    .description('bundles refused by content inspection, kept by the station: list, show, release (audited), purge');

  quarantine
    .command('list')
    .description('every kept bundle, oldest first: id, status, the problem codes that refused it')
    .action(async (opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const entries = await station.quarantineList();
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, entries }));
        else write(io.stdout, renderList(entries));
        return EXIT.OK;
      });
    });

  quarantine
    .command('show')
    .description('one kept bundle: why it was refused (every finding), its files, the release decisions so far')
    .argument('<id>', 'the id quarantine list shows')
    .action(async (id: string, opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const detail = await station.quarantineShow(id);
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, ...detail }));
        else write(io.stdout, renderDetail(detail));
        return EXIT.OK;
      });
    });

  quarantine
    .command('release')
    .description(
      'release a kept bundle: it is verified again in full and imported to DIR/<bundle name>, overriding only the findings recorded when it was kept (audited; two persons, each with their own key, where the policy says so)',
    )
    .argument('<id>', 'the id quarantine list shows')
    .requiredOption('-d, --dest <dir>', 'destination folder, as with import')
    .requiredOption('--reason <text>', 'why it is released, in words (recorded in the audit log)')
    .option('--signer <spec>', 'sign your decision with your GnuPG key: gpg:<fingerprint>')
    .option('--key <file>', 'sign your decision with your own armored private key file')
    .option('--passphrase-file <file>', 'passphrase for your key, or the station key (which then also signs the receipt)')
    .option('-y, --yes', 'release without the interactive confirmation (scripts); you have read quarantine show')
    .action(async (id: string, opts: ReleaseCliOptions) => {
      await ctx.run(async (station, io) => {
        if (opts.signer !== undefined && opts.key !== undefined) throw new AirlockError('USAGE', 'Choose --signer or --key, not both.');
        const detail = await station.quarantineShow(id);
        if (!opts.json) write(io.stderr, renderDetail(detail));
        if (!opts.yes) {
          if (!io.stdin.isTTY)
            throw new AirlockError('USAGE', 'Read what was found (above), then confirm: on a terminal you are asked; in scripts pass --yes.');
          const answer = await promptLine(io, `Type the id (${detail.entry.id}) to release it: `);
          if (answer.trim() !== detail.entry.id) throw new AirlockError('CANCELLED', 'Not released.');
        }
        const spec = await decisionSigner(station, io, opts, detail.approvals.required);
        const progress = progressLine(io);
        let outcome;
        try {
          outcome = await station.quarantineRelease({
            id,
            destDir: opts.dest,
            reason: opts.reason,
            signer: spec,
            passphrase: spec?.kind === 'station' ? spec.passphrase : undefined,
            signal: io.signal,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.done();
        }
        const imported = outcome.import;
        for (const warning of imported?.warnings ?? []) write(io.stderr, displayText(`warning: ${warning}`));
        if (opts.json) write(io.stdout, JSON.stringify({ ok: imported === null ? true : imported.ok, ...outcome }));
        else if (imported === null) {
          write(io.stdout, displayText(`APPROVED  ${outcome.entry.id}: ${outcome.approvals.given} of ${plural(outcome.approvals.required, 'decision')}.`));
          write(
            io.stdout,
            displayText(
              `Next: a second operator releases it with their own key: airlock quarantine release ${outcome.entry.id} --dest ${opts.dest} --reason TEXT --key FILE`,
            ),
          );
          write(io.stdout, `  audit event #${outcome.auditEvent}`);
        } else {
          write(io.stdout, renderVerifyResult(imported, 'import', { verbose: ctx.globals().verbose === true }));
          for (const p of imported.overridden ?? [])
            write(
              io.stdout,
              displayText(p.path === undefined ? `  overridden  ${p.code}  ${p.message}` : `  overridden  ${p.code}  ${p.path}${memberText(p.members)}`),
            );
          if (!imported.ok) write(io.stdout, 'Not released: nothing was imported; the bundle stays in quarantine.');
          else if (imported.destination !== null) write(io.stdout, displayText(`RELEASED  ${outcome.entry.id}  to ${imported.destination}`));
          if (imported.receipt) write(io.stdout, displayText(`  receipt ${imported.receipt.html}${imported.receipt.signature ? ' (signed)' : ' (unsigned)'}`));
          write(io.stdout, `  audit events #${imported.auditEvent} (import), #${outcome.auditEvent} (quarantine-release)`);
        }
        return imported === null || imported.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });

  quarantine
    .command('purge')
    .description('delete kept bundles for good (audited): by id, every released one, or every one kept longer than DAYS days')
    .argument('[ids...]', 'ids quarantine list shows')
    .option('--all-released', 'every bundle already released')
    .option('--older-than <days>', 'every bundle (held or released) kept longer than this many days')
    .action(async (ids: string[], opts: PurgeCliOptions) => {
      await ctx.run(async (station, io) => {
        const olderThanDays = opts.olderThan === undefined ? undefined : Number(opts.olderThan);
        if (olderThanDays !== undefined && (!Number.isInteger(olderThanDays) || olderThanDays < 0))
          throw new AirlockError('USAGE', '--older-than takes a whole number of days (0 or more).');
        const outcome = await station.quarantinePurge({ ids, allReleased: opts.allReleased, olderThanDays });
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, ...outcome }));
        else {
          write(io.stdout, `Purged ${plural(outcome.purged.length, 'bundle')}.`);
          for (const p of outcome.purged) write(io.stdout, displayText(`  ${p.id}  ${p.status}  ${p.bundleName}`));
          if (outcome.auditEvent !== null) write(io.stdout, `  audit event #${outcome.auditEvent}`);
        }
        return EXIT.OK;
      });
    });
}

/** Who signs the decision: --signer, --key, or the station key (asked for where two persons are required, or when a passphrase file is given). */
async function decisionSigner(station: Station, io: CliIo, opts: ReleaseCliOptions, required: 1 | 2): Promise<SignerSpec | undefined> {
  if (opts.signer !== undefined)
    return {
      kind: 'gpg',
      fingerprint: parseGpgSignerOption(opts.signer),
      homedir: io.env.GNUPGHOME || undefined,
      passphrase: opts.passphraseFile !== undefined ? await readPassphraseFile(opts.passphraseFile, io) : undefined,
    };
  if (opts.key !== undefined) {
    const file = opts.key;
    return {
      kind: 'key-file',
      file,
      passphrase: await obtainPassphrase(io, opts.passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'key-file', file, passphrase }) }),
    };
  }
  if (required === 1 && opts.passphraseFile === undefined) return undefined;
  return {
    kind: 'station',
    passphrase: await obtainPassphrase(io, opts.passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'station', passphrase }) }),
  };
}

function memberText(members: string[] | undefined): string {
  return members && members.length > 0 ? ` > ${members.join(' > ')}` : '';
}

function renderList(entries: QuarantineEntry[]): string {
  if (entries.length === 0) return 'The quarantine is empty.\n';
  const lines = [`${plural(entries.length, 'bundle')} in quarantine:`];
  for (const e of entries) {
    lines.push(`  ${e.id}  ${e.status.padEnd(8)}  ${formatSize(e.bytes).padStart(9)}  ${e.bundleName}`);
    lines.push(`      ${e.codes.join(', ')}${e.releasedTo ? `; released to ${e.releasedTo}` : ''}`);
  }
  return `${lines.map(displayText).join('\n')}\n`;
}

function renderDetail(detail: QuarantineDetail): string {
  const e = detail.entry;
  const lines = [
    `QUARANTINED  ${e.id}  (${e.status})`,
    `  bundle ${e.bundleName}, kept ${e.quarantinedAt}, ${formatSize(e.bytes)} in ${detail.path}`,
    `  tag manifest ${e.tagmanifestSha256 ?? 'unknown'}`,
  ];
  for (const fpr of e.signers) lines.push(`  signed by ${groupFingerprint(fpr)}`);
  lines.push(`  refused for: ${e.codes.join(', ')}`);
  // Every finding recorded, counted per code (the list below names the first 1,000; a release overrides all of them).
  const counts = Object.entries(e.findingCounts ?? {});
  if (counts.length > 0) lines.push(`  findings recorded: ${counts.map(([code, n]) => `${code} ${n}`).join(', ')}`);
  for (const p of detail.report.problems) {
    lines.push(`    ${p.code}  ${p.path ?? ''}${memberText(p.members)}`);
    lines.push(`      ${p.message}`);
  }
  for (const f of detail.files) lines.push(`  file ${f.name}  ${formatSize(f.bytes)}`);
  for (const r of e.releases)
    lines.push(`  decision by ${r.operator}${r.fingerprint ? ` (key ${groupFingerprint(r.fingerprint)})` : ''} at ${r.at}: ${r.reason}`);
  lines.push(`  release approvals: ${detail.approvals.given} of ${detail.approvals.required}${e.releasedTo ? `; released to ${e.releasedTo}` : ''}`);
  if (detail.releasingTo) lines.push(`  a release to ${detail.releasingTo} is under way (or was interrupted)`);
  return `${lines.map(displayText).join('\n')}\n`;
}
