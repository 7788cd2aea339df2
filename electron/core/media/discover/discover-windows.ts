/** Windows discovery: one PowerShell run of Get-Disk, Get-Partition and Get-Volume as JSON. */
import type { MediaVolume } from '../../../../shared/media.js';
import type { ProtectedPaths, RefusedDisk } from './protected-disks.js';
import { parseWindowsListing, surveyWindows, WINDOWS_LIST_SCRIPT } from './windows-parse.js';
import { runTool, type ToolRunner } from '../os/run-tool.js';

const run: ToolRunner = (command, args) => runTool(command, args, { timeoutMs: 30_000 });

/** The removable volumes, and the disks refused because Windows boots from them or they hold a system path or a source (surveyWindows). */
export async function discoverWindows(paths: ProtectedPaths, runner: ToolRunner = run): Promise<{ volumes: MediaVolume[]; refused: RefusedDisk[] }> {
  const out = await runner('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_LIST_SCRIPT]).catch(() => null);
  if (!out || out.code !== 0) return { volumes: [], refused: [] };
  try {
    return surveyWindows(parseWindowsListing(out.stdout), paths);
  } catch {
    return { volumes: [], refused: [] };
  }
}
