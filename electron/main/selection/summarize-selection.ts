/**
 * Totals and early warnings for the export review step: how many files and bytes the selection
 * holds, and what the export will refuse (links, devices, unreadable folders) or leave out
 * (empty folders). Only a preview: the export's own scan in core decides, and it also applies
 * the name rules this walk does not repeat. Async fs only, so the main thread keeps serving the window.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { SelectionSummary } from '../../../shared/ipc.js';
import { errnoOf } from '../../core/index.js';

/** Past this many entries the walk stops and says the totals are lower bounds. */
export const SUMMARY_ENTRY_CAP = 200_000;

type Item = SelectionSummary['items'][number];
type Warning = SelectionSummary['warnings'][number];

interface Stats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  size: number;
}

function describeSpecial(stats: Stats): string {
  return stats.isSymbolicLink() ? 'a symbolic link' : 'not a plain file or folder (device, socket or FIFO)';
}

export async function summarizeSelection(paths: readonly string[], entryCap = SUMMARY_ENTRY_CAP): Promise<SelectionSummary> {
  const warnings: Warning[] = [];
  let entries = 0;
  let truncated = false;

  const walk = async (dir: string, totals: { files: number; bytes: number }): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      warnings.push({ path: dir, message: `cannot be read (${errnoOf(error) ?? 'error'}): the export will stop here`, blocking: true });
      return;
    }
    if (names.length === 0) warnings.push({ path: dir, message: 'empty folder: not carried (bundles carry files only)', blocking: false });
    for (const name of names) {
      if (++entries > entryCap) {
        truncated = true;
        return;
      }
      const child = join(dir, name);
      const stats = await lstat(child).catch(() => null);
      if (stats === null) {
        warnings.push({ path: child, message: 'vanished while it was being listed', blocking: false });
      } else if (stats.isDirectory()) {
        await walk(child, totals);
        if (truncated) return;
      } else if (stats.isFile()) {
        totals.files += 1;
        totals.bytes += stats.size;
      } else {
        warnings.push({ path: child, message: `${describeSpecial(stats)}: the export will refuse it`, blocking: true });
      }
    }
  };

  const items: Item[] = [];
  for (const selected of paths) {
    const path = resolve(selected);
    const name = basename(path);
    const stats = await lstat(path).catch(() => null);
    if (stats === null) {
      items.push({ path, name, kind: 'missing', files: 0, bytes: 0 });
      warnings.push({ path, message: 'does not exist (any more)', blocking: true });
    } else if (stats.isDirectory()) {
      const totals = { files: 0, bytes: 0 };
      if (!truncated) await walk(path, totals);
      items.push({ path, name, kind: 'folder', ...totals });
    } else if (stats.isFile()) {
      items.push({ path, name, kind: 'file', files: 1, bytes: stats.size });
    } else {
      items.push({ path, name, kind: 'other', files: 0, bytes: 0 });
      warnings.push({ path, message: `${describeSpecial(stats)}: the export will refuse it`, blocking: true });
    }
  }

  return {
    items,
    totalFiles: items.reduce((sum, i) => sum + i.files, 0),
    totalBytes: items.reduce((sum, i) => sum + i.bytes, 0),
    warnings,
    truncated,
  };
}
