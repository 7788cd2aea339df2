/** The images part of an export as the operator builds it, and what startExport is sent for it. */
import type { IpcRequest } from '../../../../shared/ipc.js';

export interface ImageChoice {
  /** References typed one by one (`oci:DIR:TAG`, `docker://HOST/REPO:TAG` ...). */
  images: string[];
  /** A file of references, one per line: read by the engine when the export starts. */
  imagesFrom: string | null;
  /** 'all', or the platforms to take from multi-platform images. */
  platforms: 'all' | string[];
  charts: string[];
  /** The far side's signed import receipt: blobs its registry holds are left out. */
  skipBlobsIn: string | null;
}

export const NO_IMAGES: ImageChoice = { images: [], imagesFrom: null, platforms: 'all', charts: [], skipBlobsIn: null };

/** Whether the export carries any image or chart. */
export function carriesImages(choice: ImageChoice): boolean {
  return choice.images.length > 0 || choice.imagesFrom !== null || choice.charts.length > 0;
}

/** A platform choice that cannot be sent: "only these" with none chosen. */
export function platformsIncomplete(choice: ImageChoice): boolean {
  return carriesImages(choice) && choice.platforms !== 'all' && choice.platforms.length === 0;
}

type ImageFields = Pick<IpcRequest<'startExport'>, 'images' | 'imagesFrom' | 'platforms' | 'charts' | 'skipBlobsIn'>;

/** The request fields; absent rather than empty, so a files-only export sends what it always did. */
export function imageRequestFields(choice: ImageChoice): ImageFields {
  if (!carriesImages(choice)) return {};
  const fields: ImageFields = {};
  if (choice.images.length > 0) fields.images = choice.images;
  if (choice.imagesFrom !== null) fields.imagesFrom = choice.imagesFrom;
  if (choice.platforms !== 'all') fields.platforms = choice.platforms;
  if (choice.charts.length > 0) fields.charts = choice.charts;
  if (choice.skipBlobsIn !== null) fields.skipBlobsIn = choice.skipBlobsIn;
  return fields;
}
