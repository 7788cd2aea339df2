/**
 * The operator guide's procedures, run from the guide itself, in the guide's order, as one
 * operator would follow it on two stations: creating and exchanging keys, an export, verify and
 * import (section 4), the two-person rule with a reviewer's GnuPG key, and recovering staged
 * exports (section 5), backup, restore, rotation and revocation (section 6), and the audit log:
 * list, verify, checkpoint and export (section 8). Its text once said that a rotated key's
 * revocation certificate was lost, that a backup file had to be cut apart before
 * `keys revoke-import`, and that a revoked key could be trusted again.
 *
 * Each `$ ` line of those sections runs in bash, in order, after the README's setup block (the
 * guide uses the walkthrough's folders). The guide's examples are a real run in /tmp/airlock-demo
 * with the fingerprints that run produced, so commands run here with the folder mapped to a
 * private one and each of the guide's fingerprints replaced by the one this run produced in the
 * same place (as the operator types the fingerprint they heard). What each command prints must
 * have the shape the guide shows; a line `...` in the guide stands for lines it leaves out.
 *
 * Set up here, because the guide takes them as given: the reviewer's own GnuPG key (a private
 * GNUPGHOME; the guide's reviewer has one, or a smartcard), and the tampered copy of the bundle
 * (made by the README walkthrough's own commands, taken from the README). Not run, and why:
 * removable media and Eject (a real USB stick; test/integration/media covers them on loop
 * devices), "A policy for a two-person site" (its policy.json would change every later verify),
 * "A station key on a smartcard" (a second station with a card key), the receipt and signed-head
 * checks with gpg (they need the station's key in the reader's own keyring), and "When the log is
 * broken" (hand-edited copies of a home; test/integration/audit covers those verdicts).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import {
  ShapeNormalizer,
  docRunReplacements,
  docSteps,
  fingerprintsIn,
  markdownSection,
  replaceFingerprints,
  runCommand,
  withElisions,
  type DocStep,
} from '../../helpers/doc-transcripts.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const DOC_DEMO = '/tmp/airlock-demo';
const SECTIONS = [
  '### Create the station key',
  '## 2. Exchanging and confirming keys',
  '## 3. Sending: export',
  '### Verify',
  '### Import',
  '## 5. The two-person rule',
  '### Backing up the key',
  '### Rotating the station key',
  '### Revoking a key',
  '### Looking things up',
  '### Verifying the log',
  '### Keeping a copy off the station',
];
/** The reviewer's GnuPG key as the guide shows it; this run's takes its place. */
const GUIDE_REVIEWER = '13C85BE5FCAB56432FDA4CC89D8E9BE168A0F6EB';
/** Checks without Airlock that need the station's public key in the reader's GnuPG keyring (see above). */
const withoutAirlock = (step: DocStep): boolean => /^(?:jq|gpg) /.test(step.commands);

describe('operator guide: the procedures run as written', () => {
  it('prints what the guide shows for keys, export, verify and import, the two-person rule, key life and the audit log', async () => {
    const guide = await readFile(join(REPO_ROOT, 'docs', 'operator-guide.md'), 'utf8');
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const bySection = SECTIONS.map((heading) => ({ heading, steps: docSteps(markdownSection(guide, heading)).filter((s) => !withoutAirlock(s)) }));
    for (const { heading, steps } of bySection) expect(steps.length, `${heading} has commands to run`).toBeGreaterThan(0);
    const all = bySection.flatMap((s) => s.steps.map((step) => ({ ...step, heading: s.heading })));
    for (const needed of [
      'verify',
      'import',
      '--prepare',
      'approve',
      '--finish',
      '--list-staged',
      '--discard-staged',
      'audit list',
      'audit verify',
      'audit checkpoint',
      'audit export',
    ]) {
      expect(
        all.some((s) => s.commands.includes(needed)),
        `the guide runs ${needed}`,
      ).toBe(true);
    }
    const walkthrough = docSteps(markdownSection(readme, '## A 60-second walkthrough'));
    const setup = walkthrough[0];
    expect(setup?.commands).toContain('airlock-demo');
    const tamper = walkthrough.find((s) => s.commands.includes('tampered.airlock.tar'));
    const makeTampered = (tamper?.commands ?? '').split('\n').filter((l) => !l.startsWith('airlock '));
    expect(makeTampered.length).toBeGreaterThanOrEqual(3);

    const tmp = await makeTemp('airlock-guide-');
    const demo = join(tmp, 'airlock-demo');
    const gnupg = join(tmp, 'gnupg');
    await mkdir(gnupg, { mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: tmp,
      GNUPGHOME: gnupg,
      D: demo,
      LC_ALL: 'C.UTF-8',
      PATH: `${join(REPO_ROOT, 'bin')}:${process.env['PATH'] ?? ''}`,
    };
    delete env['AIRLOCK_HOME'];
    await runCommand(setup?.commands ?? '', { cwd: tmp, env });

    // The reviewer's key, in GnuPG, with a passphrase, as the guide's reviewer has it.
    await writeFile(join(demo, 'reviewer-pass.txt'), 'reviewer passphrase\n');
    const gpg = (args: string[]) => spawnSync('gpg', ['--batch', '--no-tty', '--pinentry-mode', 'loopback', ...args], { env, encoding: 'utf8' });
    expect(
      gpg(['--passphrase-file', join(demo, 'reviewer-pass.txt'), '--quick-gen-key', 'R. Reviewer <reviewer@example.org>', 'ed25519', 'sign', 'never']).status,
    ).toBe(0);
    const reviewer = fingerprintsIn(gpg(['--with-colons', '--list-secret-keys']).stdout.replace(/^fpr:+([0-9A-F]{40}):$/gm, ' $1 '))[0] ?? '';
    expect(reviewer).toMatch(/^[0-9A-F]{40}$/);
    await writeFile(join(demo, 'reviewer.asc'), gpg(['--armor', '--export', reviewer]).stdout);

    const expected = new ShapeNormalizer();
    const actual = new ShapeNormalizer(docRunReplacements(demo, DOC_DEMO));
    const heard = new Map<string, string>([[GUIDE_REVIEWER, reviewer]]);
    const differences: string[] = [];
    for (const step of all) {
      if (step.heading === '### Verify' && step.commands.includes('tampered.airlock.tar')) await runCommand(makeTampered.join('\n'), { cwd: tmp, env });
      const command = replaceFingerprints(step.commands.split(DOC_DEMO).join(demo), heard);
      const output = await runCommand(command, { cwd: tmp, env });
      const shown = step.expected ?? '';
      const want = expected.shape(shown);
      const got = actual.shape(output);
      if (withElisions(got, want) !== got)
        differences.push(
          `docs/operator-guide.md line ${step.line} (${step.heading}): the output differs from the guide's\n--- ran:\n${command}\n--- guide:\n${want}\n--- got:\n${got}\n--- raw:\n${output}`,
        );
      const docPrints = fingerprintsIn(shown);
      const runPrints = fingerprintsIn(output);
      docPrints.forEach((fpr, k) => {
        const got = runPrints[k];
        if (got !== undefined && !heard.has(fpr)) heard.set(fpr, got);
      });
    }
    // Printed whole as well: the assertion's diff escapes the lines.
    if (differences.length > 0) console.log(differences.join('\n\n'));
    expect(differences).toEqual([]);
  }, 1_200_000); // About 45 CLI runs: 4 min alone, 8 min on a machine loaded 13 times over.
});
