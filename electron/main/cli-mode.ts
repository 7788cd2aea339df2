/**
 * The installed app doubles as the `airlock` command: the launcher script in resources/bin runs
 * the app binary with --airlock-cli, and main then runs the bundled CLI (out/main/cli.js)
 * instead of opening a window. This is how the CLI works where Node is not installed, with the
 * RunAsNode fuse off (docs/packaging.md).
 */
export const CLI_FLAG = '--airlock-cli';

/**
 * The CLI arguments when the app was started as the CLI, else null. The flag must come before
 * any other argument, after the executable (or the app folder when run as `electron <dir>`);
 * only Chromium switches such as --ozone-platform=headless, which the launcher passes for
 * machines without a display, may precede it. Everything after it belongs to the CLI.
 */
export function cliArguments(argv: readonly string[], defaultApp: boolean): string[] | null {
  for (let i = defaultApp ? 2 : 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === CLI_FLAG) return argv.slice(i + 1);
    if (!/^--[a-z][a-z0-9-]*(=.*)?$/u.test(arg)) return null;
  }
  return null;
}
