/**
 * The real parts of content inspection (inspection-parts.ts) as the station uses them: type
 * detection, the type policy, the polyglot and Office macro checks (types/), and the archive walk
 * (archives/).
 */
import type { InspectionParts } from './inspection-parts.js';
import { walkArchive } from './archives/walk-archive.js';
import { detectType, officeMacros, polyglotIn, typeFindings } from './types/index.js';
import { officePackageVerdict } from './types/office-package.js';

export const defaultInspectionParts: InspectionParts = {
  detectType,
  typeFindings: (detection, macros, policy, polyglot) => typeFindings(detection, macros, policy.types, { polyglot, archives: policy.archives }),
  polyglotIn,
  officeMacros,
  officePackage: officePackageVerdict,
  walkArchive,
};
