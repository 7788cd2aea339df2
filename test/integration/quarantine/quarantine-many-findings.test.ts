/**
 * A kept bundle with more findings than a report lists by name (1,000; the rest counted per code):
 * the entry records every finding counted per code, show prints the counts, and a release
 * overrides all of them without listing them all (its audit event lists the first 1,000 and
 * counts the rest). A release that finds MORE of a code than were recorded (the policy now
 * denies another extension) is refused: nothing imported, still held.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const FILES = 1_100;

let sender: TestStation;
let receiver: TestStation;

interface ShowJson {
  entry: { id: string; status: string; findingCounts?: Record<string, number> };
  report: { problems: Array<{ code: string; path?: string; count?: number }> };
}

async function manyExe(name: string, extra: Record<string, string> = {}): Promise<string> {
  const src = join(await makeTemp('airlock-qm-src-'), name);
  await mkdir(src, { recursive: true });
  for (let i = 0; i < FILES; i += 1) await writeFile(join(src, `tool${String(i).padStart(4, '0')}.exe`), `MZ ${i}\n`);
  for (const [file, body] of Object.entries(extra)) await writeFile(join(src, file), body);
  return (await sender.exportBundle(await makeTemp('airlock-qm-out-'), name, [src])).bundle.bundlePath;
}

async function keep(bundle: string): Promise<string> {
  const result = await receiver.run(['import', bundle, '--dest', await makeTemp('airlock-qm-dest-'), '--json']);
  expect(result.code, describeResult(result)).toBe(1);
  return parseJson<{ quarantine: { id: string } }>(result).quarantine.id;
}

async function policy(denyExtensions: string[]): Promise<void> {
  await writeFile(join(receiver.home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions } } }));
}

beforeAll(async () => {
  sender = await createStation(await makeTemp('airlock-qm-sender-'), 'Sending Station');
  receiver = await createStation(await makeTemp('airlock-qm-receiver-'), 'Receiving Station');
  const key = join(await makeTemp('airlock-qm-key-'), 'key.asc');
  await writeFile(key, (await sender.run(['keys', 'export-public'])).stdout);
  expect((await receiver.run(['keys', 'trust', key, '--fingerprint', sender.fingerprint])).code).toBe(0);
}, 120_000);

describe(`a kept bundle with ${FILES} findings (more than a report lists)`, () => {
  it('records them all counted per code, and releases overriding every one; the event lists 1,000 and counts the rest', async () => {
    await policy(['exe']);
    const id = await keep(await manyExe('many'));
    const shown = await receiver.run(['quarantine', 'show', id, '--json']);
    const detail = parseJson<ShowJson>(shown);
    expect(detail.entry.findingCounts).toEqual({ TYPE_DENIED: FILES });
    expect(detail.report.problems.filter((p) => p.path !== undefined)).toHaveLength(1_000);
    expect(detail.report.problems.find((p) => p.path === undefined)).toMatchObject({ code: 'TYPE_DENIED', count: FILES - 1_000 });
    expect((await receiver.run(['quarantine', 'show', id])).stdout).toContain(`findings recorded: TYPE_DENIED ${FILES}`);

    const dest = await makeTemp('airlock-qm-dest-');
    const released = await receiver.run(['quarantine', 'release', id, '--dest', dest, '--reason', 'a tool set we ordered', '--yes', '--json']);
    expect(released.code, describeResult(released)).toBe(0);
    expect((await readdir(join(dest, 'many', 'many'))).length).toBe(FILES);
    const events = parseJson<{ events: Array<{ details: { id?: string; overridden?: Array<{ code: string; path: string | null; count: number }> } }> }>(
      await receiver.run(['audit', 'list', '--type', 'quarantine-release', '--limit', '1', '--json']),
    ).events;
    const overridden = events[0]?.details.overridden ?? [];
    expect(overridden.length).toBeLessThanOrEqual(1_001);
    expect(overridden.reduce((n, o) => n + o.count, 0)).toBe(FILES);
  }, 300_000);

  it('a release that finds more of a code than were recorded is refused: nothing imported, still held', async () => {
    await policy(['exe']);
    const id = await keep(await manyExe('more', { 'readme.txt': 'read me\n' }));
    // Now .txt is denied too: one TYPE_DENIED more than the 1,100 recorded.
    await policy(['exe', 'txt']);
    const dest = await makeTemp('airlock-qm-dest-');
    const released = await receiver.run(['quarantine', 'release', id, '--dest', dest, '--reason', 'try', '--yes', '--json']);
    expect(released.code, describeResult(released)).toBe(1);
    expect(await readdir(dest)).toEqual([]);
    expect(parseJson<ShowJson>(await receiver.run(['quarantine', 'show', id, '--json'])).entry.status).toBe('held');
  }, 300_000);

  it('the kept report holds the findings after the first too (later files, archive members), and the release overrides each', async () => {
    await policy(['exe']);
    const src = join(await makeTemp('airlock-qm-src-'), 'mixed');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'a-first.exe'), 'MZ first\n');
    await writeFile(join(src, 'b-looks.txt'), '%PDF-1.4\n%\n');
    const inner = await makeTemp('airlock-qm-zip-');
    await writeFile(join(inner, 'hidden.exe'), 'MZ hidden\n');
    execFileSync('zip', ['-q', join(src, 'c-later.zip'), 'hidden.exe'], { cwd: inner });
    await writeFile(join(src, 'd-last.exe'), 'MZ last\n');
    const bundle = (await sender.exportBundle(await makeTemp('airlock-qm-out-'), 'mixed', [src])).bundle.bundlePath;
    const id = await keep(bundle);
    const detail = parseJson<ShowJson & { report: { problems: Array<{ members?: string[] }> } }>(await receiver.run(['quarantine', 'show', id, '--json']));
    const found = detail.report.problems.map((p) => [p.code, p.path, (p as { members?: string[] }).members ?? []]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['TYPE_DENIED', 'data/mixed/a-first.exe', []],
        ['TYPE_MISMATCH', 'data/mixed/b-looks.txt', []],
        ['TYPE_DENIED', 'data/mixed/c-later.zip', ['hidden.exe']],
        ['TYPE_DENIED', 'data/mixed/d-last.exe', []],
      ]),
    );
    expect(detail.entry.findingCounts).toEqual({ TYPE_DENIED: 3, TYPE_MISMATCH: 1 });
    const released = await receiver.run(['quarantine', 'release', id, '--dest', await makeTemp('airlock-qm-dest-'), '--reason', 'reviewed', '--yes', '--json']);
    expect(released.code, describeResult(released)).toBe(0);
    expect(parseJson<{ import: { overridden: unknown[] } }>(released).import.overridden).toHaveLength(4);
  }, 300_000);
});
