/**
 * Free space on a FAT16/FAT32 volume, counted from the file allocation table itself. Needed
 * where the mount cannot say: fusefat answers statfs with zero blocks. Reads the boot sector and
 * the first FAT from the device (or image); the FSInfo free count is only a hint, so the table
 * is counted.
 */
import { open } from 'node:fs/promises';

export interface FatGeometry {
  type: 'FAT16' | 'FAT32';
  bytesPerSector: number;
  clusterBytes: number;
  clusters: number;
  fatOffset: number;
  fatBytes: number;
}

/** Parse a FAT boot sector (BPB); null when it is not FAT16/FAT32. */
export function parseFatBootSector(sector: Buffer): FatGeometry | null {
  if (sector.length < 512 || sector[510] !== 0x55 || sector[511] !== 0xaa) return null;
  const bytesPerSector = sector.readUInt16LE(11);
  const sectorsPerCluster = sector.readUInt8(13);
  const reserved = sector.readUInt16LE(14);
  const fats = sector.readUInt8(16);
  const rootEntries = sector.readUInt16LE(17);
  const total16 = sector.readUInt16LE(19);
  const fat16Size = sector.readUInt16LE(22);
  const total32 = sector.readUInt32LE(32);
  const fat32Size = sector.readUInt32LE(36);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector) || sectorsPerCluster === 0 || fats === 0 || reserved === 0) return null;
  const fatSectors = fat16Size !== 0 ? fat16Size : fat32Size;
  const totalSectors = total16 !== 0 ? total16 : total32;
  const rootDirSectors = Math.ceil((rootEntries * 32) / bytesPerSector);
  const dataSectors = totalSectors - (reserved + fats * fatSectors + rootDirSectors);
  if (fatSectors === 0 || dataSectors <= 0) return null;
  const clusters = Math.floor(dataSectors / sectorsPerCluster);
  // Microsoft's rule: the cluster count alone decides the FAT type.
  if (clusters < 4085) return null;
  const type = clusters < 65525 ? 'FAT16' : 'FAT32';
  return {
    type,
    bytesPerSector,
    clusterBytes: bytesPerSector * sectorsPerCluster,
    clusters,
    fatOffset: reserved * bytesPerSector,
    fatBytes: fatSectors * bytesPerSector,
  };
}

/** Free clusters in a FAT: entries 2 .. clusters+1 that are zero. */
export function countFreeClusters(fat: Buffer, geometry: FatGeometry): number {
  let free = 0;
  const last = geometry.clusters + 1;
  if (geometry.type === 'FAT32') {
    for (let c = 2; c <= last; c += 1) {
      const at = c * 4;
      if (at + 4 > fat.length) break;
      if ((fat.readUInt32LE(at) & 0x0fffffff) === 0) free += 1;
    }
  } else {
    for (let c = 2; c <= last; c += 1) {
      const at = c * 2;
      if (at + 2 > fat.length) break;
      if (fat.readUInt16LE(at) === 0) free += 1;
    }
  }
  return free;
}

export interface FatSpace {
  type: 'FAT16' | 'FAT32';
  free: number;
  size: number;
  clusterBytes: number;
}

/** Free and total data bytes of the FAT volume on `device`, or null when it is not FAT16/32 or cannot be read. */
export async function fatSpace(device: string): Promise<FatSpace | null> {
  let handle;
  try {
    handle = await open(device, 'r');
  } catch {
    return null;
  }
  try {
    const sector = Buffer.alloc(512);
    await handle.read(sector, 0, 512, 0);
    const geometry = parseFatBootSector(sector);
    if (!geometry) return null;
    const fat = Buffer.alloc(geometry.fatBytes);
    let got = 0;
    while (got < fat.length) {
      const { bytesRead } = await handle.read(fat, got, fat.length - got, geometry.fatOffset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const freeClusters = countFreeClusters(fat.subarray(0, got), geometry);
    return {
      type: geometry.type,
      free: freeClusters * geometry.clusterBytes,
      size: geometry.clusters * geometry.clusterBytes,
      clusterBytes: geometry.clusterBytes,
    };
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}
