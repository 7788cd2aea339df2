/** Every area's messages; en.ts and de.ts merge them (test/unit/renderer/i18n/catalogues.test.ts: no id in two areas). */
import { appMessages } from './app.js';
import { commonMessages } from './common.js';
import { settingsMessages } from './settings.js';

export const AREAS = { app: appMessages, common: commonMessages, settings: settingsMessages } as const;
