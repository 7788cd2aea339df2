/**
 * Untrusted text reaching the operator through the real CLI (terminal-escape-injection): a bundle
 * signed correctly by a trusted key whose signer's user ID, bag-info values (Airlock-Station,
 * Airlock-Operator, Source-Organization, External-Description) and payload names carry terminal
 * escapes (CSI, OSC with BEL, an 8-bit C1 CSI), bidi overrides, zero-width and invisible
 * characters. verify, import, audit list and a verify that refuses the signer as unknown must:
 * - print no unsafe character on stdout or stderr, human or --json (a terminal shows both);
 * - keep the exact values in --json (they parse back to what the bundle holds);
 * - show two names that differ only by an invisible character as two different names.
 * `airlock watch` is given the bundle and a broken one under inbox names that carry the same: its
 * lines, `watch --status` and the report.json/outcome.json it leaves hold no raw unsafe character.
 * A bundle held by the type policy (an .exe whose name hides a zero-width space): `quarantine list`
 * and `show`, human and --json, and the kept report.json.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson, type CliResult } from '../helpers/cli-runner.js';
import { resignedBag } from '../helpers/hostile-bag.js';
import { UNSAFE_ON_TERMINAL } from '../helpers/hostile-text.js';
import { makeSigner, tarOf, type BagPayloadFile, type TestSigner } from '../helpers/hostile-tar.js';
import { createStation, type TestStation } from '../helpers/station.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { readStatusFiles, startWatch, stopWatch, waitUntil } from '../helpers/watch-process.js';

const makeTemp = useTempDirs();

function expectSafeOnTerminal(result: CliResult): void {
  for (const [stream, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    const hit = UNSAFE_ON_TERMINAL.exec(text);
    expect(
      hit === null
        ? null
        : `${stream}: U+${(hit[0].codePointAt(0) ?? 0).toString(16)} at ${hit.index} in ${JSON.stringify(text.slice(Math.max(0, hit.index - 40), hit.index + 40))}`,
    ).toBeNull();
  }
}

const SIGNER_NAME = 'Mallory \u001b]0;trusted signer\u0007\u001b[2K\u202eredro\u202c';
const STATION = 'st\u001b[1A\u001b[2KOK verified\u009b31m';
const OPERATOR = 'op\u2066\u202egpj.exe\u2069\u200b';
const ORGANIZATION = 'org\u001b]8;;http://evil.example/\u001b\\link\u001b]8;;\u001b\\';
const DESCRIPTION = 'desc\u2028forged line\u00ad\ufeff\u{e0041}';
/** Names the path rules accept: two that differ only by an invisible character, a BOM, a tag character, a soft hyphen. */
const NAMES = ['data/invoice.pdf', 'data/invoice\u200b.pdf', 'data/\ufeffreadme.txt', 'data/tag\u{e0041}.txt', 'data/soft\u00adhyphen.txt'];

let station: TestStation;
let signer: TestSigner;
let bundlePath: string;

beforeAll(async () => {
  const root = await makeTemp('airlock-termesc-');
  station = await createStation(root);
  signer = await makeSigner(SIGNER_NAME);
  const pub = join(root, 'signer.asc');
  await writeFile(pub, signer.publicKey.armor());
  const trusted = await station.run(['keys', 'trust', pub, '--fingerprint', signer.trusted.fingerprint]);
  expect(trusted.code, describeResult(trusted)).toBe(0);
  expectSafeOnTerminal(trusted);

  const files: BagPayloadFile[] = NAMES.map((path, i) => ({ path, content: `file ${i}\n` }));
  const bag = await resignedBag(signer, files, {
    name: 'hostile-text',
    edit: {
      'bag-info.txt': (bytes) =>
        Buffer.from(
          `${bytes
            .toString('utf8')
            .replace(/^Airlock-Station: .*$/mu, `Airlock-Station: ${STATION}`)
            .replace(/^Airlock-Operator: .*$/mu, `Airlock-Operator: ${OPERATOR}`)}Source-Organization: ${ORGANIZATION}\nExternal-Description: ${DESCRIPTION}\n`,
        ),
    },
  });
  bundlePath = join(root, 'hostile-text.airlock.tar');
  await writeFile(bundlePath, tarOf([...bag.tagEntries, ...bag.payloadEntries]));
}, 60_000);

interface Report {
  ok: boolean;
  bundle: { station: string | null; operator: string | null };
  signers: Array<{ userIds: string[] }>;
  files: { listed: Array<{ path: string }> };
  problems: Array<{ code: string }>;
}

