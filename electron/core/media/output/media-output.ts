/**
 * Export to removable media: a BundleOutput for writePreparedBundle. The archive stream is
 * unchanged; this transport layer cuts it into the planned files (one NAME.airlock.tar, or
 * numbered parts over one or more volumes), each written under a temp name, fsynced, published
 * without overwriting and its directory fsynced. After a volume's last part its copy of the
 * signed volume index is written, then every file on the volume is read back past the page
 * cache and compared with what was written, before the operator is asked for the next medium.
 *
 * On a write failure (ENOSPC, EIO, a medium pulled) what this export wrote is removed
 * (undo-write.ts; errors named by media-errors.ts); the read-back is read-back/read-back-volume.ts.
 * A failed read-back leaves the files for inspection and fails the export with MEDIA_READBACK_FAILED.
 * Each file is a part-file.ts PartFile, or, for a bundle written by position, one-pass-file.ts's OnePassFile.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaExportReport, MediaRef, MediaVolume, MediaWrittenFile } from '../../../../shared/media.js';
import { BUNDLE_SUFFIX } from '../../bundle/format.js';
import type { BundleOutput, BundleOutputPlan } from '../../export/archive-writer.js';
import { BackgroundSha256 } from '../../crypto/background-sha256.js';
import { sha256Hex } from '../../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../../errors.js';
import { publishWithoutOverwrite } from '../../fs/publish.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import { mediaRef, sameMedium } from '../discover/medium-ref.js';
import { measureVolume, type VolumeSpace } from '../os/volume-space.js';
import { exactArchiveBytes } from '../parts/archive-size.js';
import { indexFileName, indexSignatureFileName, partFileName } from '../parts/part-names.js';
import { INDEX_RESERVE_BYTES, MEDIA_MARGIN_BYTES, planLayout, type PlannedPart, type VolumeRoom } from '../parts/part-plan.js';
import { serializeIndex } from '../parts/volume-index.js';
import { ChunkSums } from '../read-back/chunk-sums.js';
import { readBackFailure, readBackVolume } from '../read-back/read-back-volume.js';
import { FAT_MAX_PART_BYTES, maxPartBytesOnMount } from './fs-limits.js';
import { assertNamesFree, assertVolumeFits } from './volume-fit.js';
import { volumeIndexFor, type VolumeIndexInput } from './volume-index-for.js';
import { mediaError } from './media-errors.js';
import { sweepMediumLeftovers } from './medium-leftovers.js';
import { writeSmallFile } from './small-file-write.js';
import { removeUnfinished } from './undo-write.js';
import { assertVolumePresent, volumeFailure, type VolumeState } from './volume-state.js';
import type { MediaOutputOptions } from './media-output-options.js';
import type { OnePassDestination, OnePassPlan, OnePassWritten } from '../../export/one-pass-write.js';
import { mayWriteInOnePass, OnePassFile, singlePartByPosition } from './one-pass-file.js';
import { PartFile, type SyncedPart } from './part-file.js';

// The options live apart so that callers (station, the facade) can name them without the class.
export type { MediaOutputOptions, NextMediumRequest } from './media-output-options.js';

export class MediaOutput implements BundleOutput {
  private readonly volumes: VolumeState[] = [];
  /** Parts fsynced under temp names, waiting for the rest of their volume. */
  private readonly synced: SyncedPart[] = [];
  private readonly written: MediaWrittenFile[] = [];
  private readonly removedLeftovers: string[] = [];
  /** Files that could not be removed after a failure (the medium had gone). */
  readonly leftovers: string[] = [];
  private parts: PlannedPart[] = [];
  private split = false;
  private name = '';
  private exact = 0;
  private uuid: string | null = null;
  private tagmanifestSha256 = '';
  private volumeCount = 0;
  private current: PartFile | null = null;
  private nextPart = 0;
  private bytesWritten = 0;
  /** Hashes of what is written, on another core (the writer's thread is busy re-hashing sources). */
  private hasher: BackgroundSha256 | null = null;
  /** The whole bundle's SHA-256 in the hasher, for the index of a split bundle (a single file's own hash is the same thing). */
  private wholeHash = 0;
  private tracker: ProgressTracker | null = null;
  private signal: AbortSignal | undefined;
  private readBackFailed = false;
  /** A one-pass export's file, open under its temp name (openOnePass) until it is flushed. */
  private onePass: OnePassFile | null = null;
  /** Set once a byte may have reached a medium: from then on a failure is a failed media write. */
  started = false;

  constructor(private readonly options: MediaOutputOptions) {
    if (options.targets.length === 0) throw new AirlockError('USAGE', 'Name at least one medium to write to.');
  }

  /** For writePreparedBundle's openOutput. */
  readonly open = async (plan: BundleOutputPlan): Promise<BundleOutput> => {
    this.tracker = plan.tracker;
    this.signal = plan.signal;
    this.name = plan.prepared.name;
    this.uuid = plan.prepared.tags.uuid;
    this.tagmanifestSha256 = sha256Hex(plan.prepared.tags.tagmanifest);
    this.exact = exactArchiveBytes(plan.prepared, plan.tagFiles);

    const known: VolumeRoom[] = [];
    const spaces: VolumeSpace[] = [];
    for (const [i, target] of this.options.targets.entries()) {
      if (this.options.targets.slice(0, i).some((t) => sameMedium(t, target)))
        throw new AirlockError('USAGE', `${target.mountPoint ?? target.id} is named twice.`);
      const space = await this.measure(target);
      spaces.push(space);
      known.push(this.room(space));
    }
    const partLimit = this.options.partSize === undefined ? null : Math.floor(this.options.partSize / 512) * 512;
    if (partLimit !== null && partLimit < 64 * 1024) throw new AirlockError('USAGE', 'The part size must be at least 64 KiB.');
    const last = known.at(-1) as VolumeRoom;
    // Media not inserted yet: the size the operator stated, else like the last one; FAT's limit unless known better.
    const assumed: VolumeRoom | null = this.options.nextMedium
      ? { free: this.options.volumeSize ?? last.free, maxPart: FAT_MAX_PART_BYTES, block: 32 * 1024 }
      : null;
    const layout = planLayout(this.exact, known, assumed, partLimit);
    if (layout.kind === 'too-small') {
      // How to name several media is the front end's to say (the CLI's hint table); the count is a fact.
      const hint = layout.volumesNeeded !== null ? ` About ${layout.volumesNeeded} media of this size are needed.` : '';
      const data = layout.volumesNeeded !== null ? { volumesNeeded: layout.volumesNeeded } : undefined;
      throw new AirlockError('MEDIA_TOO_SMALL', `The bundle is ${this.exact} bytes. ${layout.reason}${hint}`, {
        path: this.options.targets[0]?.mountPoint || undefined,
        data,
      });
    }
    this.parts = layout.parts;
    this.split = layout.kind === 'split';
    this.hasher = new BackgroundSha256();
    if (this.split) this.wholeHash = this.hasher.start();
    this.volumeCount = layout.volumes;
    for (const [i, target] of this.options.targets.entries()) {
      if (i + 1 > this.volumeCount) break;
      await this.adopt(i + 1, target, spaces[i] as VolumeSpace);
    }
    return this;
  };

  /**
   * For writeBundle's onePassTo (export/one-pass-write.ts): the whole bundle as one file on the
   * first medium, its records written by position and proven by a read-back region by region.
   * Null, before anything is written, where the two passes stay (one-pass-file.ts says when).
   */
  readonly openOnePass = async (plan: OnePassPlan): Promise<OnePassDestination | null> => {
    const [target] = this.options.targets;
    if (!mayWriteInOnePass(this.options) || !target) return null;
    const space = await this.measure(target);
    const parts = singlePartByPosition(space, this.room(space), plan.archiveBytes);
    if (!parts) return null;
    this.tracker = plan.tracker;
    this.signal = plan.signal;
    this.name = plan.name;
    this.uuid = plan.uuid;
    this.exact = plan.archiveBytes;
    this.parts = parts;
    this.split = false;
    this.volumeCount = 1;
    this.hasher = new BackgroundSha256();
    const volume = await this.adopt(1, target, space);
    const file = await OnePassFile.open(volume, join(volume.dir, this.fileName(parts[0] as PlannedPart)), () => (this.started = true));
    this.onePass = file;
    return {
      handle: file.handle,
      complete: (written) => this.completeOnePass(file, written),
      discard: (reason) => this.abort(reason),
      failure: (error) => file.failure(error),
    };
  };

  /** What openOnePass can tell before the medium is measured (so the caller need not scan the sources twice). */
  mayWriteInOnePass(): boolean {
    return mayWriteInOnePass(this.options);
  }

  /** Flush the one-pass file, give it its name, read it back region by region (its SHA-256 is the one read back), and commit. */
  private async completeOnePass(file: OnePassFile, written: OnePassWritten): Promise<{ bundlePath: string; bundleBytes: number }> {
    this.tagmanifestSha256 = written.tagmanifestSha256;
    const flushed = await file.flush(this.exact, this.tracker);
    this.onePass = null;
    this.nextPart = 1;
    this.bytesWritten = this.exact;
    this.synced.push({ tempPath: file.tempPath, finalPath: file.finalPath, file: flushed, sums: [] });
    (file.volume.regions ??= new Map()).set(file.finalPath, written.regions);
    await this.finishVolume(file.volume, true);
    return this.commit();
  }

  private room(space: VolumeSpace): VolumeRoom {
    const free = Math.min(space.free ?? Number.POSITIVE_INFINITY, this.options.volumeSize ?? Number.POSITIVE_INFINITY);
    return { free, maxPart: maxPartBytesOnMount(space.fstype, space.mountType), block: space.blockBytes };
  }

  private async measure(target: MediaVolume): Promise<VolumeSpace> {
    if (target.mountPoint === null) throw new AirlockError('MEDIA_NOT_MOUNTED', `${target.device ?? target.id} is not mounted.`);
    // Before measuring: room an earlier, interrupted write of ours still takes counts as free.
    const swept = await sweepMediumLeftovers(target.mountPoint);
    for (const path of swept.removed) if (!this.removedLeftovers.includes(path)) this.removedLeftovers.push(path);
    const space = await measureVolume(target.mountPoint).catch((error: unknown) => {
      throw mediaError(error, target.mountPoint as string);
    });
    if (space.readOnly || target.readOnly) throw new AirlockError('MEDIA_READONLY', `${target.mountPoint} is read-only.`, { path: target.mountPoint });
    return space;
  }

  private fileNames(volume: number): string[] {
    const names = this.parts.filter((p) => p.volume === volume).map((p) => this.fileName(p));
    if (this.split) names.push(indexFileName(this.name), indexSignatureFileName(this.name));
    return names;
  }

  private fileName(part: PlannedPart): string {
    return this.split ? partFileName(this.name, part.number, this.parts.length) : `${this.name}${BUNDLE_SUFFIX}`;
  }

  private bytesOn(volume: number): number {
    return this.parts.filter((p) => p.volume === volume).reduce((n, p) => n + p.size, 0);
  }

  /** Take a medium as volume `number`: room for its parts, its file system's limit, no name taken, leftovers cleared. */
  private async adopt(number: number, medium: MediaVolume, space: VolumeSpace): Promise<VolumeState> {
    const dir = medium.mountPoint as string;
    assertVolumeFits({ number, dir, parts: this.parts.filter((p) => p.volume === number), space, room: this.room(space), split: this.split });
    await assertNamesFree(dir, [...this.fileNames(number), `${this.name}${BUNDLE_SUFFIX}`], space.fstype);
    const dev = (await stat(dir)).dev;
    const state: VolumeState = { number, medium, dir, space, files: [], readBack: null, dev, chunkSums: new Map() };
    this.volumes[number - 1] = state;
    return state;
  }

  /** Volume `number` is not inserted yet: ask until a medium that fits is offered. */
  private async acquire(number: number): Promise<VolumeState> {
    const ask = this.options.nextMedium;
    if (!ask) throw new AirlockError('MEDIA_TOO_SMALL', `Volume ${number} of ${this.volumeCount} has no medium.`);
    let why: string | null = null;
    for (;;) {
      throwIfAborted(this.signal);
      const medium = await ask({
        volume: number,
        volumes: this.volumeCount,
        bytes: this.bytesOn(number) + MEDIA_MARGIN_BYTES + INDEX_RESERVE_BYTES,
        files: this.fileNames(number),
        problem: why,
        used: this.media(),
      });
      try {
        const used = this.volumes.find((v) => v && sameMedium(v.medium, medium));
        if (used)
          throw new AirlockError(
            'MEDIA_NOT_FOUND',
            `That is volume ${used.number} again (${medium.label ?? medium.mountPoint ?? medium.id}); insert another medium.`,
          );
        return await this.adopt(number, medium, await this.measure(medium));
      } catch (error) {
        const failure = toAirlockError(error);
        if (failure.code === 'CANCELLED') throw failure;
        why = failure.message;
      }
    }
  }

  async write(data: Buffer): Promise<void> {
    let rest = data;
    while (rest.length > 0) {
      const part = this.current ?? (await this.openPart());
      const take = Math.min(rest.length, part.remaining);
      const piece = take === rest.length ? rest : rest.subarray(0, take);
      await (this.hasher as BackgroundSha256).update(this.split ? [part.hash, this.wholeHash] : [part.hash], piece);
      await part.write(piece);
      this.bytesWritten += take;
      rest = rest.subarray(take);
      if (part.remaining === 0) await this.closePart(part);
    }
  }

  private async openPart(): Promise<PartFile> {
    const planned = this.parts[this.nextPart];
    if (!planned) throw new AirlockError('INTERNAL', `The archive is longer than the ${this.exact} bytes planned.`);
    const volume = this.volumes[planned.volume - 1] ?? (await this.acquire(planned.volume));
    const finalPath = join(volume.dir, this.fileName(planned));
    this.current = await PartFile.open(planned, volume, finalPath, this.hasher as BackgroundSha256, () => (this.started = true));
    return this.current;
  }

  private async closePart(part: PartFile): Promise<void> {
    this.synced.push(await part.finish(this.tracker, this.hasher as BackgroundSha256, this.split ? 'part' : 'bundle'));
    this.current = null;
    this.nextPart += 1;
    const next = this.parts[this.nextPart];
    if (!next || next.volume !== part.planned.volume) await this.finishVolume(part.volume, !next);
    else this.resumeWriting();
  }

  /** Back to the `writing` phase after a flush or another volume, at the bytes written so far. */
  private resumeWriting(): void {
    if (!this.tracker) return;
    this.tracker.startPhase('writing', { bytes: this.exact, files: null });
    this.tracker.addBytes(this.bytesWritten);
  }

  /**
   * Give a complete volume's parts their names: until now a pulled medium leaves only temp
   * names (which the next write there removes), never a part without its index.
   */
  private async publishParts(volume: VolumeState): Promise<void> {
    while (this.synced.length > 0) {
      throwIfAborted(this.signal);
      const part = this.synced[0] as SyncedPart;
      try {
        await assertVolumePresent(volume, part.finalPath);
        // A single file is readable the moment it has its name; parts only once the set is complete.
        if (!this.split) this.options.beforeComplete?.(this.tagmanifestSha256, part.finalPath);
        await publishWithoutOverwrite(part.tempPath, part.finalPath);
      } catch (error) {
        throw await volumeFailure(error, part.finalPath, volume);
      }
      this.synced.shift();
      this.record(volume, part.file, part.sums);
    }
  }

  private record(volume: VolumeState, file: MediaWrittenFile, sums: number[]): void {
    volume.files.push(file);
    volume.chunkSums.set(file.path, sums);
    this.written.push(file);
  }

  /** A small file (index, signature) written the same way as the parts (small-file-write.ts). */
  private async writeSmall(volume: VolumeState, file: string, bytes: Buffer, kind: MediaWrittenFile['kind']): Promise<void> {
    const finalPath = await writeSmallFile(volume, file, bytes, this.leftovers);
    const sums = new ChunkSums();
    sums.update(bytes);
    this.record(volume, { path: finalPath, size: bytes.length, sha256: sha256Hex(bytes), volume: volume.number, kind }, sums.finish());
  }

  private indexInput(): VolumeIndexInput {
    const { name, uuid, tagmanifestSha256, exact, volumeCount, parts, written, volumes } = this;
    return { name, uuid, tagmanifestSha256, exact, volumeCount, parts, written, volumes, fileName: (p) => this.fileName(p) };
  }

  private async finishVolume(volume: VolumeState, last: boolean): Promise<void> {
    await this.publishParts(volume);
    if (this.split) {
      const wholeSha256 = last ? await (this.hasher as BackgroundSha256).digest(this.wholeHash) : null;
      const bytes = serializeIndex(volumeIndexFor(this.indexInput(), volume, last, wholeSha256));
      await this.writeSmall(volume, indexFileName(this.name), bytes, 'index');
      // The last copy's signature completes the set: before it, no reader accepts it (bundle-format.md §14.6).
      if (last) this.options.beforeComplete?.(this.tagmanifestSha256, join(volume.dir, indexSignatureFileName(this.name)));
      await this.writeSmall(volume, indexSignatureFileName(this.name), Buffer.from(await this.options.signIndex(bytes), 'utf8'), 'index-signature');
    }
    if (this.options.readBack !== false) {
      volume.readBack = await readBackVolume(volume, this.tracker, this.signal, this.hasher);
      if (!volume.readBack.ok) {
        this.readBackFailed = true;
        throw readBackFailure(volume, volume.readBack);
      }
    }
    if (!last) this.resumeWriting();
  }

  async commit(): Promise<{ bundlePath: string; bundleBytes: number }> {
    await this.hasher?.close();
    if (this.current || this.nextPart !== this.parts.length || this.bytesWritten !== this.exact) {
      throw new AirlockError('INTERNAL', `The archive was ${this.bytesWritten} bytes; ${this.exact} were planned.`);
    }
    const first = this.written.find((f) => f.kind === 'part' || f.kind === 'bundle') as MediaWrittenFile;
    return { bundlePath: first.path, bundleBytes: this.exact };
  }

  async abort(_reason: unknown): Promise<void> {
    await this.hasher?.close();
    const part = this.current ?? (this.onePass ? { tempPath: this.onePass.tempPath, handle: this.onePass.handle, planned: { volume: 1 } } : null);
    this.current = null;
    this.onePass = null;
    if (part) await part.handle.close().catch(() => undefined);
    const temps = [
      ...(part ? [{ tempPath: part.tempPath, volume: part.planned.volume }] : []),
      ...this.synced.map((s) => ({ tempPath: s.tempPath, volume: s.file.volume })),
    ];
    this.synced.length = 0;
    // Unless the read-back failed: then the files are the evidence, and the operator is told to set the medium aside.
    this.leftovers.push(...(await removeUnfinished({ temps, published: this.readBackFailed ? null : this.written, volumes: this.volumes })));
  }

  /** What was written, where, and what the read-back proved (also after a failure: what got done). */
  report(): MediaExportReport {
    const volumes = this.volumes.filter((v): v is VolumeState => v !== undefined);
    const indexFile = this.written.find((f) => f.kind === 'index')?.path ?? null;
    return {
      bundle: { name: this.name, uuid: this.uuid, tagmanifestSha256: this.tagmanifestSha256 },
      split: this.split,
      parts: this.split ? this.parts.length : 1,
      volumes: volumes.map((v) => ({ number: v.number, medium: mediaRef(v.medium), files: v.files.map((f) => f.path), readBack: v.readBack })),
      files: [...this.written],
      indexFile,
      removedLeftovers: [...this.removedLeftovers],
      readBackOk: volumes.length > 0 && volumes.every((v) => v.readBack?.ok === true),
    };
  }

  /** The media named for this export (before any was adopted). */
  targets(): MediaRef[] {
    return this.options.targets.map(mediaRef);
  }

  /** The media of this export, for the receipt and the audit log. */
  media(): MediaRef[] {
    return this.volumes.filter((v): v is VolumeState => v !== undefined).map((v) => mediaRef(v.medium));
  }
}
