import { ERROR_ACTIONS } from '../../shared/error-actions.js';
import type { ErrorCode } from '../../shared/errors.js';

/**
 * The next step for an error, as a terminal user takes it. The shared action table speaks to
 * app and CLI alike; where the CLI's way differs (a flag instead of a form), it is said here.
 */
const CLI_ACTIONS: Partial<Record<ErrorCode, string>> = {
  USAGE: 'Run the command with --help to see what it takes, then try again.',
  INVALID_NAME: 'Give --name with letters, digits, dot, dash and underscore only (1-100, not starting with a dot), or leave --name out for the default.',
  PASSPHRASE_REQUIRED: 'Pass --passphrase-file FILE (its first line is the passphrase), or run the command in a terminal to be asked.',
  PASSPHRASE_WRONG: 'Check the passphrase (the first line of --passphrase-file, else type it again): keyboard layout, Caps Lock. Three tries on a terminal.',
  NO_STATION_KEY: 'Create it: airlock keys generate --name "Station name" (or restore a backup: airlock keys restore FILE).',
  KEY_NOT_FOUND: 'List the trusted signers (airlock keys list) and copy the fingerprint from there.',
  STAGED_INVALID: 'List the staged exports (airlock export --list-staged), discard this one (airlock export --discard-staged NAME) and prepare it again.',
  SETTINGS_INVALID: 'Correct the value named in the message and try again.',
  NOT_FOUND: 'Check the path for typing mistakes (ls shows what is there) and that removable media are still inserted, then try again.',
};

export function cliNextStep(code: ErrorCode): string {
  return CLI_ACTIONS[code] ?? ERROR_ACTIONS[code];
}
