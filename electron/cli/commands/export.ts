import type { Command } from 'commander';
import { displayText } from '../../../shared/display-text.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { formatSize, plural } from '../../../shared/format.js';
import { AirlockError, parseGpgSignerOption, type ExportOutcome, type ExportRequest, type SignerSpec, type Station } from '../../core/index.js';
import { printImages } from '../image-lines.js';
import { write, type CliIo } from '../io.js';
import { obtainPassphrase, readPassphraseFile } from '../passphrase.js';
import { progressLine } from '../progress-line.js';
import type { CommandContext } from '../context.js';
import { renderStaged } from './approve.js';
import { runMediaExport } from './media.js';
import { channelLine } from '../channel-lines.js';
import { shellWord, stationCommand } from '../station-command.js';

interface ExportOptions {
  out?: string;
  name?: string;
  channel?: string;
  passphraseFile?: string;
  signer?: string;
  prepare?: boolean;
  staging?: string;
  finish?: string;
  toMedia?: string;
  volumeSize?: string;
  partSize?: string;
  eject?: boolean;
  listStaged?: boolean;
  discardStaged?: string;
  json?: boolean;
  image?: string[] | undefined;
  imagesFrom?: string;
  platform?: string[] | undefined;
  chart?: string[] | undefined;
  skipBlobsIn?: string;
  insecureRegistry?: boolean;
  registryCa?: string;
  registryUser?: string;
  registryPasswordFile?: string;
}

/** Same variable as import's --push-to uses: a password never goes on the command line. */
const REGISTRY_PASSWORD_ENV = 'AIRLOCK_REGISTRY_PASSWORD';

/** How docker:// sources' registries are reached (--insecure-registry, --registry-ca, --registry-user). */
async function sourceRegistry(io: CliIo, opts: ExportOptions): Promise<ExportRequest['registry']> {
  let credentials: { username: string; password: string } | undefined;
  if (opts.registryUser !== undefined) {
    const fromEnv = io.env[REGISTRY_PASSWORD_ENV];
    const password = opts.registryPasswordFile !== undefined ? await readPassphraseFile(opts.registryPasswordFile, io) : fromEnv ? fromEnv : undefined;
    if (password === undefined)
      throw new AirlockError('USAGE', `--registry-user needs the password in --registry-password-file FILE or in ${REGISTRY_PASSWORD_ENV}.`);
    credentials = { username: opts.registryUser, password };
  } else if (opts.registryPasswordFile !== undefined) {
    throw new AirlockError('USAGE', '--registry-password-file goes with --registry-user.');
  }
  return { insecure: opts.insecureRegistry === true, caFile: opts.registryCa, credentials };
}

