/**
 * The README's 60-second walkthrough, run as a new user runs it: its `sh` blocks, taken from the
 * README itself (not copied here), pasted in order into one bash, with `airlock` on the PATH the
 * way the README says to put it there. Each block's output must have the shape of the `text`
 * block the README shows after it: same lines, same words, same exit codes; only fingerprints,
 * bundle ids, dates and the demo folder may differ, and the same key must keep the same
 * fingerprint all the way through (the walkthrough once trusted the README's fingerprint instead
 * of the one just generated, and every later number shifted).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { ShapeNormalizer, docRunReplacements, docSteps, markdownSection, runDocSteps } from '../../helpers/doc-transcripts.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const PATH_SETUP = 'export PATH="$PWD/bin:$PATH"';

describe('README: the 60-second walkthrough runs verbatim', () => {
  it('prints what the README shows, block by block', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    // The README tells the reader to put airlock on the PATH this way; the run does the same.
    expect(readme).toContain(PATH_SETUP);
    const steps = docSteps(markdownSection(readme, '## A 60-second walkthrough'));
    expect(steps.length).toBeGreaterThanOrEqual(6);
    expect(steps.filter((s) => s.expected !== null).length).toBeGreaterThanOrEqual(6);
    expect(steps.map((s) => s.commands).join('\n')).not.toMatch(/\bnpx\b/);

    // The walkthrough keeps its files under $TMPDIR/airlock-demo: a private TMPDIR keeps this run's apart.
    const tmp = await makeTemp('airlock-readme-');
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, LC_ALL: 'C.UTF-8' };
    delete env.AIRLOCK_HOME;
    const runs = await runDocSteps(steps, { cwd: REPO_ROOT, env, prelude: PATH_SETUP });

    const expected = new ShapeNormalizer();
    const actual = new ShapeNormalizer(docRunReplacements(join(tmp, 'airlock-demo')));
    for (const { step, output } of runs) {
      const got = actual.shape(output);
      if (step.expected === null) {
        expect(got, `README line ${step.line} shows no output, but it printed:\n${output}`).toBe('');
        continue;
      }
      expect(got, `README line ${step.line}: the output differs from the README's\n--- ran:\n${step.commands}`).toBe(expected.shape(step.expected));
    }
  }, 300_000);
});
