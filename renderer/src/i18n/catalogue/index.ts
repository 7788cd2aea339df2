/** Every area's messages; en.ts and de.ts merge them (test/unit/renderer/i18n/catalogues.test.ts: no id in two areas). */
import { appMessages } from './app.js';
import { auditMessages } from './audit.js';
import { commonMessages } from './common.js';
import { exportMessages } from './export.js';
import { exportImagesMessages } from './export-images.js';
import { feedMessages } from './feed.js';
import { flowMessages } from './flow.js';
import { imageInputMessages } from './image-input.js';
import { imagesMessages } from './images.js';
import { importMessages } from './import.js';
import { inspectionMessages } from './inspection.js';
import { inboxMessages } from './inbox.js';
import { jobsMessages } from './jobs.js';
import { keyActionsMessages } from './key-actions.js';
import { keysMessages } from './keys.js';
import { mediaMessages } from './media.js';
import { partsMessages } from './parts.js';
import { quarantineMessages } from './quarantine.js';
import { reportMessages } from './report.js';
import { scannerMessages } from './scanner.js';
import { mediaStepMessages } from './media-step.js';
import { settingsMessages } from './settings.js';
import { verifyMessages } from './verify.js';
import { importSigningMessages } from './import-signing.js';
import { twoPersonMessages } from './two-person.js';

export const AREAS = {
  app: appMessages,
  common: commonMessages,
  audit: auditMessages,
  flow: flowMessages,
  export: exportMessages,
  exportImages: exportImagesMessages,
  media: mediaMessages,
  import: importMessages,
  images: imagesMessages,
  jobs: jobsMessages,
  keys: keysMessages,
  keyActions: keyActionsMessages,
  parts: partsMessages,
  report: reportMessages,
  scanner: scannerMessages,
  settings: settingsMessages,
  verify: verifyMessages,
  mediaStep: mediaStepMessages,
  inbox: inboxMessages,
  quarantine: quarantineMessages,
  inspection: inspectionMessages,
  imageInput: imageInputMessages,
  importSigning: importSigningMessages,
  feed: feedMessages,
  twoPerson: twoPersonMessages,
} as const;
