/** Bundle format v1 constants (docs/bundle-format.md). */
export const FORMAT_VERSION = 1;
export const BUNDLE_SUFFIX = '.airlock.tar';

export const BAGIT_TXT_NAME = 'bagit.txt';
export const BAG_INFO_NAME = 'bag-info.txt';
export const MANIFEST_NAME = 'manifest-sha256.txt';
export const TAGMANIFEST_NAME = 'tagmanifest-sha256.txt';
export const SIGNATURE_NAME = 'tagmanifest-sha256.txt.asc';
export const FETCH_NAME = 'fetch.txt';
export const PAYLOAD_DIR = 'data';

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

/** Airlock's own bag-info labels. */
export const INFO = {
  baggingDate: 'Bagging-Date',
  payloadOxum: 'Payload-Oxum',
  bagSize: 'Bag-Size',
  sourceOrganization: 'Source-Organization',
  externalIdentifier: 'External-Identifier',
  formatVersion: 'Airlock-Format-Version',
  station: 'Airlock-Station',
  operator: 'Airlock-Operator',
  sequence: 'Airlock-Sequence',
  created: 'Airlock-Created',
} as const;

/** Bundle names: portable file names that need no escaping anywhere. */
export const BUNDLE_NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/u;
