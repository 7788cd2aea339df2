/**
 * A command line the CLI suggests as the next step, for the station the operator is working on:
 * run with `--home DIR`, the suggestion must name that home too, or pasting it acts on another
 * station (the default home, or $AIRLOCK_HOME): e.g. export the public key of a station that is
 * not the one just made. Without --home the suggestion stands as it is.
 */

/** Characters a POSIX shell takes literally in a word. */
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/u;

/** One shell word: as it is when nothing in it is special, else single-quoted. */
export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : `'${text.replace(/'/gu, `'\\''`)}'`;
}

/** `airlock [--home HOME] REST`, with the home as the operator gave it. */
export function stationCommand(home: string | undefined, rest: string): string {
  return home === undefined || home === '' ? `airlock ${rest}` : `airlock --home ${shellWord(home)} ${rest}`;
}

/**
 * A next step's `airlock COMMAND` mentions, each given the home the failed command ran with (an
 * error's "Next: Create it: airlock keys generate ..." must create the key where it is missing).
 */
export function forStation(text: string, home: string | undefined): string {
  if (home === undefined || home === '') return text;
  return text.replace(/\bairlock (?=[a-z])/gu, `airlock --home ${shellWord(home)} `);
}
