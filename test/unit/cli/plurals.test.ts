/**
 * The CLI stays English, and its counts read right: "0 files", "1 file", "2 files", "1 signed
 * checkpoint". Every count it prints goes through plural() (shared/format.ts); a scan of the CLI's
 * source fails on a count written straight before a plural noun ("${n} files", "image(s)"), the
 * class of bug that prints "1 files".
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plural } from '../../../shared/format.js';
import { renderPushes } from '../../../electron/cli/render-pushes.js';
import type { ImagePushResult } from '../../../shared/images.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'electron', 'cli');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Nouns the CLI counts. A count in `${...}` straight before one of them (or "(s)") bypasses plural(). */
const COUNTED =
  /\$\{[^}]+\}\s+(?:more\s+)?(?:files|bundles|events|checkpoints|signed checkpoints|signatures|parts|volumes|images|charts|blobs|days|checks|decisions|findings|channel findings|members|items|referrers|keys|entries|signers|errors|warnings|problems|watchers)\b|[a-z]\(s\)(?=[\s.,;:])/u;

describe('CLI plurals', () => {
  it('plural() reads right for 0, 1 and many, and takes an irregular plural', () => {
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(2, 'file')).toBe('2 files');
    expect(plural(1, 'signed checkpoint')).toBe('1 signed checkpoint');
    expect(plural(3, 'signed checkpoint')).toBe('3 signed checkpoints');
    expect(plural(2, 'medium', 'media')).toBe('2 media');
  });

  it('no CLI source prints a count straight before a plural noun', async () => {
    const offenders: string[] = [];
    for (const file of await sources(CLI)) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        // Option help (".option(...)") names no count; "CA(s)" there is prose.
        if (COUNTED.test(line) && !/\.option\(/u.test(line)) offenders.push(`${file.slice(CLI.length + 1)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the registry push summary says "1 image" and "2 images"', () => {
    const push = (outcome: ImagePushResult['outcome']): ImagePushResult => ({
      repository: 'team/app',
      tag: '1.0',
      digest: `sha256:${'a'.repeat(64)}`,
      outcome,
      blobs: { uploaded: 1, mounted: 0, skipped: 0 },
      bytesSent: 10,
    });
    expect(renderPushes([push('pushed')], 'reg.example')).toContain('  1 image in the registry, digests as signed.');
    expect(renderPushes([push('pushed'), push('failed')], 'reg.example')).toContain('  1 of 2 images FAILED.');
  });
});
