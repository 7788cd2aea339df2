import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { EXIT } from '../../../shared/exit-codes.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { formatSize, plural } from '../../../shared/format.js';
import type { MediaRef, MediaVolume } from '../../../shared/media.js';
import { parseSizeText } from '../../../shared/size.js';
import type { Problem } from '../../../shared/problems.js';
import {
  AirlockError,
  type MediaAsk,
  type MediaExportOutcome,
  type MediaExportRequest,
  type MediaVerifyReport,
  type NextMediumRequest,
  type SignerSpec,
  type Station,
} from '../../core/index.js';
import { printImages } from '../image-lines.js';
import { optionalPassphrase } from '../passphrase.js';
import { write, type CliIo } from '../io.js';
import { cliNextStep, cliProblemNextStep } from '../next-step.js';
import { progressLine } from '../progress-line.js';
import type { CommandContext } from '../context.js';

/** Binary sizes: 4096, 64K, 700M, 8G, 1.5GiB (K, M, G, T are powers of 1024). */
export function parseSize(text: string, what: string): number {
  const value = parseSizeText(text);
  if (value === null) throw new AirlockError('USAGE', `${what}: "${text}" is not a size (e.g. 700M, 8G, 4096).`);
  if (value < 1) throw new AirlockError('USAGE', `${what}: "${text}" is out of range.`);
  return value;
}

/** One line typed on the terminal (echoed). Ctrl-C or Ctrl-D cancels. */
function promptLine(io: CliIo, question: string): Promise<string> {
  const { stdin } = io;
  io.stderr.write(question);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error: Error | null): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      io.signal.removeEventListener('abort', onAbort);
      stdin.pause();
      if (error) reject(error);
      else resolve(text.trim());
    };
    // Ctrl-C on a cooked terminal arrives as SIGINT, which aborts io.signal.
    const onAbort = (): void => done(new AirlockError('CANCELLED'));
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\u0003' || char === '\u0004') return done(new AirlockError('CANCELLED'));
        if (char === '\n' || char === '\r') return done(null);
        text += char;
      }
    };
    const onEnd = (): void => done(new AirlockError('CANCELLED'));
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    if (io.signal.aborted) onAbort();
    else io.signal.addEventListener('abort', onAbort);
  });
}

function describe(v: { label: string | null; device: string | null; mountPoint: string | null }): string {
  return [v.label ? `"${v.label}"` : null, v.device, v.mountPoint ? `at ${v.mountPoint}` : null].filter((x) => x !== null).join(' ');
}

/** On a terminal: ask for the medium holding a missing part or index of a split bundle. */
export function mediaAsk(io: CliIo): MediaAsk | undefined {
  if (!io.stdin.isTTY) return undefined;
  return async (wanted) => {
    const which =
      wanted.volume === null
        ? `the medium holding ${wanted.files.join(', ')}`
        : `volume ${wanted.volume}${wanted.label ? ` (label ${wanted.label})` : ''} holding ${wanted.files.join(', ')}`;
    const answer = await promptLine(io, displayText(`Insert ${which} of ${wanted.name}, then press Enter (q to stop): `));
    return answer.toLowerCase() !== 'q';
  };
}

/** `{ askForMedium }` for verify and import requests: set only on a terminal. */
export function askForMediumOption(io: CliIo): { askForMedium?: MediaAsk } {
  const ask = mediaAsk(io);
  return ask ? { askForMedium: ask } : {};
}

