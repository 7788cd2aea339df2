/**
 * `airlock media verify` writes a receipt set per bundle verified (issue #19.2): in the station
 * home's receipts/ (0700) or --receipt-dir, never on the medium (its listing and hashes are the
 * same after); signed with --passphrase-file (gpg VALIDSIG on the .json.asc and .pdf.asc), the
 * PDF passes qpdf --check, renders with pdftoppm and carries the published JSON byte for byte;
 * a refused bundle gets its receipt too; a receipt folder that cannot take it gives
 * RECEIPT_DIR_UNUSABLE while the verification's own result stands.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { runAtTerminal } from '../../helpers/fake-terminal.js';
import { createStation, TEST_PASSPHRASE, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { writeTree } from '../../helpers/tree-digest.js';
import { attachment, qpdfCheck, text } from './pdf-tools.js';

const makeTemp = useTempDirs();
let station: TestStation;
let gnupg: GnupgHome;
let root: string;
let medium: string;

interface Sets {
  dir: string;
  signed: boolean;
  sets: Array<{ json: string; signature: string | null; html: string; pdf: string | null; pdfSignature: string | null }>;
  problem: { code: string; message: string } | null;
}
interface Report {
  ok: boolean;
  auditEvent: number;
  receipt: Sets;
  warnings: string[];
}

/** Every file on the medium with its SHA-256 and mode: what "nothing written" is checked against. */
async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(entry.parentPath, entry.name);
    const s = await stat(path);
    out.push(
      `${path} ${s.mode} ${
        s.isFile()
          ? createHash('sha256')
              .update(await readFile(path))
              .digest('hex')
          : 'dir'
      }`,
    );
  }
  return out.sort();
}

beforeAll(async () => {
  root = await makeTemp('airlock-mvr-');
  station = await createStation(root, 'Medium Station');
  const src = join(root, 'src');
  await writeTree(src, { 'report.txt': 'checked\n', 'sub/data.bin': Buffer.alloc(4000, 3) });
  medium = join(root, 'medium');
  await mkdir(medium);
  await station.exportBundle(medium, 'q3', [src]);
  await station.exportBundle(medium, 'q4', [src]);
  const exported = await station.run(['keys', 'export-public']);
  await writeFile(join(root, 'station.asc'), exported.stdout);
  gnupg = await GnupgHome.create();
  gnupg.importKeyFile(join(root, 'station.asc'));
});
afterAll(async () => {
  await gnupg?.close();
});

