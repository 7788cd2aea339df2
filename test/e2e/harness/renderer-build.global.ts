/**
 * Global setup of the e2e project (vitest.config.ts): builds the renderer once per test run and
 * provides its folder to the e2e files (build-renderer.ts copies it for each), removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { viteBuildRenderer } from './vite-build-renderer.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'airlock-e2e-renderer-'));
  const renderer = join(dir, 'renderer');
  try {
    await viteBuildRenderer(renderer);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide('e2eRendererBuild', renderer);
  return () => rm(dir, { recursive: true, force: true });
}
