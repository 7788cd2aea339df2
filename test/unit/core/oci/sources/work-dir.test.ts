/**
 * The export's image work folder after kill -9: the next export removes it (its owner is provably
 * dead), while a live process's folder is left alone.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageWorkDir } from '../../../../../electron/core/oci/sources/work-dir.js';
import { REPO_ROOT } from '../../../../helpers/cli-runner.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A child process that makes a work folder in `parent`, says so, and waits to be killed. */
function childWithWorkDir(parent: string): Promise<{ kill: () => Promise<void>; dir: string }> {
  const code = `
    const { ImageWorkDir } = await import(${JSON.stringify(join(REPO_ROOT, 'electron/core/oci/sources/work-dir.ts'))});
    const work = await ImageWorkDir.create(${JSON.stringify(parent)});
    await work.writeBlob(Buffer.from('{}'), 'application/json');
    process.stdout.write(work.dir + '\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) {
        resolve({
          dir: out.trim(),
          kill: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGKILL');
            }),
        });
      }
    });
    child.once('exit', (status) => reject(new Error(`child exited ${String(status)} before making its folder`)));
  });
}

describe('image work folder', () => {
  it('is removed by the next export once its process was killed, and kept while it lives', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'airlock-work-'));
    dirs.push(parent);
    const child = await childWithWorkDir(parent);
    const mine = await ImageWorkDir.create(parent);
    // The child still runs: its folder stays.
    expect((await readdir(parent)).length).toBe(2);
    await child.kill();
    await mine.remove();
    const next = await ImageWorkDir.create(parent);
    const left = await readdir(parent);
    expect(left).toHaveLength(1);
    expect(join(parent, left[0]!)).toBe(next.dir);
    await next.remove();
    expect(await readdir(parent)).toEqual([]);
  });
});
