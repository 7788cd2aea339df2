/**
 * The operator guide's key procedures, run from the guide itself: creating and exchanging the
 * station key, an export, then backup, restore, rotation and revocation (section 6), whose text
 * once said that a rotated key's revocation certificate was lost, that a backup file had to be
 * cut apart before `keys revoke-import`, and that a revoked key could be trusted again.
 *
 * Each `$ ` line of those sections runs in bash, in order, after the README's setup block (the
 * guide uses the walkthrough's folders). The guide's examples are a real run in
 * /tmp/airlock-demo with the fingerprints that run produced, so commands run here with the
 * folder mapped to a private one and each of the guide's fingerprints replaced by the one this run
 * produced in the same place (as the operator types the fingerprint they heard). What each
 * command prints must have the shape the guide shows.
 */
import { readFile } from 'node:fs/promises';
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
  type DocStep,
} from '../../helpers/doc-transcripts.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const DOC_DEMO = '/tmp/airlock-demo';
const SECTIONS = [
  '### Create the station key',
  '## 2. Exchanging and confirming keys',
  '## 3. Sending: export',
  '### Backing up the key',
  '### Rotating the station key',
  '### Revoking a key',
];

describe('operator guide: the key procedures run as written', () => {
  it('prints what the guide shows for key creation, exchange, export, backup, restore, rotation and revocation', async () => {
    const guide = await readFile(join(REPO_ROOT, 'docs', 'operator-guide.md'), 'utf8');
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const steps: DocStep[] = SECTIONS.flatMap((heading) => docSteps(markdownSection(guide, heading)));
    expect(steps.length).toBeGreaterThanOrEqual(10);
    const setup = docSteps(markdownSection(readme, '## A 60-second walkthrough'))[0];
    expect(setup?.commands).toContain('airlock-demo');

    const tmp = await makeTemp('airlock-guide-');
    const demo = join(tmp, 'airlock-demo');
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, LC_ALL: 'C.UTF-8', PATH: `${join(REPO_ROOT, 'bin')}:${process.env['PATH'] ?? ''}` };
    delete env['AIRLOCK_HOME'];
    await runCommand(setup?.commands ?? '', { cwd: REPO_ROOT, env });

    const expected = new ShapeNormalizer();
    const actual = new ShapeNormalizer(docRunReplacements(demo, DOC_DEMO));
    const heard = new Map<string, string>();
    for (const step of steps) {
      const command = replaceFingerprints(step.commands.split(DOC_DEMO).join(demo), heard);
      const output = await runCommand(command, { cwd: REPO_ROOT, env });
      const shown = step.expected ?? '';
      expect(actual.shape(output), `docs/operator-guide.md line ${step.line}: the output differs from the guide's\n--- ran:\n${command}`).toBe(expected.shape(shown));
      const docPrints = fingerprintsIn(shown);
      const runPrints = fingerprintsIn(output);
      docPrints.forEach((fpr, k) => {
        const got = runPrints[k];
        if (got !== undefined && !heard.has(fpr)) heard.set(fpr, got);
      });
    }
  }, 300_000);
});
