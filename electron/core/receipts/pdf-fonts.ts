/**
 * The fonts every receipt PDF embeds (PDF/A forbids relying on the reader's fonts): DejaVu Sans,
 * Sans Bold and Sans Mono, shipped in the repository under resources/fonts/ (with their LICENSE)
 * and by the packaged app as extraResources (electron-builder.yml: <resources>/fonts). Found the
 * same way in every form core runs in: the packaged app's resources folder, else the nearest
 * resources/fonts above this code (the source tree, dist/cli/ of the CLI bundle, out/main/ of the
 * app). Never the operating system's fonts: the receipt must render the same on every station.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AirlockError } from '../errors.js';

export interface ReceiptFonts {
  regular: string;
  bold: string;
  mono: string;
}

const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', mono: 'DejaVuSansMono.ttf' } as const;

let found: ReceiptFonts | null = null;

export function receiptFonts(here: string = import.meta.url): ReceiptFonts {
  if (found !== null && here === import.meta.url) return found;
  const dir = fontDirCandidates(here).find((d) => Object.values(FILES).every((f) => existsSync(join(d, f))));
  if (dir === undefined) {
    throw new AirlockError('INTERNAL', `The receipt fonts (${Object.values(FILES).join(', ')}) are missing from this installation (resources/fonts).`);
  }
  const fonts = { regular: join(dir, FILES.regular), bold: join(dir, FILES.bold), mono: join(dir, FILES.mono) };
  if (here === import.meta.url) found = fonts;
  return fonts;
}

function fontDirCandidates(here: string): string[] {
  const dirs: string[] = [];
  // Electron sets process.resourcesPath in the packaged app (and in its CLI mode); plain Node does not.
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (typeof resources === 'string' && resources !== '') dirs.push(join(resources, 'fonts'));
  let dir = dirname(fileURLToPath(here));
  for (let up = 0; up < 6; up += 1) {
    dirs.push(join(dir, 'resources', 'fonts'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dirs;
}