/** On a terminal: the next medium for a multi-volume export (the previous one may be ejected first). */
function nextMediumPrompt(io: CliIo, station: Station, eject: boolean): ((request: NextMediumRequest) => Promise<string>) | undefined {
  if (!io.stdin.isTTY) return undefined;
  return async (request) => {
    const previous = request.used.at(-1);
    if (request.problem === null && previous) {
      write(io.stderr, displayText(`Volume ${request.used.length} of ${request.volumes} is written and read back: ${describe(previous)}.`));
      if (eject && previous.mountPoint) {
        const ejected = await station.ejectMedia(previous.mountPoint).then(
          (result) => result.actions.join('; '),
          (error: unknown) => `not ejected: ${error instanceof Error ? error.message : String(error)}`,
        );
        write(io.stderr, displayText(`  ${ejected}.`));
      }
    }
    if (request.problem !== null) write(io.stderr, displayText(`That medium cannot be used: ${request.problem}`));
    for (;;) {
      const answer = await promptLine(
        io,
        displayText(
          `Insert the medium for volume ${request.volume} of ${request.volumes} (${formatSize(request.bytes)} free needed), then type its device, label or mount point (Enter: the one new medium; q: stop): `,
        ),
      );
      if (answer.toLowerCase() === 'q') throw new AirlockError('CANCELLED');
      if (answer !== '') return answer;
      const fresh = (await station.listMedia()).filter((m) => m.mountPoint !== null && !request.used.some((u) => u.mountPoint === m.mountPoint));
      if (fresh.length === 1) return (fresh[0] as MediaVolume).id;
      write(
        io.stderr,
        fresh.length === 0 ? 'No new medium is mounted yet.' : displayText(`Several media are inserted: ${fresh.map(describe).join('; ')}. Type one.`),
      );
    }
  };
}

/** The line shown before writing to a large drive (issue #19.4): more often a backup or system disk than a transfer medium. */
export function largeDriveWarning(medium: MediaVolume): string {
  return `warning: ${describe(medium)} is a large drive (${formatSize(medium.size ?? 0)}): such drives are more often backup or system disks than transfer media. Make sure it is the medium you mean; everything else on it leaves with it.`;
}

export interface MediaExportCliOptions {
  toMedia: string;
  /** Images and charts (issue #15), as the export command parsed them. */
  images?: Pick<MediaExportRequest, 'images' | 'imagesFrom' | 'platforms' | 'charts' | 'skipBlobsIn' | 'registry'> | undefined;
  volumeSize?: string;
  partSize?: string;
  eject?: boolean;
  name?: string;
  channel?: string;
  /** `export --finish STAGED --to-media`: the staged export to write (it names its files, name and channel). */
  finish?: string | undefined;
  json?: boolean;
}

/** `airlock export --to-media ID[,ID...] PATH...`, and `export --finish STAGED --to-media ID[,ID...]`. */
export async function runMediaExport(station: Station, io: CliIo, paths: string[], signer: SignerSpec, opts: MediaExportCliOptions): Promise<number> {
  const media = opts.toMedia
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (media.length === 0) throw new AirlockError('USAGE', '--to-media needs a medium: its device, label or mount point (see `airlock media list`).');
  const progress = progressLine(io);
  const ask = nextMediumPrompt(io, station, opts.eject === true);
  // What goes where and how: the same for a new export and a staged one finished onto media.
  const target = {
    media,
    signer,
    signal: io.signal,
    volumeSize: opts.volumeSize !== undefined ? parseSize(opts.volumeSize, '--volume-size') : undefined,
    partSize: opts.partSize !== undefined ? parseSize(opts.partSize, '--part-size') : undefined,
    nextMedium: ask,
    onMediaChosen: (chosen: readonly MediaVolume[]) => {
      for (const medium of chosen) if (medium.large) write(io.stderr, displayText(largeDriveWarning(medium)));
    },
    onProgress: progress.onProgress,
  };
  let result: MediaExportOutcome;
  try {
    result =
      opts.finish !== undefined
        ? await station.finishExportToMedia({ ...target, stagedDir: opts.finish })
        : await station.exportToMedia({ ...opts.images, ...target, selection: paths, name: opts.name, channel: opts.channel });
  } catch (error) {
    progress.done();
    if (error instanceof AirlockError && error.code === 'MEDIA_READBACK_FAILED')
      write(io.stderr, 'The medium was not ejected: it does not hold what was written.');
    throw error;
  } finally {
    progress.done();
  }
  for (const warning of result.warnings) write(io.stderr, displayText(`warning: ${warning.path}: ${warning.message}`));
  for (const left of result.media.removedLeftovers) write(io.stderr, displayText(`removed ${left}, left by an interrupted write`));
  const ejected: string[] = [];
  if (opts.eject) {
    const last = result.media.volumes.at(-1)?.medium;
    if (last?.mountPoint) ejected.push(...(await station.ejectMedia(last.mountPoint)).actions);
  }
  if (opts.json) {
    write(io.stdout, JSON.stringify({ ok: true, bundle: result, ejected }));
    return EXIT.OK;
  }
  const m = result.media;
  write(
    io.stdout,
    displayText(
      `Exported ${result.name} to ${m.volumes.length === 1 ? 'one medium' : `${m.volumes.length} media`}${m.split ? `: ${plural(m.parts, 'part')} and a signed volume index` : ''}`,
    ),
  );
  for (const v of m.volumes) {
    write(io.stdout, displayText(`  volume ${v.number}  ${describe(v.medium)}${v.medium.filesystem ? ` (${v.medium.filesystem})` : ''}`));
    for (const file of v.files) write(io.stdout, displayText(`    ${file}`));
    const rb = v.readBack;
    if (rb)
      write(
        io.stdout,
        displayText(
          `    read back ${formatSize(rb.bytes)} in ${rb.seconds.toFixed(1)} s, ${rb.method}${rb.bypassesCache ? ' (past the page cache)' : ' (THE CACHE WAS NOT BYPASSED)'}: every byte matches`,
        ),
      );
  }
  write(io.stdout, `  ${plural(result.files, 'file')}, ${formatSize(result.bytes)} payload, ${formatSize(result.bundleBytes)} written (fsynced)`);
  write(io.stdout, `  id ${result.uuid}, sequence ${result.sequence}`);
  for (const s of result.signers) write(io.stdout, displayText(`  signed by ${s.userIds.join(', ')}  ${groupFingerprint(s.fingerprint)}`));
  if (result.images) printImages(io, result.images);
  if (result.receipt) write(io.stdout, displayText(`  receipt ${result.receipt.html}${result.receipt.signature ? ' (signed)' : ''}`));
  if (result.receipt?.pdf) write(io.stdout, displayText(`  receipt PDF ${result.receipt.pdf}${result.receipt.pdfSignature ? ' (signed)' : ''}`));
  write(io.stdout, `  audit event #${result.auditEvent}${result.checkpoint ? ', checkpoint signed' : ''}`);
  for (const action of ejected) write(io.stdout, displayText(`  ${action}`));
  return EXIT.OK;
}

