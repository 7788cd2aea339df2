/**
 * Step 3, once, right after authentication: the bag itself. bagit.txt exactly as format v1 writes
 * it, bag-info.txt (format version, Payload-Oxum), the payload manifest parsed into its compact
 * index, the station's name rules over every listed path, and import's own gate (replay,
 * destination), all before a byte of payload is read.
 */
import { BAG_INFO_NAME, BAGIT_TXT_NAME, FORMAT_VERSION, MANIFEST_NAME } from '../../bundle/format.js';
import { parseBagInfo } from '../../bundle/bag-info.js';
import { parseChannelStamp } from '../../channels/channel-stamp.js';
import { portabilityFindings } from '../../bundle/path-rules.js';
import { ArrivedFiles, VerifiedPayload } from '../payload-index.js';
import { Fatal } from '../problem-list.js';
import { checkBagitTxt, decodeTagFile, MANIFEST_LINES_PER_STEP, readBagInfoFacts } from '../tag-checks.js';
import { fileRow, limitHit, nameBreak, type VerifyState } from '../verify-state.js';
import { readManifestAt, readManifestInSteps, stepTurn } from './manifest-read.js';
import { checkOciLayout } from './oci-layout.js';

export async function checkBag(state: VerifyState): Promise<void> {
  const { options, problems, tagBytes, observed } = state;
  const bagit = tagBytes.get(BAGIT_TXT_NAME);
  if (!bagit) state.problems.fail('MANIFEST_INVALID', 'There is no bagit.txt before the payload.', BAGIT_TXT_NAME);
  const bagitText = decodeTagFile(BAGIT_TXT_NAME, bagit);
  if ('problem' in bagitText) state.problems.failWith(bagitText.problem);
  const bagitProblem = checkBagitTxt(bagitText.text);
  if (bagitProblem) state.problems.failWith(bagitProblem);

  const bagInfo = tagBytes.get(BAG_INFO_NAME);
  if (bagInfo) {
    const infoText = decodeTagFile(BAG_INFO_NAME, bagInfo);
    if ('problem' in infoText) state.problems.failWith(infoText.problem);
    const read = readBagInfoFacts(infoText.text);
    if ('problem' in read) state.problems.failWith(read.problem);
    state.facts = read.facts;
    // The channel stamp (docs/channels.md): malformed is always a refusal, never a guess.
    const parsedInfo = parseBagInfo(infoText.text);
    const stamp = parsedInfo.ok ? parseChannelStamp(parsedInfo.info) : { kind: 'none' as const };
    if (stamp.kind === 'invalid') state.problems.fail('CHANNEL_STAMP_INVALID', `bag-info.txt: ${stamp.reason}.`, BAG_INFO_NAME);
    state.channel = stamp.kind === 'stamp' ? stamp.stamp : null;
    const version = read.facts.formatVersion;
    if (version !== null && version !== String(FORMAT_VERSION)) {
      state.problems.fail(
        'MANIFEST_INVALID',
        `bag-info.txt declares Airlock-Format-Version ${version}; this Airlock reads version ${FORMAT_VERSION}. Update Airlock on this station.`,
        BAG_INFO_NAME,
      );
    }
  }

  const manifestBytes = tagBytes.get(MANIFEST_NAME);
  if (!manifestBytes) state.problems.fail('MANIFEST_INVALID', 'There is no manifest-sha256.txt before the payload.', MANIFEST_NAME);
  const parsed = state.manifestSpan === null ? await readManifestInSteps(state, manifestBytes) : await readManifestAt(state, state.manifestSpan);
  if ('problem' in parsed) {
    const found = parsed.problem;
    if (found.code === 'LIMIT_EXCEEDED') limitHit(state, found.path === MANIFEST_NAME ? 'files' : 'paths', found.message);
    if (found.code === 'UNSAFE_PATH' || found.code === 'DUPLICATE_ENTRY') {
      observed.structuralNameProblems[found.code] += 1;
      if (found.path !== undefined) fileRow(state, found.path, null, 'refused-name', found.code);
    }
    state.problems.failWith(found);
  }
  const manifest = parsed.entries;
  state.manifest = manifest;
  // Read: from here only its presence matters, and it may be a hundred megabytes.
  tagBytes.set(MANIFEST_NAME, Buffer.alloc(0));
  state.seen.attach(manifest);
  // Listed files that arrive are registered as one bit each from here (and the one that may have come already).
  state.registry.useStore(new ArrivedFiles(manifest));
  state.payload = new VerifiedPayload(manifest, manifest.size);
  // A heartbeat carries nothing: a payload under one would be imported nowhere and checked by no one.
  if (state.channel?.heartbeat === true && manifest.size > 0)
    state.problems.fail('CHANNEL_STAMP_INVALID', `A heartbeat bundle has an empty payload; this one lists ${manifest.size} file(s).`, MANIFEST_NAME);
  const oxum = state.facts?.oxum;
  if (oxum && oxum.streams !== manifest.size) {
    state.problems.fail('PAYLOAD_OXUM_MISMATCH', `Payload-Oxum declares ${oxum.streams} files; the manifest lists ${manifest.size}.`, BAG_INFO_NAME);
  }
  // Authentication read tag files (so the first entry named the top directory) and hashed the tag manifest.
  const { top, tagmanifestSha256 } = state;
  if (top === null || tagmanifestSha256 === null) throw new Error('The bag was checked before its tag manifest was authenticated.');
  // The image layout's names are format rules, checked before the station's name rules (import policy), so
  // verify and import refuse a malformed layout with the same code.
  checkOciLayout(state);
  // The name rules run over every listed path: paced like the parse (issue #18), still in its phase.
  let named = 0;
  if (options.portability) {
    for (let ordinal = 0; ordinal < manifest.size; ordinal += 1) {
      const path = manifest.pathAt(ordinal);
      if (++named % MANIFEST_LINES_PER_STEP === 0) await namesStep(state);
      const findings = portabilityFindings(path, options.portability);
      if (findings.length > 0) {
        nameBreak(state, path);
        observed.refusedUnread += 1;
        fileRow(state, path, null, 'refused-name', 'UNSAFE_PATH');
        state.problems.fail('UNSAFE_PATH', `"${path}": ${findings.join('; ')} (refused by station policy).`, path);
      }
    }
  } else if (options.reportNames) {
    // Verify: count what import would refuse, refuse nothing (name rules are import policy).
    if (top.startsWith('.') || portabilityFindings(top, options.reportNames).length > 0) nameBreak(state, top);
    for (let ordinal = 0; ordinal < manifest.size; ordinal += 1) {
      const path = manifest.pathAt(ordinal);
      if (++named % MANIFEST_LINES_PER_STEP === 0) await namesStep(state);
      if (portabilityFindings(path, options.reportNames).length > 0) nameBreak(state, path);
    }
  }
  // Import's own gate (replay, destination) only for a bundle nothing has refused yet: what verify reports is what import reports.
  if (options.afterAuthentication && problems.length === 0) {
    const gate = await options.afterAuthentication({
      name: top,
      signers: state.signers,
      tagmanifestSha256,
      uuid: state.facts?.uuid ?? null,
      sequence: state.facts?.sequence ?? null,
      station: state.facts?.station ?? null,
      channel: state.channel,
      files: manifest.size,
      bytes: oxum?.octets ?? null,
    });
    if (gate.length > 0) {
      for (const found of gate) if (found.code === 'UNSAFE_PATH') nameBreak(state, found.path ?? top);
      problems.push(...gate);
      throw new Fatal();
    }
  }
  state.tracker.startPhase('verifying-payload', { bytes: state.fileSize, files: manifest.size });
}

/** A step of the name rules' pass: the progress line redrawn (the parse's counts stand), then a turn of the event loop. */
async function namesStep(state: VerifyState): Promise<void> {
  state.tracker.addFiles(0);
  await stepTurn(state.options.signal);
}
