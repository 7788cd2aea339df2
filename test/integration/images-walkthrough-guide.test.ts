/**
 * docs/operator-guide.md "10. Images and charts", run from the guide itself: every `$ ` line of
 * the section's transcripts in order, in one operator's terminal, after the README walkthrough's first blocks
 * (the demo folders, the sending key, the receiving station's trust in it and its own key). The
 * guide's registry is `127.0.0.1:5000`; here a fresh docker-registry on a free port stands in for
 * it, and the guide's demo folder for a private one. What each command prints must have the
 * shape the guide shows (test/helpers/doc-transcripts.ts: fingerprints, ids, dates and hashes are
 * placeholders; `...` elides lines). The killed and resumed push is not a transcript (its timing
 * is the machine's): images-walkthrough.test.ts does that step deterministically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli-runner.js';
import { ShapeNormalizer, docRunReplacements, docSteps, markdownSection, runDocSteps, withElisions } from '../helpers/doc-transcripts.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const GUIDE_REGISTRY = '127.0.0.1:5000';
const DOC_DEMO = '/tmp/airlock-demo';
const PATH_SETUP = 'export PATH="$PWD/bin:$PATH"';
/** Section 10's parts with transcripts, in order ("A push that stopped" has none: see above). */
const SUBSECTIONS = [
  "### Try it with the repository's test image",
  '### Export images',
  '### Verify images',
  '### Push into the registry on import',
  '### A tampered blob',
];

describe('operator guide: images and charts run as written', () => {
  let registry: RegistryServer | undefined;
  afterAll(async () => {
    await registry?.stop();
  });

  it('builds, exports, verifies, pushes and refuses a tampered blob as the guide shows', async () => {
    const guide = await readFile(join(REPO_ROOT, 'docs', 'operator-guide.md'), 'utf8');
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(guide).toContain('## 10. Images and charts');
    const steps = SUBSECTIONS.flatMap((heading) => docSteps(markdownSection(guide, heading)));
    const commands = steps.map((s) => s.commands).join('\n');
    for (const needed of ['make-test-image.ts', 'export --image oci:', ' verify ', '--push-to 127.0.0.1:5000 --insecure-registry', 'skopeo inspect --raw'])
      expect(commands, `the guide runs ${needed}`).toContain(needed);
    // The stations the guide's examples use: the README walkthrough's setup, sending key, and receiving trust + key.
    const setup = docSteps(markdownSection(readme, '## A 60-second walkthrough')).slice(0, 3);
    expect(setup.map((s) => s.commands).join('\n')).toContain('keys trust');

    const tmp = await makeTemp('airlock-guide-images-');
    registry = await startRegistry();
    const demo = join(tmp, 'airlock-demo');
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, LC_ALL: 'C.UTF-8' };
    delete env['AIRLOCK_HOME'];
    const mapped = steps.map((s) => ({
      ...s,
      commands: s.commands
        .split(DOC_DEMO)
        .join(demo)
        .split(GUIDE_REGISTRY)
        .join(registry?.host ?? ''),
    }));
    const runs = await runDocSteps([...setup, ...mapped], { cwd: REPO_ROOT, env, prelude: PATH_SETUP });

    const expected = new ShapeNormalizer();
    const actual = new ShapeNormalizer([...docRunReplacements(demo, DOC_DEMO), [registry.host, GUIDE_REGISTRY]]);
    const differences: string[] = [];
    for (const { step, output } of runs.slice(setup.length)) {
      const want = expected.shape(step.expected ?? '');
      const got = actual.shape(output);
      if (withElisions(got, want) !== got)
        differences.push(
          `docs/operator-guide.md line ${step.line}: the output differs from the guide's\n--- ran:\n${step.commands}\n--- guide:\n${want}\n--- got:\n${got}`,
        );
    }
    if (differences.length > 0) console.log(differences.join('\n\n'));
    expect(differences).toEqual([]);
  }, 600_000);
});
