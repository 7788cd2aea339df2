/** Windows discovery: one PowerShell run of Get-Disk, Get-Partition and Get-Volume as JSON. */
import type { MediaVolume } from '../../../../shared/media.js';
import { parseWindowsListing, volumesFromWindows, WINDOWS_LIST_SCRIPT } from './windows-parse.js';
import { runTool } from '../os/run-tool.js';

export async function discoverWindows(protectedPaths: readonly string[]): Promise<MediaVolume[]> {
  const out = await runTool('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_LIST_SCRIPT], { timeoutMs: 30_000 }).catch(() => null);
  if (!out || out.code !== 0) return [];
  try {
    return volumesFromWindows(parseWindowsListing(out.stdout), protectedPaths);
  } catch {
    return [];
  }
}
