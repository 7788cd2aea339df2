/**
 * Audit events as ECS JSON lines appended to a file that rotates (docs/siem.md): `PATH`, then
 * `PATH.1` (newest) ... `PATH.N` (oldest kept). Lines are written whole and a rotation happens
 * only between lines, so no line is ever split across two files; each batch is fsynced before
 * the cursor moves past it, and a rotation's renames are fsynced (the folder) before the new
 * file takes a line. A process killed mid-write can leave a partial last line: on opening, the
 * file is cut back to its last complete line, and those events (after the cursor) are written
 * again. Only the forwarder holding the lease (forward-lease.ts) writes the file.
 */
import { constants } from 'node:fs';
import { lstat, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent } from '../audit/audit-event.js';
import { errnoOf } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import type { JsonLinesSinkConfig } from '../home/forward-config.js';
import { formatEcsLine } from './ecs-format.js';
import type { ForwardSink } from './forward-sink.js';

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_KEEP = 5;
const TAIL_BLOCK = 64 * 1024;

/** Cut the file back to its last complete line (after a write a crash interrupted); returns the new size. */
async function dropPartialLine(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  let end = size;
  const block = Buffer.alloc(TAIL_BLOCK);
  while (end > 0) {
    const start = Math.max(0, end - TAIL_BLOCK);
    const { bytesRead } = await handle.read(block, 0, end - start, start);
    const newline = block.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline >= 0) {
      const keep = start + newline + 1;
      if (keep < size) {
        await handle.truncate(keep);
        await handle.sync();
      }
      return keep;
    }
    end = start;
  }
  if (size > 0) {
    await handle.truncate(0);
    await handle.sync();
  }
  return 0;
}

export class JsonLinesSink implements ForwardSink {
  readonly kind = 'jsonLines' as const;
  readonly target: string;
  readonly pending = false;
  private readonly maxBytes: number;
  private readonly keep: number;
  private handle: FileHandle | null = null;
  private size = 0;
  private confirmed = 0;

  constructor(config: JsonLinesSinkConfig) {
    this.target = config.path;
    this.maxBytes = config.maxBytes ?? DEFAULT_MAX_BYTES;
    this.keep = config.keep ?? DEFAULT_KEEP;
  }

  async send(events: readonly AuditEvent[], signal: AbortSignal): Promise<void> {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    let lastSeq = 0;
    for (const event of events) {
      signal.throwIfAborted();
      const line = Buffer.from(formatEcsLine(event), 'utf8');
      const handle = await this.opened();
      if (this.size + chunkBytes > 0 && this.size + chunkBytes + line.length > this.maxBytes) {
        await this.writeDurably(handle, chunk, chunkBytes, lastSeq);
        chunk = [];
        chunkBytes = 0;
        if (this.size > 0) await this.rotate();
      }
      chunk.push(line);
      chunkBytes += line.length;
      lastSeq = event.seq;
    }
    if (chunk.length > 0) await this.writeDurably(await this.opened(), chunk, chunkBytes, lastSeq);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  confirmedSeq(): number {
    return this.confirmed;
  }

  reset(): void {
    const handle = this.handle;
    this.handle = null;
    void handle?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private async opened(): Promise<FileHandle> {
    if (this.handle !== null) return this.handle;
    const handle = await open(this.target, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, 0o640);
    try {
      this.size = await dropPartialLine(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
    return handle;
  }

  /** Append whole lines, fsync, and only then count them as delivered. */
  private async writeDurably(handle: FileHandle, chunk: Buffer[], bytes: number, lastSeq: number): Promise<void> {
    if (chunk.length === 0) return;
    const data = Buffer.concat(chunk, bytes);
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
    this.size += data.length;
    await handle.sync();
    this.confirmed = lastSeq;
  }

  /** PATH.(k) -> PATH.(k+1) from the oldest kept down, PATH -> PATH.1, fsync the folder; the next line opens a new PATH. */
  private async rotate(): Promise<void> {
    await this.close();
    // Only the files there are move (not keep-1 renames each time): count the run PATH.1, PATH.2 ...
    let present = 0;
    while (present < this.keep - 1 && (await exists(`${this.target}.${present + 1}`))) present += 1;
    for (let k = present; k >= 1; k -= 1) await renameIfPresent(`${this.target}.${k}`, `${this.target}.${k + 1}`);
    await renameIfPresent(this.target, `${this.target}.1`);
    await fsyncDirectory(dirname(this.target));
    this.size = 0;
  }
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
}
