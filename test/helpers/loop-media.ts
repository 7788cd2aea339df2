/**
 * Loop devices standing in for USB sticks (docs/design.md §5): ext4 mounted by the kernel, FAT32 made
 * with mkfs.vfat and mounted through fusefat (this kernel has no vfat module). Needs root.
 * Every loop and mount made here is undone by cleanup(), which the suites call in afterAll,
 * also after a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LoopMedium {
  image: string;
  device: string;
  mountPoint: string;
  label: string;
  fs: 'ext4' | 'vfat';
  /** Mount again after unmount() (fusefat or the kernel). */
  mount(): void;
  unmount(): void;
  mounted(): boolean;
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Root, loop devices and the tools: what the media suites need. A missing piece names itself. */
export function mediaTestPrerequisites(options: { fat?: boolean } = {}): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (loop devices and mount need it)';
  if (!existsSync('/dev/loop-control')) return 'no /dev/loop-control';
  const tools = ['losetup', 'mkfs.ext4', 'mount', 'umount', 'dd', 'blockdev', 'lsblk'];
  if (options.fat) tools.push('mkfs.vfat', 'fusefat');
  const missing = tools.filter((t) => !have(t));
  if (missing.length > 0) return `missing ${missing.join(', ')} (apt-get install dosfstools fusefat)`;
  if (options.fat && !existsSync('/dev/fuse')) return 'no /dev/fuse';
  // A container may run as root without the right to attach loop devices: try once.
  const probe = spawnSync('sh', ['-c', 'f=$(mktemp) && truncate -s 1M "$f" && d=$(losetup --find --show "$f") && losetup -d "$d"; s=$?; rm -f "$f"; exit $s'], {
    stdio: 'ignore',
  });
  return probe.status === 0 ? null : 'cannot attach a loop device here';
}

/** The fusefat daemon serving `mountPoint` (mounted with absolute paths), found by its command line. */
export function fusefatPid(mountPoint: string): number | null {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/u.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      if (argv[0]?.endsWith('fusefat') && argv.includes(mountPoint)) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

function isMounted(mountPoint: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] === mountPoint);
}

export class LoopMedia {
  private readonly media: LoopMedium[] = [];

  constructor(private readonly root: string) {}

  private async attach(name: string, sizeMiB: number): Promise<{ image: string; device: string; mountPoint: string }> {
    const image = join(this.root, `${name}.img`);
    const mountPoint = join(this.root, name);
    await mkdir(mountPoint, { recursive: true });
    await writeFile(image, '');
    await truncate(image, sizeMiB * 1024 * 1024);
    let device = '';
    // Parallel suites race for free loop devices: retry a busy one.
    for (let attempt = 0; attempt < 10 && device === ''; attempt += 1) {
      try {
        device = run('losetup', ['--find', '--show', image]).trim();
      } catch (error) {
        if (attempt === 9) throw error;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
    return { image, device, mountPoint };
  }

  private track(medium: LoopMedium): LoopMedium {
    this.media.push(medium);
    medium.mount();
    return medium;
  }

  async ext4(name: string, sizeMiB: number, label: string): Promise<LoopMedium> {
    const { image, device, mountPoint } = await this.attach(name, sizeMiB);
    run('mkfs.ext4', ['-q', '-F', '-L', label, '-m', '0', device]);
    return this.track({
      image,
      device,
      mountPoint,
      label,
      fs: 'ext4',
      mount: () => {
        run('mount', [device, mountPoint]);
      },
      unmount: () => {
        run('umount', [mountPoint]);
      },
      mounted: () => isMounted(mountPoint),
    });
  }

  /** FAT32 with 512-byte clusters (so a 40 MiB image is FAT32), served by fusefat in read-write mode. */
  async fat32(name: string, sizeMiB: number, label: string): Promise<LoopMedium> {
    const { image, device, mountPoint } = await this.attach(name, sizeMiB);
    run('mkfs.vfat', ['-F', '32', '-s', '1', '-n', label, device]);
    return this.track({
      image,
      device,
      mountPoint,
      label,
      fs: 'vfat',
      mount: () => {
        run('fusefat', ['-o', 'rw+', device, mountPoint]);
      },
      unmount: () => {
        run('umount', [mountPoint]);
      },
      mounted: () => isMounted(mountPoint),
    });
  }

  /** Unmount (lazily if busy) and detach everything; never throws. */
  cleanup(): void {
    for (const medium of this.media.splice(0).reverse()) {
      if (isMounted(medium.mountPoint)) spawnSync('umount', [medium.mountPoint], { stdio: 'ignore' });
      if (isMounted(medium.mountPoint)) spawnSync('umount', ['-l', medium.mountPoint], { stdio: 'ignore' });
      const pid = fusefatPid(medium.mountPoint);
      if (pid !== null) spawnSync('kill', [String(pid)], { stdio: 'ignore' });
      spawnSync('losetup', ['-d', medium.device], { stdio: 'ignore' });
    }
  }
}
