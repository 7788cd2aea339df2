/** `--platform OS/ARCH[/VARIANT]`: which platforms of a multi-platform image are exported (default all). */
import { AirlockError } from '../../errors.js';
import { printable } from './image-reference.js';

export interface PlatformChoice {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

const PART = /^[a-z0-9][a-z0-9._-]{0,63}$/u;

export function parsePlatform(text: string): PlatformChoice {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p))) {
    throw new AirlockError('IMAGE_SOURCE_INVALID', `"${printable(text)}" is not a platform: write OS/ARCH or OS/ARCH/VARIANT (linux/amd64, linux/arm64/v8).`, {
      data: { reason: 'platform' },
    });
  }
  return { os: parts[0] as string, architecture: parts[1] as string, variant: parts[2] };
}

/** A choice without a variant matches every variant of its OS and architecture. */
export function platformMatches(choice: PlatformChoice, platform: PlatformChoice): boolean {
  if (choice.os !== platform.os || choice.architecture !== platform.architecture) return false;
  return choice.variant === undefined || choice.variant === platform.variant;
}

export function platformText(p: PlatformChoice): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}
