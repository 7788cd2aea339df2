import { problem, type Problem } from '../../../shared/problems.js';
import { bagInfoValue, parseBagInfo, parsePayloadOxum, type PayloadOxum } from '../bundle/bag-info.js';
import { EntryRegistry } from '../bundle/entry-registry.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, INFO, MANIFEST_NAME, PAYLOAD_DIR, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { parseManifest } from '../bundle/manifest.js';
import { checkStructuralPath, type PathLimits } from '../bundle/path-rules.js';
import { ownCopy, PayloadIndex } from './payload-index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Tag files are UTF-8 (bagit.txt says so); invalid bytes are a malformed bag, not something to guess at. */
export function decodeTagFile(name: string, bytes: Uint8Array): { text: string } | { problem: Problem } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { problem: problem('MANIFEST_INVALID', `${name} is not valid UTF-8.`, name) };
  }
}

export function checkBagitTxt(text: string): Problem | null {
  if (/^BagIt-Version: 1\.0\r?\nTag-File-Character-Encoding: UTF-8(\r?\n)?$/u.test(text)) return null;
  return problem('MANIFEST_INVALID', 'bagit.txt must be exactly "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8".', BAGIT_TXT_NAME);
}

export interface BagInfoFacts {
  uuid: string | null;
  station: string | null;
  operator: string | null;
  sequence: number | null;
  created: string | null;
  formatVersion: string | null;
  oxum: PayloadOxum | null;
}

export function readBagInfoFacts(text: string): { facts: BagInfoFacts } | { problem: Problem } {
  const parsed = parseBagInfo(text);
  if (!parsed.ok) return { problem: problem('MANIFEST_INVALID', `bag-info.txt: ${parsed.reason}.`, BAG_INFO_NAME) };
  const oxumText = bagInfoValue(parsed.info, INFO.payloadOxum);
  const oxum = oxumText === undefined ? null : parsePayloadOxum(oxumText);
  if (oxumText !== undefined && oxum === null) {
    return { problem: problem('MANIFEST_INVALID', `bag-info.txt: Payload-Oxum "${oxumText}" is not "<octets>.<files>".`, BAG_INFO_NAME) };
  }
  const sequenceText = bagInfoValue(parsed.info, INFO.sequence);
  const sequence = sequenceText !== undefined && /^\d{1,15}$/u.test(sequenceText) ? Number(sequenceText) : null;
  return {
    facts: {
      uuid: bagInfoValue(parsed.info, INFO.externalIdentifier) ?? null,
      station: bagInfoValue(parsed.info, INFO.station) ?? null,
      operator: bagInfoValue(parsed.info, INFO.operator) ?? null,
      sequence,
      created: bagInfoValue(parsed.info, INFO.created) ?? null,
      formatVersion: bagInfoValue(parsed.info, INFO.formatVersion) ?? null,
      oxum,
    },
  };
}

/** The signed tag manifest: which tag files it covers, with their checksums. */
export function readTagManifest(text: string): { entries: Map<string, string> } | { problem: Problem } {
  const parsed = parseManifest(text);
  if (!parsed.ok) return { problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt: ${parsed.reason}.`, TAGMANIFEST_NAME) };
  const entries = new Map<string, string>();
  for (const entry of parsed.entries) {
    const structural = checkStructuralPath(entry.path);
    if (!structural.ok) return { problem: problem('UNSAFE_PATH', `tagmanifest-sha256.txt lists "${entry.path}": ${structural.reason}.`, TAGMANIFEST_NAME) };
    if (entry.path === PAYLOAD_DIR || entry.path.startsWith(`${PAYLOAD_DIR}/`)) {
      return { problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt lists the payload file "${entry.path}"; tag manifests list tag files only.`, TAGMANIFEST_NAME) };
    }
    if (entry.path === TAGMANIFEST_NAME || entry.path === SIGNATURE_NAME) {
      return { problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt lists "${entry.path}", which it cannot cover.`, TAGMANIFEST_NAME) };
    }
    if (entries.has(entry.path)) return { problem: problem('DUPLICATE_ENTRY', `tagmanifest-sha256.txt lists "${entry.path}" twice.`, TAGMANIFEST_NAME) };
    entries.set(entry.path, entry.sha256);
  }
  for (const required of [BAGIT_TXT_NAME, MANIFEST_NAME]) {
    if (!entries.has(required)) {
      return { problem: problem('MANIFEST_INVALID', `tagmanifest-sha256.txt does not cover ${required}, so the signature would not protect it.`, TAGMANIFEST_NAME) };
    }
  }
  return { entries };
}

/** The payload manifest: bag paths (`data/...`) to checksums; every path safe and unique. Held compactly (payload-index.ts). */
export function readPayloadManifest(text: string, limits: PathLimits & { maxEntries: number }): { entries: PayloadIndex } | { problem: Problem } {
  const parsed = parseManifest(text);
  if (!parsed.ok) return { problem: problem('MANIFEST_INVALID', `manifest-sha256.txt: ${parsed.reason}.`, MANIFEST_NAME) };
  if (parsed.entries.length > limits.maxEntries) {
    return { problem: problem('LIMIT_EXCEEDED', `manifest-sha256.txt lists ${parsed.entries.length} files; the limit is ${limits.maxEntries}.`, MANIFEST_NAME) };
  }
  const entries = new PayloadIndex();
  const registry = new EntryRegistry();
  for (const entry of parsed.entries) {
    if (!entry.path.startsWith(`${PAYLOAD_DIR}/`)) {
      return { problem: problem('MANIFEST_INVALID', `manifest-sha256.txt lists "${entry.path}", which is outside data/.`, MANIFEST_NAME) };
    }
    const structural = checkStructuralPath(entry.path, limits);
    if (!structural.ok) {
      return { problem: problem(structural.kind === 'limit' ? 'LIMIT_EXCEEDED' : 'UNSAFE_PATH', `manifest-sha256.txt lists "${entry.path}": ${structural.reason}.`, entry.path) };
    }
    // The path's own copy, so neither the registry nor the index keeps the manifest's text alive.
    const path = ownCopy(entry.path);
    const verdict = registry.addFile(path);
    if (!verdict.ok) return { problem: problem('DUPLICATE_ENTRY', `manifest-sha256.txt: ${verdict.reason}.`, entry.path) };
    entries.add(path, entry.sha256);
  }
  return { entries };
}
