/**
 * The built renderer for one e2e file, in its own folder. The e2e project's global setup
 * (renderer-build.global.ts) builds it once per test run and each file gets a copy: the same
 * files, without nine vite builds on a loaded CI machine. A file run outside that project
 * builds its own.
 */
import { cp, rm } from 'node:fs/promises';
import { inject } from 'vitest';
import { viteBuildRenderer } from './vite-build-renderer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The renderer built by the global setup of the e2e project, if it ran. */
    e2eRendererBuild?: string;
  }
}

export async function buildRenderer(outDir: string): Promise<void> {
  const built = inject('e2eRendererBuild');
  if (built === undefined) {
    await viteBuildRenderer(outDir);
    return;
  }
  await rm(outDir, { recursive: true, force: true });
  await cp(built, outDir, { recursive: true });
}