// No default value: commander would print `(default: [])` beside the option's own words; the first use starts the list.
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Whether the command names images or charts (issue #15), besides or instead of paths. */
function namesImages(opts: ExportOptions): boolean {
  return (opts.image?.length ?? 0) > 0 || opts.imagesFrom !== undefined || (opts.chart?.length ?? 0) > 0;
}

/** --signer gpg:FPR signs through GnuPG (smartcards: its pinentry asks); else the station key. */
export async function signerFromOptions(io: CliIo, station: Station, signer: string | undefined, passphraseFile: string | undefined): Promise<SignerSpec> {
  if (signer !== undefined) {
    const fingerprint = parseGpgSignerOption(signer);
    return {
      kind: 'gpg',
      fingerprint,
      homedir: io.env.GNUPGHOME || undefined,
      passphrase: passphraseFile !== undefined ? await readPassphraseFile(passphraseFile, io) : undefined,
    };
  }
  return {
    kind: 'station',
    passphrase: await obtainPassphrase(io, passphraseFile, { check: (passphrase) => station.checkSigner({ kind: 'station', passphrase }) }),
  };
}

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('bundle files and folders into a signed NAME.airlock.tar (or prepare one for a second signature)')
    .argument('[paths...]', 'files and folders to send; a folder "foo" becomes data/foo/ in the bundle')
    .option('-o, --out <dir>', 'folder to write the bundle into')
    .option('-n, --name <name>', 'bundle name (letters, digits, . _ -); default airlock-<sequence>-<date>')
    .option('--channel <name>', 'stamp the bundle on this channel: its next sequence number and a link to the previous bundle (docs/channels.md)')
    .option('--passphrase-file <file>', 'read the station key passphrase (or the GnuPG key passphrase) from the first line of a file (else you are asked)')
    .option('--signer <spec>', 'sign with a GnuPG key instead of the station key: gpg:<fingerprint> (smartcards welcome)')
    .option(
      '--prepare',
      'two-person rule: hash and sign, but write no bundle yet (images are pulled or copied into the staged export now); prints it for `airlock approve`',
    )
    .option('--staging <dir>', 'with --prepare: where to keep the staged export (default: the home’s staged/ folder); with --list-staged: list the ones there')
    .option('--finish <staged>', 'write a prepared and approved export to --out (or --to-media), with every signature')
    .option(
      '--to-media <ids>',
      'write to removable media instead of --out: device, label or mount point (see `airlock media list`); several, comma-separated, for a bundle that spans media',
    )
    .option('--volume-size <size>', 'with --to-media: plan each medium with this capacity (e.g. 8G); on a terminal further media are asked for')
    .option('--part-size <size>', 'with --to-media: largest part file (e.g. 700M); FAT32 media get parts under 4 GiB anyway')
    .option('--eject', 'with --to-media: eject each medium once it is written and read back')
    .option('--list-staged', 'list the staged two-person exports in the home (ready to approve, or left incomplete by a failed prepare)')
    .option('--discard-staged <name>', 'remove a staged export (its name in the home, or its folder); its name can be prepared again')
    .option(
      '--image <ref>',
      'add a container image (repeatable): oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE or docker://HOST[:PORT]/REPO:TAG|@sha256:DIGEST',
      collect,
    )
    .option('--images-from <file>', 'add the images listed in a file: one reference per line, # comments and blank lines ignored')
    .option('--platform <os/arch[/variant]>', 'take only these platforms of multi-platform images (repeatable; default: all)', collect)
    .option('--chart <file.tgz>', 'add a Helm chart archive as an OCI artifact (repeatable); images its values name are listed', collect)
    .option('--skip-blobs-in <receipt.json>', 'leave out image blobs that this signed import receipt from the far station says its registry holds')
    .option('--insecure-registry', 'pull docker:// images over plain HTTP; only for a registry on this machine (localhost, 127.0.0.0/8, ::1)')
    .option('--registry-ca <file>', "PEM file of the CA(s) that signed the source registry's certificate, trusted besides the system's")
    .option('--registry-user <user>', `user name at the source registry; the password from --registry-password-file or ${REGISTRY_PASSWORD_ENV}`)
    .option('--registry-password-file <file>', "file whose first line is the source registry user's password")
    .action(async (paths: string[], opts: ExportOptions) => {
      await ctx.run(async (station, io) => {
        if (opts.listStaged || opts.discardStaged !== undefined) return runStagedRecovery(station, io, paths, opts);
        if (opts.prepare && opts.finish) throw new AirlockError('USAGE', '--prepare and --finish are two separate steps.');
        const images = namesImages(opts);
        const registryFlags =
          opts.insecureRegistry === true || opts.registryCa !== undefined || opts.registryUser !== undefined || opts.registryPasswordFile !== undefined;
        if (!images && ((opts.platform?.length ?? 0) > 0 || opts.skipBlobsIn !== undefined || registryFlags))
          throw new AirlockError('USAGE', '--platform, --skip-blobs-in and the registry options go with --image, --images-from or --chart.');
        if (images && opts.finish !== undefined)
          throw new AirlockError('USAGE', '--finish takes no images: the staged export already holds the ones prepared (and approved).');
        if (opts.finish === undefined && paths.length === 0 && !images)
          throw new AirlockError('USAGE', 'Name at least one file or folder to export (or --image, --images-from, --chart).');
        if (opts.finish !== undefined && paths.length > 0) throw new AirlockError('USAGE', '--finish takes no paths: the staged export already names them.');
        if (opts.toMedia !== undefined && (opts.out !== undefined || opts.prepare))
          throw new AirlockError('USAGE', '--to-media writes the bundle to media instead of a folder: it goes without --out and --prepare.');
        if (opts.toMedia === undefined && (opts.volumeSize !== undefined || opts.partSize !== undefined || opts.eject))
          throw new AirlockError('USAGE', '--volume-size, --part-size and --eject go with --to-media.');
        if (opts.finish !== undefined && opts.channel !== undefined)
          throw new AirlockError('USAGE', '--finish takes no --channel: the staged export carries the channel it was prepared with.');
        if (!opts.prepare && opts.out === undefined && opts.toMedia === undefined)
          throw new AirlockError('USAGE', '--out DIR or --to-media ID is required (except with --prepare).');
        const signer = await signerFromOptions(io, station, opts.signer, opts.passphraseFile);
        const imageRequest = images
          ? {
              images: opts.image ?? [],
              imagesFrom: opts.imagesFrom,
              platforms: opts.platform ?? [],
              charts: opts.chart ?? [],
              skipBlobsIn: opts.skipBlobsIn,
              registry: await sourceRegistry(io, opts),
            }
          : undefined;
        // A new export or a staged one (--finish): media-target.ts in core writes both the same way.
        if (opts.toMedia !== undefined) return runMediaExport(station, io, paths, signer, { ...opts, toMedia: opts.toMedia, images: imageRequest });
        const progress = progressLine(io);
        try {
          if (opts.prepare) {
            const staged = await station.prepareExport({
              selection: paths,
              ...imageRequest,
              signer,
              signal: io.signal,
              name: opts.name,
              channel: opts.channel,
              stagingDir: opts.staging,
              onProgress: progress.onProgress,
            });
            progress.done();
            if (opts.json) write(io.stdout, JSON.stringify({ ok: true, staged }));
            else {
              write(io.stdout, renderStaged(staged, 5));
              // On this station (its --home): the staged export is in its home, and so is its approval.
              const home = ctx.globals().home;
              write(io.stdout, displayText(`Next: a second operator runs  ${stationCommand(home, `approve ${shellWord(staged.stagedDir)}`)}`));
              write(
                io.stdout,
                displayText(`then:                          ${stationCommand(home, `export --finish ${shellWord(staged.stagedDir)} --out DIR`)}`),
              );
            }
            return 0;
          }
          const common = { outDir: opts.out as string, signal: io.signal, onProgress: progress.onProgress };
          const result =
            opts.finish !== undefined
              ? await station.finishExport({ stagedDir: opts.finish, signer, ...common })
              : await station.exportBundle({
                  selection: paths,
                  signer,
                  ...common,
                  name: opts.name,
                  channel: opts.channel,
                  ...imageRequest,
                });
          progress.done();
          printExport(io, result, opts.json === true);
          return 0;
        } finally {
          progress.done();
        }
      });
    });
}

