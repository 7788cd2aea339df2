// `npm test` runs this first (pretest): the suite drives real system tools (GnuPG, GNU tar,
// Chromium, Debian's docker-registry, skopeo, clamd, ...) and must not skip what is missing, so a
// machine without them gets one clear message naming the Debian packages, instead of a hundred
// failing tests. Keep the list in step with APT_PACKAGES in .ci/run, which installs them.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Program, and the Debian package that brings it. */
const TOOLS = [
  ['gpg', 'gnupg'],
  ['tar', 'tar'],
  ['sha256sum', 'coreutils'],
  ['openssl', 'openssl'],
  ['python3', 'python3'],
  ['chromium', 'chromium'],
  ['mkfs.ext4', 'e2fsprogs'],
  ['mkfs.vfat', 'dosfstools'],
  ['fusefat', 'fusefat'],
  ['losetup', 'util-linux'],
  ['docker-registry', 'docker-registry'],
  ['skopeo', 'skopeo'],
  ['htpasswd', 'apache2-utils'],
  ['clamd', 'clamav-daemon'],
  ['clamdscan', 'clamdscan'],
  ['sigtool', 'clamav'],
  ['rsyslogd', 'rsyslog'],
  ['qpdf', 'qpdf'],
  ['pdftoppm', 'poppler-utils'],
  ['pdffonts', 'poppler-utils'],
  ['pdftotext', 'poppler-utils'],
  ['systemd-analyze', 'systemd'],
  // rsyslog's TLS driver (lmnsd_ossl.so) comes from rsyslog-openssl, which .ci/run installs too.
];

// sbin folders too: a user's PATH may leave them out, and the tests run these programs as root.
const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);

function found(program) {
  return folders.some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = TOOLS.filter(([program]) => !found(program));
if (missing.length > 0) {
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  process.stderr.write(
    `npm test: the suite drives real system tools, and these are missing here: ${missing.map(([p, pkg]) => `${p} (${pkg})`).join(', ')}.\n` +
      `Next: install them (Debian, as root): apt-get update && apt-get install -y --no-install-recommends ${packages}\n` +
      `      or run \`bash .ci/run\` as root: it installs every package the tests use, then runs the whole check.\n`,
  );
  process.exit(1);
}