describe('terminal-escape-injection: verify, import, audit', () => {
  it('verify: the human report holds no escape, the --json report the exact values, and an invisible difference shows', async () => {
    const human = await station.run(['verify', '--verbose', bundlePath]);
    expect(human.code, describeResult(human)).toBe(0);
    expectSafeOnTerminal(human);
    expect(human.stdout).toContain('VERIFIED');
    // "OK verified" from the station value stays inside its line, after a visible escape.
    expect(human.stdout).toContain('station st\\u001b[1A\\u001b[2KOK verified\\u009b31m');
    expect(human.stdout).toContain('data/invoice\\u200b.pdf');
    expect(human.stdout).toContain('data/tag\\u{e0041}.txt');
    expect(human.stdout).toContain('Signed by Mallory \\u001b]0;trusted signer\\u0007\\u001b[2K\\u202eredro\\u202c');

    const json = await station.run(['verify', '--json', bundlePath]);
    expectSafeOnTerminal(json);
    const report = parseJson<Report>(json);
    expect(report.ok, describeResult(json)).toBe(true);
    expect(report.bundle.station).toBe(STATION);
    expect(report.bundle.operator).toBe(OPERATOR);
    expect(report.signers[0]?.userIds).toEqual([SIGNER_NAME]);
    expect(report.files.listed.map((f) => f.path).sort()).toEqual([...NAMES].sort());
  });

  it('import, then audit list: no escape on the terminal, the exact values in --json', async () => {
    const dest = await makeTemp('airlock-termesc-dest-');
    const imported = await station.run(['import', '--verbose', bundlePath, '--dest', dest]);
    expect(imported.code, describeResult(imported)).toBe(0);
    expectSafeOnTerminal(imported);
    expect(imported.stdout).toContain('data/invoice\\u200b.pdf');

    const list = await station.run(['audit', 'list']);
    expect(list.code, describeResult(list)).toBe(0);
    expectSafeOnTerminal(list);
    const listJson = await station.run(['audit', 'list', '--json']);
    expectSafeOnTerminal(listJson);
    const events = parseJson<{ events: Array<{ type: string; details: { userIds?: string[] } }> }>(listJson).events;
    expect(events.find((e) => e.type === 'key-trust')?.details.userIds).toEqual([SIGNER_NAME]);
  });

  it('media verify of a folder holding the bundle (its name hiding a bidi override): human and --json', async () => {
    const medium = await makeTemp('airlock-termesc-medium-');
    await writeFile(join(medium, 'held\u202egpj.airlock.tar'), await readFile(bundlePath));
    const human = await station.run(['media', 'verify', medium]);
    expectSafeOnTerminal(human);
    expect(human.stdout + human.stderr).toContain('\\u202egpj');
    const json = await station.run(['media', 'verify', medium, '--json']);
    expectSafeOnTerminal(json);
    expect(JSON.stringify(parseJson(json))).toContain('held\u202egpj.airlock.tar');
    // The receipts it wrote are named after the file, with the override made inert.
    const receipts = await readdir(join(station.home, 'receipts'));
    expect(receipts.some((n) => n.startsWith('held_gpj.media-verify-receipt'))).toBe(true);
    expect(receipts.filter((n) => UNSAFE_ON_TERMINAL.test(n))).toEqual([]);
  });

  it('an unknown signer: the refusal names its user ID escaped, human and --json', async () => {
    const other = await createStation(await makeTemp('airlock-termesc-other-'));
    const human = await other.run(['verify', bundlePath]);
    expect(human.code).not.toBe(0);
    expectSafeOnTerminal(human);
    expect(human.stdout + human.stderr).toContain('\\u202eredro\\u202c');
    const json = await other.run(['verify', '--json', bundlePath]);
    expectSafeOnTerminal(json);
    expect(parseJson<Report>(json).problems.map((p) => p.code)).toContain('SIGNER_UNTRUSTED');
  });

  it('watch: inbox names with escapes and bidi, its lines, --status and the report.json it leaves', async () => {
    const root = await makeTemp('airlock-termesc-watch-');
    const watcher = await createStation(root);
    const pub = join(root, 'signer.asc');
    await writeFile(pub, signer.publicKey.armor());
    expect((await watcher.run(['keys', 'trust', pub, '--fingerprint', signer.trusted.fingerprint])).code).toBe(0);
    const inbox = join(root, 'inbox');
    const dest = join(root, 'dest');
    await mkdir(inbox);
    await mkdir(dest);
    // A control character in an inbox name: the entry is refused as it is (INBOX_ENTRY_REFUSED);
    // invisible and bidi characters only: the bundle is verified and imported, the broken one refused.
    const bundles = ['in\u001b]0;pwned\u0007\u202egpj.airlock.tar', 'in\u200b\u2060visible.airlock.tar'];
    const broken = 'broken\u200b\u202e.airlock.tar';
    for (const name of bundles) await writeFile(join(inbox, name), await readFile(bundlePath));
    await writeFile(join(inbox, broken), 'not a tar archive\n');
    for (const name of [...bundles, broken]) await writeFile(join(inbox, `${name}.done`), '');
    const watch = startWatch(watcher.home, inbox, dest);
    const SETTLED = new Set(['accepted', 'quarantine', 'refused']);
    try {
      await waitUntil(
        'every inbox entry decided',
        async () => {
          const left = (await readdir(inbox)).filter((n) => !n.startsWith('.') && !SETTLED.has(n));
          const counts = (await readStatusFiles(watcher.home))[0]?.counts;
          return left.length === 0 && counts !== undefined && counts.queued === 0 && counts.arriving === 0;
        },
        120_000,
      );
    } finally {
      await stopWatch(watch);
    }
    expectSafeOnTerminal({ code: 0, stdout: watch.stdout(), stderr: watch.stderr() });
    expect(watch.stdout()).toContain('in\\u001b]0;pwned\\u0007\\u202egpj.airlock.tar');
    expect(watch.stdout()).toContain('in\\u200b\\u2060visible.airlock.tar');
    const status = await watcher.run(['watch', '--status']);
    expectSafeOnTerminal(status);
    const statusJson = await watcher.run(['watch', '--status', '--json']);
    expectSafeOnTerminal(statusJson);
    const recent = parseJson<{ watchers: Array<{ recent: Array<{ name: string }> }> }>(statusJson).watchers[0]?.recent.map((r) => r.name) ?? [];
    expect(recent).toContain(bundles[0]);
    expect(recent).toContain(broken);
    // The reports beside each decided entry: readable with cat, exact with a JSON parser.
    let reports = 0;
    for (const sub of ['accepted', 'quarantine', 'refused']) {
      for (const folder of await readdir(join(inbox, sub)).catch(() => [] as string[])) {
        for (const file of ['report.json', 'outcome.json']) {
          const text = await readFile(join(inbox, sub, folder, file), 'utf8').catch(() => null);
          if (text === null) continue;
          reports += 1;
          expect(UNSAFE_ON_TERMINAL.test(text), `${sub}/${JSON.stringify(folder)}/${file}`).toBe(false);
          expect(() => JSON.parse(text) as unknown).not.toThrow();
        }
      }
    }
    expect(reports).toBeGreaterThan(0);
  }, 180_000);

  it('quarantine: a bundle held for a hidden .exe; list, show and the kept report.json', async () => {
    const root = await makeTemp('airlock-termesc-q-');
    const q = await createStation(root);
    const pub = join(root, 'signer.asc');
    await writeFile(pub, signer.publicKey.armor());
    expect((await q.run(['keys', 'trust', pub, '--fingerprint', signer.trusted.fingerprint])).code).toBe(0);
    await writeFile(join(q.home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
    const exe = 'data/in\u200bvoice\u2060.pdf\u{e0020}.exe';
    const bag = await resignedBag(signer, [{ path: exe, content: 'MZ not really\n' }, ...NAMES.slice(0, 2).map((path) => ({ path, content: 'x\n' }))], {
      name: 'held-text',
    });
    const held = join(root, 'held-text.airlock.tar');
    await writeFile(held, tarOf([...bag.tagEntries, ...bag.payloadEntries]));
    const imported = await q.run(['import', held, '--dest', await makeTemp('airlock-termesc-q-dest-')]);
    expect(imported.code, describeResult(imported)).toBe(1);
    expectSafeOnTerminal(imported);
    const list = await q.run(['quarantine', 'list', '--json']);
    expectSafeOnTerminal(list);
    const entries = parseJson<{ entries: Array<{ id: string }> }>(list).entries;
    expect(entries).toHaveLength(1);
    const id = entries[0]?.id ?? '';
    expectSafeOnTerminal(await q.run(['quarantine', 'list']));
    const show = await q.run(['quarantine', 'show', id]);
    expectSafeOnTerminal(show);
    expect(show.stdout).toContain('data/in\\u200bvoice\\u2060.pdf\\u{e0020}.exe');
    const showJson = await q.run(['quarantine', 'show', id, '--json']);
    expectSafeOnTerminal(showJson);
    expect(JSON.stringify(parseJson(showJson))).toContain(JSON.stringify(exe).slice(1, -1));
    let reports = 0;
    for (const folder of await readdir(join(q.home, 'quarantine')).catch(() => [] as string[])) {
      for (const file of ['report.json', 'entry.json']) {
        const text = await readFile(join(q.home, 'quarantine', folder, file), 'utf8').catch(() => null);
        if (text === null) continue;
        reports += 1;
        expect(UNSAFE_ON_TERMINAL.test(text), `${folder}/${file}`).toBe(false);
      }
    }
    expect(reports).toBe(2);
  }, 120_000);
});