/** --list-staged and --discard-staged: recovery of two-person exports without touching folders by hand. */
async function runStagedRecovery(station: Station, io: CliIo, paths: string[], opts: ExportOptions): Promise<number> {
  const others =
    paths.length > 0 || opts.out !== undefined || opts.prepare || opts.finish !== undefined || opts.toMedia !== undefined || opts.name !== undefined;
  if (others || (opts.listStaged && opts.discardStaged !== undefined) || (opts.staging !== undefined && !opts.listStaged))
    throw new AirlockError('USAGE', '--list-staged [--staging DIR] and --discard-staged NAME each go alone (with --json at most).');
  if (opts.discardStaged !== undefined) {
    const removed = await station.discardStaged(opts.discardStaged);
    if (opts.json) write(io.stdout, JSON.stringify({ ok: true, discarded: removed }));
    else write(io.stdout, displayText(`Discarded the staged export ${removed.name} (${removed.dir}); the name may be prepared again.`));
    return 0;
  }
  // --staging DIR: exports prepared with `--prepare --staging DIR` (DIR itself, or the staged exports inside it).
  const staged = await station.listStaged({ stagingDir: opts.staging });
  if (opts.json) {
    write(io.stdout, JSON.stringify({ ok: true, staged }));
    return 0;
  }
  if (staged.length === 0) write(io.stdout, 'No staged exports.');
  for (const entry of staged) {
    if (entry.state === 'ready') {
      write(
        io.stdout,
        displayText(
          `${entry.name}  ready: ${plural(entry.files ?? 0, 'file')}, ${formatSize(entry.bytes ?? 0)}, ${plural(entry.signatures ?? 0, 'signature')}, prepared ${entry.createdAt ?? '?'}`,
        ),
      );
    } else if (entry.state === 'finished') {
      write(io.stdout, displayText(`${entry.name}  FINISHED: ${entry.reason ?? ''}`));
      write(io.stdout, displayText(`  see it on record: airlock audit list --type export; then discard it: airlock export --discard-staged ${entry.name}`));
    } else {
      write(io.stdout, displayText(`${entry.name}  INCOMPLETE: ${entry.reason ?? ''}`));
      write(io.stdout, displayText(`  discard it: airlock export --discard-staged ${entry.name}`));
    }
    write(io.stdout, displayText(`  ${entry.dir}`));
  }
  return 0;
}

function printExport(io: CliIo, result: ExportOutcome, json: boolean): void {
  for (const warning of result.warnings) write(io.stderr, displayText(`warning: ${warning.path}: ${warning.message}`));
  if (json) {
    write(io.stdout, JSON.stringify({ ok: true, bundle: result }));
    return;
  }
  write(io.stdout, displayText(`Exported ${result.bundlePath}`));
  write(io.stdout, `  ${plural(result.files, 'file')}, ${formatSize(result.bytes)} payload, ${formatSize(result.bundleBytes)} on disk (fsynced)`);
  write(io.stdout, `  id ${result.uuid}, sequence ${result.sequence}`);
  if (result.channel) write(io.stdout, displayText(channelLine(result.channel)));
  for (const signer of result.signers) write(io.stdout, displayText(`  signed by ${signer.userIds.join(', ')}  ${groupFingerprint(signer.fingerprint)}`));
  if (result.images) printImages(io, result.images);
  if (result.receipt) write(io.stdout, displayText(`  receipt ${result.receipt.html}${result.receipt.signature ? ' (signed)' : ''}`));
  if (result.receipt?.pdf) write(io.stdout, displayText(`  receipt PDF ${result.receipt.pdf}${result.receipt.pdfSignature ? ' (signed)' : ''}`));
  write(io.stdout, `  audit event #${result.auditEvent}${result.checkpoint ? ', checkpoint signed' : ''}`);
}
