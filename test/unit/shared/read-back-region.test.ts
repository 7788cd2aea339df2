import { describe, expect, it } from 'vitest';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../../../electron/core/bundle/format.js';
import { describeReadBackRegion, isReadBackRegionPart, READ_BACK_REGION_PARTS } from '../../../shared/read-back-region.js';
import { mediaStepMessages } from '../../../renderer/src/i18n/catalogue/media-step.js';

describe('read-back regions', () => {
  it("the engine's English words name bundle format v1's tag files as the format module does", () => {
    const path = 'data/dir/über.bin';
    expect(describeReadBackRegion({ part: 'tag-files-head', path: null })).toBe(`the tag files ${BAGIT_TXT_NAME} and ${BAG_INFO_NAME}`);
    expect(describeReadBackRegion({ part: 'manifest-header', path: null })).toBe(`the header of ${MANIFEST_NAME}`);
    expect(describeReadBackRegion({ part: 'manifest', path: null })).toBe(`${MANIFEST_NAME} (against the SHA-256 signed in the tag manifest)`);
    expect(describeReadBackRegion({ part: 'manifest-padding', path: null })).toBe(`the padding of ${MANIFEST_NAME}`);
    expect(describeReadBackRegion({ part: 'tag-files-tail', path: null })).toBe(`the tag files ${TAGMANIFEST_NAME} and ${SIGNATURE_NAME}`);
    expect(describeReadBackRegion({ part: 'entry-header', path })).toBe(`the header of ${path}`);
    expect(describeReadBackRegion({ part: 'entry-payload', path })).toBe(`${path} (against its SHA-256 in the signed manifest)`);
    expect(describeReadBackRegion({ part: 'entry-padding', path, endsEarly: true })).toBe(`the padding of ${path} (the file ends early)`);
    expect(describeReadBackRegion({ part: 'end-blocks', path: null })).toBe('the end-of-archive blocks');
    expect(describeReadBackRegion({ part: 'past-end', path: null })).toBe('bytes past the end of the archive');
  });

  it('every part has its words in the app, in English and German, and only known parts are taken from data', () => {
    for (const part of READ_BACK_REGION_PARTS) {
      const id = `mediaStep.readBackFailed.part.${part}` as const;
      expect(mediaStepMessages.en[id], part).toBeTruthy();
      expect(mediaStepMessages.de[id], part).toBeTruthy();
      expect(isReadBackRegionPart(part)).toBe(true);
    }
    for (const odd of ['', 'constructor', '__proto__', 'entry', 'ENTRY-HEADER', 1, null, undefined]) expect(isReadBackRegionPart(odd)).toBe(false);
  });
});
