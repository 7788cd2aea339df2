/**
 * Builds the renderer exactly as electron-vite's renderer half does (same root and React
 * plugin), into a folder, so the end-to-end suite loads the real built page.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function viteBuildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(repo, 'renderer'),
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  });
}
