import type { Readable } from 'node:stream';
import { assertBundleFile } from '../bundle/bundle-file-kind.js';
import { streamBundleSource } from '../bundle/stream-source.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { isPartSetPath, type AskForMedium } from '../media/parts/part-set.js';
import { routeSplit, type SplitRoute } from '../media/parts/split-route.js';
import type { BundleSource } from '../verify/check-bundle.js';
import type { StationContext } from './context.js';
import type { MediaAsk } from './requests.js';
import { listMedia } from './station-media.js';

/** What verify and import are given to find their bundle. */
export interface BundleAt {
  bundlePath: string;
  stream?: Readable | undefined;
  askForMedium?: MediaAsk | undefined;
  /** A split bundle's files only from bundlePath's own folder (ImportRequest.onlyBesideBundle). */
  onlyBesideBundle?: boolean | undefined;
  signal?: AbortSignal | undefined;
  now?: Date | undefined;
}

/** Standard input read once, or a bundle file checked to be one (a part or an index is routed later, by splitRoute). */
export async function openBundle(request: BundleAt): Promise<BundleSource | null> {
  const streamed = request.stream ? streamBundleSource(request.stream, request.bundlePath) : null;
  if (!streamed) await assertBundleFile(request.bundlePath);
  return streamed;
}

/** Where the bytes come from: standard input, a part set's chained parts, or (source undefined) the file itself. */
export async function routeBundle(
  context: StationContext,
  streamed: BundleSource | null,
  request: BundleAt,
  trusted: TrustedKey[],
  clockSkewSeconds: number,
): Promise<{ split: SplitRoute | null; source: BundleSource | undefined }> {
  // A part or a volume index: the parts are checked against the signed index first, then chained.
  const split = streamed ? null : await splitRoute(context, request, trusted, clockSkewSeconds);
  return { split, source: streamed ?? split?.source ?? undefined };
}

/** A part or volume index: locate and check the parts (other inserted media searched too). */
async function splitRoute(context: StationContext, request: BundleAt, trusted: TrustedKey[], clockSkewSeconds: number): Promise<SplitRoute | null> {
  if (!isPartSetPath(request.bundlePath)) return null;
  const mounted = async (): Promise<string[]> =>
    request.onlyBesideBundle === true ? [] : (await listMedia(context).catch(() => [])).map((v) => v.mountPoint).filter((m): m is string => m !== null);
  const ask = request.onlyBesideBundle === true ? undefined : request.askForMedium;
  return routeSplit(request.bundlePath, {
    trusted,
    clockSkewMs: clockSkewSeconds * 1000,
    searchDirs: await mounted(),
    now: request.now,
    signal: request.signal,
    askForMedium: ask && (async (wanted: Parameters<AskForMedium>[0]) => ((await ask(wanted)) ? mounted() : null)),
  });
}