function cell(value: string | number | null): string {
  return value === null ? '-' : String(value);
}

export function renderMediaList(media: MediaVolume[]): string {
  if (media.length === 0) return 'No removable media found. Insert a medium, or declare folders as media with "mediaRoots" in config.json.\n';
  const rows = media.map((m) => [
    cell(m.device ?? (m.source === 'config' ? m.id : null)),
    cell(m.label),
    cell(m.filesystem),
    m.size === null ? '-' : formatSize(m.size),
    m.free === null ? '-' : formatSize(m.free),
    cell(m.mountPoint ?? '(not mounted)'),
    cell([m.vendor, m.model].filter((x) => x !== null).join(' ') || null),
    cell(m.serial),
    [m.readOnly ? 'read-only' : null, m.source === 'config' ? 'declared in config.json' : null].filter((x) => x !== null).join(', '),
  ]);
  const header = ['DEVICE', 'LABEL', 'FS', 'SIZE', 'FREE', 'MOUNTED AT', 'MODEL', 'SERIAL', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].map(displayText).join('\n')}\n`;
}

function renderProblem(p: Problem): string[] {
  return [`  ${p.code}${p.path ? `  ${p.path}` : ''}`, `    ${p.message}`, `    Next: ${cliProblemNextStep(p.code)}`];
}

export function renderMediaVerify(report: MediaVerifyReport): string {
  const lines: string[] = [];
  const where = report.medium ? `${describe(report.medium)}` : report.dir;
  const how = report.readBack
    ? `read ${report.readBack.bypassesCache ? 'past the page cache' : 'WITHOUT bypassing the cache'}: ${report.readBack.method}`
    : 'nothing to read';
  if (report.items.length === 0) lines.push(`NOTHING TO VERIFY  ${where}: no Airlock bundle or part set on it`);
  else lines.push(`${report.ok ? 'VERIFIED' : 'REJECTED'}  ${where}  (${how})`);
  for (const item of report.items) {
    const r = item.result;
    const name = r.bundle.name ?? item.file;
    if (item.kind === 'bundle' || item.reassembled) {
      lines.push(
        `  ${item.ok ? 'ok      ' : 'REJECTED'}  ${item.file}: ${name}, ${plural(r.bundle.files, 'file')}, ${formatSize(r.bundle.bytes)}${item.reassembled ? `, reassembled from ${plural(r.parts?.count ?? 0, 'part')}` : ''}`,
      );
    } else {
      const here = (r.parts?.files ?? []).filter((p) => p.path !== null).length;
      lines.push(
        `  ${item.ok ? 'ok      ' : 'REJECTED'}  ${item.file}: ${name}, ${here} of ${plural(r.parts?.count ?? 0, 'part')} on this medium match the signed index (the rest are on other volumes)`,
      );
    }
    for (const s of r.signers) lines.push(`            signed by ${s.userIds.join(', ')}  ${groupFingerprint(s.fingerprint)}`);
  }
  for (const p of report.problems) lines.push(...renderProblem(p));
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  lines.push(...receiptLines(report));
  return `${lines.map(displayText).join('\n')}\n`;
}

/** Where the verification's receipts went (never onto the medium), or why they did not. */
function receiptLines(report: MediaVerifyReport): string[] {
  const r = report.receipt;
  if (r === undefined) return [];
  if (r.problem !== null) return [`  NO RECEIPT  ${r.problem.code}: ${r.problem.message}`, `    Next: ${cliNextStep({ code: 'RECEIPT_DIR_UNUSABLE' })}`];
  const lines = [`  receipts in ${r.dir}${r.signed ? ' (signed)' : ' (unsigned)'}`];
  for (const set of r.sets) {
    lines.push(`    receipt ${set.html}${set.signature ? ' (signed)' : ' (unsigned)'}`);
    if (set.pdf) lines.push(`    receipt PDF ${set.pdf}${set.pdfSignature ? ' (signed)' : ''}`);
  }
  if (report.auditEvent !== undefined) lines.push(`  audit event #${report.auditEvent}`);
  return lines;
}

