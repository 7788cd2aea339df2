/**
 * The standard-tools side of the comparison: the commands an operator without Airlock would
 * run (docs/design.md §2) and the machine's floors (hashing, writing). Each is one argv so one
 * /usr/bin/time covers all of it. Paths travel as positional arguments to `bash -c`, never
 * spliced into the script, so no temp dir name can change what a script does.
 */
import type { DataSet } from './data.js';
import type { Command } from './proc.js';

function bash(script: string, args: string[]): Command {
  return { argv: ['bash', '-c', script, 'bench', ...args] };
}

/** Reads the data once, untimed, so every measured step starts from the same warm page cache. */
export function warmUp(set: DataSet): Command {
  return { ...bash(`set -euo pipefail\nfind "$1" -type f -print0 | xargs -0 cat > /dev/null`, [set.dir]), cwd: set.base };
}

/** OpenSSL's SHA-256 (uses SHA-NI where present): the fastest this machine hashes, one core. */
export function opensslDigest(set: DataSet): Command {
  return { ...bash(`set -euo pipefail\nfind "$1" -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null`, [set.dir]), cwd: set.base };
}

export function sha256sum(set: DataSet): Command {
  return { ...bash(`set -euo pipefail\nfind "$1" -type f -print0 | xargs -0 sha256sum > /dev/null`, [set.dir]), cwd: set.base };
}

export const PIPELINE_EXPORT = `set -euo pipefail
base=$1 dir=$2 name=$3 stage=$4 out=$5 key=$7
export GNUPGHOME=$6
bag=$stage/$name
mkdir -p "$bag"
cd "$base"
find "$dir" -type f -print0 | sort -z | xargs -0 sha256sum | sed 's,  ,  data/,' > "$bag/manifest-sha256.txt"
printf 'BagIt-Version: 1.0\\nTag-File-Character-Encoding: UTF-8\\n' > "$bag/bagit.txt"
oxum=$(find "$dir" -type f -printf '%s\\n' | awk '{ n++; s += $1 } END { printf "%.0f.%d", s, n }')
printf 'Bagging-Date: %s\\nPayload-Oxum: %s\\nExternal-Identifier: %s\\nSource-Organization: Airlock bench\\n' \\
  "$(date +%F)" "$oxum" "$(cat /proc/sys/kernel/random/uuid)" > "$bag/bag-info.txt"
(cd "$bag" && sha256sum bagit.txt bag-info.txt manifest-sha256.txt > tagmanifest-sha256.txt)
gpg --batch --yes --local-user "$key" --armor --detach-sign -o "$bag/tagmanifest-sha256.txt.asc" "$bag/tagmanifest-sha256.txt"
tar cf "$out" --format=ustar -C "$stage" "$name/bagit.txt" "$name/bag-info.txt" "$name/manifest-sha256.txt" \\
  "$name/tagmanifest-sha256.txt" "$name/tagmanifest-sha256.txt.asc" \\
  -C "$base" --transform "s,^$dir\\(/\\|\\$\\),$name/data/$dir\\1," "$dir"
sync "$out"`;

/**
 * Airlock's export done by hand: manifest, tag files, tag manifest, gpg signature, tar (tag
 * files first), fsync. Payload paths are rewritten to NAME/data/... inside tar (--transform) and
 * in the manifest (sed) instead of copying the payload into a bag dir first: a copy would charge
 * the pipeline for a whole extra write that the real workflow can avoid.
 */
export function pipelineExport(set: DataSet, name: string, stage: string, out: string, gnupgHome: string, keyFpr: string): Command {
  return bash(PIPELINE_EXPORT, [set.base, set.dir, name, stage, out, gnupgHome, keyFpr]);
}

const PIPELINE_VERIFY = `set -euo pipefail
bundle=$1 x=$2 name=$3
export GNUPGHOME=$4
mkdir -p "$x"
tar xf "$bundle" -C "$x"
gpg --batch --verify "$x/$name/tagmanifest-sha256.txt.asc" "$x/$name/tagmanifest-sha256.txt"
cd "$x/$name"
sha256sum -c --quiet --strict tagmanifest-sha256.txt
sha256sum -c --quiet --strict manifest-sha256.txt`;

/** The receiving side by hand (docs/design.md §2): extract, check the signature, check every checksum. */
export function pipelineVerify(bundle: string, extractDir: string, name: string, gnupgHome: string): Command {
  return bash(PIPELINE_VERIFY, [bundle, extractDir, name, gnupgHome]);
}

const PIPELINE_IMPORT = `set -euo pipefail
bundle=$1 dest=$2 name=$3
export GNUPGHOME=$4
mkdir -p "$dest"
tar xf "$bundle" -C "$dest"
gpg --batch --verify "$dest/$name/tagmanifest-sha256.txt.asc" "$dest/$name/tagmanifest-sha256.txt"
cd "$dest/$name"
sha256sum -c --quiet --strict tagmanifest-sha256.txt
sha256sum -c --quiet --strict manifest-sha256.txt
sync -f "$dest"`;

/**
 * Import by hand: pipeline verify with the bag extracted into the destination, then flushed
 * (sync -f = syncfs, what Airlock does before its commit rename), so both sides pay durability.
 */
export function pipelineImport(bundle: string, dest: string, name: string, gnupgHome: string): Command {
  return bash(PIPELINE_IMPORT, [bundle, dest, name, gnupgHome]);
}

/** The floor for export: writing the bundle's bytes to the same disk and fsyncing them, nothing else. */
export function writeFsync(bundle: string, copy: string): Command {
  return { argv: ['dd', `if=${bundle}`, `of=${copy}`, 'bs=4M', 'conv=fsync', 'status=none'] };
}

/** A command as one line a shell would run exactly as measured (multi-line scripts stay inside their quotes). */
export function shellLine(command: Command): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/u.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);
  const line = command.argv.map(quote).join(' ');
  return command.cwd === undefined ? line : `(cd ${quote(command.cwd)} && ${line})`;
}
