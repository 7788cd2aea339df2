/**
 * The installed app doubles as the `airlock` command: the launcher script in resources/bin runs
 * the app binary with --airlock-cli first, and main then runs the bundled CLI (out/main/cli.js)
 * instead of opening a window. This is how the CLI works where Node is not installed, with the
 * RunAsNode fuse off (docs/packaging.md).
 */
export const CLI_FLAG = '--airlock-cli';

/**
 * The CLI arguments when the app was started as the CLI, else null. The flag counts only as the
 * first argument: after the executable, or after the app folder when run as `electron <dir>`.
 */
export function cliArguments(argv: readonly string[], defaultApp: boolean): string[] | null {
  const first = defaultApp ? 2 : 1;
  return argv[first] === CLI_FLAG ? argv.slice(first + 1) : null;
}
