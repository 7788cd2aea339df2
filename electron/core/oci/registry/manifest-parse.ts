/**
 * Reading manifests and descriptors a registry sent, as hostile input: JSON objects only, sha256
 * digests only, sizes that are safe integers, media types of a sane shape, platforms of strings.
 * Also the `os/arch[/variant]` platform strings a pull is asked for, and how they match.
 */
import { AirlockError } from '../../errors.js';
import type { LayoutDescriptor } from './layout-sink.js';
import { isDigest } from './registry-names.js';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9.+/_-]{0,254}$/u;
const PLATFORM_PART = /^[a-z0-9][a-z0-9._-]{0,63}$/u;

function corrupt(detail: string): AirlockError {
  return new AirlockError('IMAGE_SOURCE_CORRUPT', detail);
}

export function parseManifestJson(body: Buffer, digest: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw corrupt(`Manifest ${digest} is not JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt(`Manifest ${digest} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every(([, v]) => typeof v === 'string') ? Object.fromEntries(entries as [string, string][]) : undefined;
}

/** A content descriptor, checked; only the fields Airlock keeps. */
export function parseDescriptor(value: unknown, what: string): LayoutDescriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(`The ${what} is not a descriptor.`);
  const record = value as Record<string, unknown>;
  const { digest, size, mediaType } = record;
  if (typeof digest !== 'string' || !isDigest(digest)) throw corrupt(`The ${what} has no sha256 digest.`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw corrupt(`The ${what} (${digest}) has no valid size.`);
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) throw corrupt(`The ${what} (${digest}) has no valid media type.`);
  const descriptor: LayoutDescriptor = { mediaType, digest, size };
  const platform = record.platform;
  if (platform !== undefined) {
    if (typeof platform !== 'object' || platform === null) throw corrupt(`The ${what} (${digest}) has a malformed platform.`);
    const { os, architecture, variant } = platform as Record<string, unknown>;
    if (typeof os !== 'string' || typeof architecture !== 'string' || (variant !== undefined && typeof variant !== 'string')) {
      throw corrupt(`The ${what} (${digest}) has a malformed platform.`);
    }
    descriptor.platform = variant === undefined ? { os, architecture } : { os, architecture, variant };
  }
  if (typeof record.artifactType === 'string' && MEDIA_TYPE.test(record.artifactType)) descriptor.artifactType = record.artifactType;
  const annotations = stringMap(record.annotations);
  if (annotations) descriptor.annotations = annotations;
  return descriptor;
}

/** `linux/amd64`, `linux/arm64/v8` ...; USAGE for anything else. */
export function parsePlatforms(specs: readonly string[]): PlatformSpec[] {
  return specs.map((spec) => {
    const parts = spec.split('/');
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PLATFORM_PART.test(p))) {
      throw new AirlockError('USAGE', `Not a platform (OS/ARCHITECTURE[/VARIANT], e.g. linux/arm64/v8): ${JSON.stringify(spec.slice(0, 100))}.`, {
        data: { platform: spec.slice(0, 100) },
      });
    }
    return { os: parts[0]!, architecture: parts[1]!, variant: parts[2] };
  });
}

/** A platform asked for without a variant matches every variant of its OS and architecture. */
export function platformMatches(wanted: PlatformSpec, platform: { os: string; architecture: string; variant?: string | undefined }): boolean {
  if (wanted.os !== platform.os || wanted.architecture !== platform.architecture) return false;
  return wanted.variant === undefined || wanted.variant === platform.variant;
}
