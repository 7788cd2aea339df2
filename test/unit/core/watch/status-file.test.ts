/**
 * The watcher's status file (electron/core/watch/status-file.ts). A power cut right after a
 * watcher started left it 0 bytes (fault harness, power-cut-watch seed 2 #4), and the next
 * watcher silently carried over no channel findings. Now it is written durably (temp, fsync,
 * rename, folder fsync), a reader that finds it empty or broken says so, and a temp copy a killed
 * watcher left is swept when the next one takes the lock.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChannelFinding } from '../../../../shared/channels.js';
import { currentStamp, stampTag } from '../../../../electron/core/fs/process-owner.js';
import { acquireWatchLock, previousFindings, statusPath, watchFolder, writeStatusFile } from '../../../../electron/core/watch/status-file.js';
import { StatusKeeper } from '../../../../electron/core/watch/status-keeper.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const GAP: ChannelFinding = { code: 'CHANNEL_GAP', signer: 'S', channel: 'c', expected: 3, received: 5, decision: 'warn', message: 'gap' };

describe('the watcher status file', () => {
  it('carries the findings over a restart; an empty or broken file is reported as damaged, a missing one is not', async () => {
    const home = await makeTemp('airlock-watch-status-');
    const release = await acquireWatchLock(home, '/inbox');
    const path = statusPath(home, '/inbox');
    expect(await previousFindings(path)).toEqual({ findings: [], damaged: null });
    const keeper = new StatusKeeper('/inbox', '/dest', new Date().toISOString());
    keeper.findings([GAP]);
    await writeStatusFile(path, keeper.snapshot());
    expect(await previousFindings(path)).toEqual({ findings: [GAP], damaged: null });
    // Written by temp and rename: nothing but the status and the lock in the folder.
    expect((await readdir(watchFolder(home))).sort()).toEqual([basename(path), basename(path).replace(/\.json$/u, '.lock')].sort());

    await writeFile(path, '');
    expect(await previousFindings(path)).toEqual({ findings: [], damaged: 'is empty' });
    await writeFile(path, '{"inbox":"/inbox","ga');
    expect(await previousFindings(path)).toEqual({ findings: [], damaged: 'does not parse (21 bytes)' });
    await writeFile(path, '{"inbox":"/inbox"}');
    expect((await previousFindings(path)).damaged).toBe('has no list of channel findings');
    await release();
  });

  it('a status temp copy a killed watcher left is removed when the next watcher takes the lock; other files are not', async () => {
    const home = await makeTemp('airlock-watch-status-');
    const folder = watchFolder(home);
    const first = await acquireWatchLock(home, '/inbox');
    await first();
    const final = statusPath(home, '/inbox').slice(folder.length + 1);
    // The parent process with another start time: a pid that is not the process that wrote it (dead).
    const dead = { ...currentStamp(), pid: process.ppid, start: '1' };
    const deadTemp = `.${final}.${stampTag(dead)}-0badf00d.partial`;
    await writeFile(join(folder, deadTemp), '{"inbox":');
    const other = `.notes.json.${stampTag(dead)}-0badf00d.partial`;
    await writeFile(join(folder, other), 'x');
    const release = await acquireWatchLock(home, '/inbox');
    const left = await readdir(folder);
    expect(left).not.toContain(deadTemp);
    // Only the status files' temp copies are this sweep's business.
    expect(left).toContain(other);
    expect(await readFile(join(folder, other), 'utf8')).toBe('x');
    await release();
  });
});