function mediaRefText(m: MediaRef): string {
  return describe(m);
}

export function registerMedia(program: Command, ctx: CommandContext): void {
  const media = program.command('media').description('removable media: list them, verify what one holds, eject one');

  media
    .command('list')
    .description('removable volumes (never a system disk) and the folders declared as media in config.json')
    .action(async (opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const found = await station.listMedia();
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, media: found }));
        else write(io.stdout, renderMediaList(found));
        return EXIT.OK;
      });
    });

  media
    .command('verify')
    .description('re-verify a medium: every bundle and part set on it, read past the page cache, against signatures and volume indexes')
    .argument('<target>', 'the medium: its device, label or mount point, or a folder')
    .option('--receipt-dir <dir>', 'where the receipts go (default: receipts/ in the station home); never on the medium being verified')
    .option('--passphrase-file <file>', 'unlock the station key to sign the receipts and an audit checkpoint (on a terminal you are asked; Enter skips)')
    .action(async (target: string, opts: { json?: boolean; receiptDir?: string; passphraseFile?: string }) => {
      await ctx.run(async (station, io) => {
        const passphrase = await optionalPassphrase(io, opts.passphraseFile, await station.hasKey(), (typed) =>
          station.checkSigner({ kind: 'station', passphrase: typed }),
        );
        const progress = progressLine(io);
        let report: MediaVerifyReport;
        try {
          report = await station.verifyMedia({ target, signal: io.signal, onProgress: progress.onProgress, passphrase, receiptDir: opts.receiptDir });
        } finally {
          progress.done();
        }
        if (opts.json) write(io.stdout, JSON.stringify(report));
        else write(io.stdout, renderMediaVerify(report));
        return report.ok ? EXIT.OK : EXIT.REJECTED;
      });
    });

  media
    .command('eject')
    .description('flush, unmount and (where possible) power off a medium')
    .argument('<id>', 'the medium: its device, label or mount point')
    .action(async (id: string, opts: { json?: boolean }) => {
      await ctx.run(async (station, io) => {
        const result = await station.ejectMedia(id);
        if (opts.json) write(io.stdout, JSON.stringify({ ok: true, ...result }));
        else {
          write(io.stdout, displayText(`Ejected ${mediaRefText(result.medium)}${result.poweredOff ? '' : ' (unmounted; not powered off)'}`));
          for (const action of result.actions) write(io.stdout, displayText(`  ${action}`));
        }
        return EXIT.OK;
      });
    });
}
