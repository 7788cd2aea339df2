/**
 * A value built when it is first asked for, then kept. For the zod schemas of files a command may
 * never read (config.json, policy.json, a medium's index): zod builds a schema with many objects
 * and closures, and a schema made at module load is paid by every command, `--version` and
 * `keys list` included, whether or not the file exists (docs/design-notes.md, "CLI start-up,
 * round 4"). The schema built later is the same schema: validation does not change.
 */
export function onFirstUse<T>(build: () => T): () => T {
  let built: { value: T } | null = null;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