function expectGoodSig(signature: string | null, file: string | null): void {
  expect(signature).not.toBeNull();
  const verified = gnupg.verify(signature as string, file as string);
  expect(verified.status, verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(new RegExp(`^\\[GNUPG:\\] GOODSIG `, 'mu'));
  expect(verified.stdout).toMatch(new RegExp(`^\\[GNUPG:\\] VALIDSIG ${station.fingerprint} `, 'mu'));
}

describe('media verify receipts', () => {
  it('a verified medium: one signed set per bundle in the station home receipts/ (0700), nothing written to the medium', async () => {
    const before = await listing(medium);
    const result = await station.run(['media', 'verify', medium, '--passphrase-file', station.passFile, '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const report = parseJson<Report>(result);
    expect(await listing(medium)).toEqual(before);
    const dir = join(station.home, 'receipts');
    expect(report.receipt).toMatchObject({ dir, signed: true, problem: null });
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');
    expect(report.receipt.sets.map((s) => s.json)).toEqual([join(dir, 'q3.media-verify-receipt.json'), join(dir, 'q4.media-verify-receipt.json')]);
    const set = report.receipt.sets[0] as Sets['sets'][number];
    const json = JSON.parse(await readFile(set.json, 'utf8')) as Record<string, unknown> & {
      audit: { eventSeq: number; checkpoint: unknown };
      checks: Array<{ check: string; result: string }>;
      media: { volumes: Array<{ files: string[] }> };
    };
    expect(json).toMatchObject({
      kind: 'media-verify',
      outcome: 'verified',
      destination: medium,
      bundle: { name: 'q3', path: join(medium, 'q3.airlock.tar') },
    });
    expect(json.audit.eventSeq).toBe(report.auditEvent);
    expect(json.audit.checkpoint).not.toBeNull();
    expect(json.media.volumes[0]?.files).toEqual(['q3.airlock.tar']);
    expect(json.checks.find((c) => c.check === 'Every payload file matches its signed SHA-256')?.result).toBe('passed');
    expect(json.checks.some((c) => c.result === 'failed')).toBe(false);
    // The PDF: structure, rendering, the JSON embedded byte for byte, both signatures by the station key.
    const check = qpdfCheck(set.pdf as string);
    expect(check.status, check.output).toBe(0);
    const rendered = spawnSync('pdftoppm', ['-r', '40', '-png', '-f', '1', '-l', '1', set.pdf as string, join(root, 'page')], { encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    expect((await stat(join(root, 'page-1.png'))).size).toBeGreaterThan(1000);
    expect(text(set.pdf as string)).toContain('Medium verified');
    expect(attachment(set.pdf as string, 'q3.media-verify-receipt.json').equals(await readFile(set.json))).toBe(true);
    expect(attachment(set.pdf as string, 'q3.media-verify-receipt.json.asc').equals(await readFile(set.signature as string))).toBe(true);
    expectGoodSig(set.signature, set.json);
    expectGoodSig(set.pdfSignature, set.pdf);
    // The human form says where the receipts went; a second run numbers its set, replacing nothing.
    const again = await station.run(['media', 'verify', medium, '--passphrase-file', station.passFile]);
    expect(again.code, describeResult(again)).toBe(0);
    expect(again.stdout).toContain(`receipts in ${dir} (signed)`);
    expect(again.stdout).toContain(join(dir, 'q3.media-verify-receipt-2.pdf'));
    expect(await listing(medium)).toEqual(before);
  });

  it('a refused medium gets its receipt too (unsigned without a passphrase, said so), in --receipt-dir', async () => {
    const bad = await makeTemp('airlock-mvr-bad-');
    const tar = join(bad, 'q3.airlock.tar');
    await copyFile(join(medium, 'q3.airlock.tar'), tar);
    // Flip one byte of the payload's content (the 4000 bytes of 3s): a checksum mismatch.
    const bytes = await readFile(tar);
    const at = bytes.indexOf(Buffer.alloc(64, 3));
    expect(at).toBeGreaterThan(0);
    const handle = await open(tar, 'r+');
    await handle.write(Buffer.from([4]), 0, 1, at + 10);
    await handle.close();
    const before = await listing(bad);
    const out = join(await makeTemp('airlock-mvr-out-'), 'filed');
    const result = await station.run(['media', 'verify', bad, '--receipt-dir', out, '--json']);
    expect(result.code, describeResult(result)).toBe(1);
    const report = parseJson<Report>(result);
    expect(report.ok).toBe(false);
    expect(await listing(bad)).toEqual(before);
    expect(report.receipt).toMatchObject({ dir: out, signed: false, problem: null });
    expect(report.warnings.join('\n')).toContain('unsigned');
    const set = report.receipt.sets[0] as Sets['sets'][number];
    expect(set).toMatchObject({ signature: null, pdfSignature: null });
    const json = JSON.parse(await readFile(set.json, 'utf8')) as { outcome: string; checks: Array<{ check: string; result: string }> };
    expect(json.outcome).toBe('refused');
    expect(json.checks).toContainEqual(expect.objectContaining({ check: 'Every payload file matches its signed SHA-256', result: 'failed' }));
    expect(json.checks).toContainEqual(expect.objectContaining({ check: 'CHECKSUM_MISMATCH', result: 'failed' }));
    expect(qpdfCheck(set.pdf as string).status).toBe(0);
    const page = text(set.pdf as string);
    expect(page).toContain('REFUSED');
    expect(page).toContain('Unsigned');
  });

  it('a receipt folder that is a file, or on the medium: RECEIPT_DIR_UNUSABLE, the verification stands, nothing written', async () => {
    const before = await listing(medium);
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder\n');
    const onFile = await station.run(['media', 'verify', medium, '--receipt-dir', file, '--json']);
    expect(onFile.code, describeResult(onFile)).toBe(0);
    const report = parseJson<Report>(onFile);
    expect(report.ok).toBe(true);
    expect(report.receipt.problem?.code).toBe('RECEIPT_DIR_UNUSABLE');
    expect(report.receipt.sets).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe('not a folder\n');
    const under = await station.run(['media', 'verify', medium, '--receipt-dir', join(file, 'sub')]);
    expect(under.code, describeResult(under)).toBe(0);
    expect(under.stdout).toContain('VERIFIED');
    expect(under.stdout).toContain('NO RECEIPT  RECEIPT_DIR_UNUSABLE');
    const onMedium = await station.run(['media', 'verify', medium, '--receipt-dir', join(medium, 'receipts'), '--json']);
    expect(onMedium.code, describeResult(onMedium)).toBe(0);
    expect(parseJson<Report>(onMedium).receipt.problem?.message).toContain('on the medium being verified');
    // Through a symlink whose missing folders would be made on the medium: refused before any is made.
    await symlink(medium, join(root, 'to-medium'));
    const viaLink = await station.run(['media', 'verify', medium, '--receipt-dir', join(root, 'to-medium', 'new', 'receipts'), '--json']);
    expect(parseJson<Report>(viaLink).receipt.problem?.message).toContain('on the medium being verified');
    expect(await listing(medium)).toEqual(before);
  });

  it('a wrong --passphrase-file is refused before the medium is read (PASSPHRASE_WRONG, exit 3), no receipt written', async () => {
    const wrong = join(root, 'wrong-pass');
    await writeFile(wrong, 'not the passphrase\n');
    const out = join(await makeTemp('airlock-mvr-wrong-'), 'r');
    const result = await station.run(['media', 'verify', medium, '--receipt-dir', out, '--passphrase-file', wrong]);
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toContain('PASSPHRASE_WRONG');
    await expect(stat(out)).rejects.toThrow();
  });

  it('on a terminal the passphrase is asked for (Enter skips: unsigned, said so)', async () => {
    const out = await makeTemp('airlock-mvr-tty-');
    const typed = await runAtTerminal(['--home', station.home, 'media', 'verify', medium, '--receipt-dir', join(out, 'signed')], [TEST_PASSPHRASE]);
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.prompts).toEqual(['Station key passphrase to sign the receipt (Enter to skip): ']);
    expect(typed.stdout).toContain(`receipts in ${join(out, 'signed')} (signed)`);
    const skipped = await runAtTerminal(['--home', station.home, 'media', 'verify', medium, '--receipt-dir', join(out, 'unsigned')], ['']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain('(unsigned)');
    expect(skipped.stdout).toContain('warning: The receipts and the audit checkpoint are unsigned');
    expect((await readdir(join(out, 'unsigned'))).filter((f) => f.endsWith('.asc'))).toEqual([]);
  });

  it('in German on a German station: "Datenträger geprüft"', async () => {
    const config = join(station.home, 'config.json');
    const had = await readFile(config, 'utf8').catch(() => '{}');
    await writeFile(config, `${JSON.stringify({ ...(JSON.parse(had) as object), language: 'de' })}\n`);
    try {
      const out = await makeTemp('airlock-mvr-de-');
      const result = await station.run(['media', 'verify', medium, '--receipt-dir', out, '--passphrase-file', station.passFile, '--json']);
      expect(result.code, describeResult(result)).toBe(0);
      const page = text((parseJson<Report>(result).receipt.sets[0] as Sets['sets'][number]).pdf as string);
      for (const term of ['Datenträger geprüft', 'Geprüft auf', 'GEPRÜFT']) expect(page).toContain(term);
    } finally {
      await writeFile(config, had);
    }
  });
});
