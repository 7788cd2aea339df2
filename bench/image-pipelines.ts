/**
 * The images section's standard-tools side: what an operator without Airlock runs to carry an
 * OCI layout across and push it (issue #15.8). Export = `skopeo copy --all` of each tag into a
 * fresh layout, then the same signed BagIt-in-tar by hand as the file bench's pipeline export
 * (sha256sum manifest, tag files, gpg --detach-sign, tar, sync: bench/pipelines.ts), so the
 * bundle has Airlock's shape (NAME/data/oci/...). Push = `skopeo copy --all --preserve-digests`
 * of each tag into the registry. Paths travel as positional arguments, never spliced into a script.
 */
import { PIPELINE_EXPORT } from './pipelines.js';
import type { Command } from './proc.js';

/** skopeo's transport names and flags as of 1.9; `--quiet`: progress bars would cost it terminal writes Airlock does not pay. */
const SKOPEO_EXPORT = `set -euo pipefail
src=$1 layout=$2
shift 2
mkdir -p "$layout"
while [ "$1" != -- ]; do
  skopeo copy --quiet --all --preserve-digests "oci:$src:$1" "oci:$layout:$1"
  shift
done
shift
`;

/**
 * `skopeo copy --all oci:SRC:TAG oci:STAGE/oci:TAG` for every tag, then the hand-made bundle of
 * STAGE/oci named `name` into `out` (the layout lands at NAME/data/oci/ as in Airlock's bundle).
 */
export function skopeoExport(src: string, tags: readonly string[], stage: string, name: string, out: string, gnupgHome: string, keyFpr: string): Command {
  const layoutParent = `${stage}/layout`;
  const bagStage = `${stage}/bag`;
  return {
    argv: [
      'bash',
      '-c',
      `${SKOPEO_EXPORT}${PIPELINE_EXPORT}`,
      'bench',
      src,
      `${layoutParent}/oci`,
      ...tags,
      '--',
      layoutParent,
      'oci',
      name,
      bagStage,
      out,
      gnupgHome,
      keyFpr,
    ],
  };
}

const SKOPEO_PUSH = `set -euo pipefail
src=$1 registry=$2
shift 2
for tag in "$@"; do
  skopeo copy --quiet --all --preserve-digests --dest-tls-verify=false "oci:$src:$tag" "docker://$registry/bench/$tag:latest"
done`;

/** `skopeo copy --all --preserve-digests --dest-tls-verify=false oci:SRC:TAG docker://HOST/bench/TAG:latest` for every tag. */
export function skopeoPush(src: string, tags: readonly string[], registryHost: string): Command {
  return { argv: ['bash', '-c', SKOPEO_PUSH, 'bench', src, registryHost, ...tags] };
}

/** The manifest digest a registry serves for `reference` (`skopeo inspect --raw`, hashed as the bytes came). */
export function inspectDigest(reference: string): Command {
  return { argv: ['bash', '-c', 'set -euo pipefail\nskopeo inspect --raw --tls-verify=false "$1" | sha256sum | cut -d" " -f1', 'bench', reference] };
}
