/** Every area's messages; en.ts and de.ts merge them (test/unit/renderer/i18n/catalogues.test.ts: no id in two areas). */
import { appMessages } from './app.js';
import { commonMessages } from './common.js';
import { exportMessages } from './export.js';
import { flowMessages } from './flow.js';
import { imagesMessages } from './images.js';
import { importMessages } from './import.js';
import { mediaMessages } from './media.js';
import { partsMessages } from './parts.js';
import { reportMessages } from './report.js';
import { settingsMessages } from './settings.js';
import { verifyMessages } from './verify.js';

export const AREAS = {
  app: appMessages,
  common: commonMessages,
  flow: flowMessages,
  export: exportMessages,
  media: mediaMessages,
  import: importMessages,
  images: imagesMessages,
  parts: partsMessages,
  report: reportMessages,
  settings: settingsMessages,
  verify: verifyMessages,
} as const;
