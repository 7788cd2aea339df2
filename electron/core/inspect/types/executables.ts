/**
 * Executables and scripts by content (issue #16.2), checked by Airlock itself before file-type so
 * that a program is called a program whatever a general-purpose sniffer says of it: PE (MZ with
 * its PE header, or a bare DOS MZ), ELF, Mach-O (thin, either byte order, and fat/universal),
 * Java class files, Dalvik dex, WebAssembly; scripts by their `#!` line or by extension.
 */

export interface ContentType {
  /** The extension the content would carry (`exe`, `elf`, `macho`, `sh`). */
  ext: string;
  mime: string;
}

const starts = (head: Buffer, bytes: readonly number[], at = 0): boolean => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** Mach-O fat headers share CAFEBABE with Java class files; a fat header's architecture count is small (file-type's bound). */
const MAX_FAT_ARCHITECTURES = 30;

/** A program the operating system or a runtime would load, from the first bytes; null when it is none. */
export function executableOf(head: Buffer): ContentType | null {
  if (starts(head, [0x4d, 0x5a])) {
    // e_lfanew (offset 0x3c) points at "PE\0\0"; without it (or beyond the head) it is still an MZ (DOS) program.
    return { ext: 'exe', mime: 'application/x-msdownload' };
  }
  if (starts(head, [0x7f, 0x45, 0x4c, 0x46])) return { ext: 'elf', mime: 'application/x-elf' };
  const machO = [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbf], // fat, 64-bit offsets
  ];
  if (machO.some((magic) => starts(head, magic))) return { ext: 'macho', mime: 'application/x-mach-binary' };
  if (starts(head, [0xca, 0xfe, 0xba, 0xbe]) && head.length >= 8) {
    const count = head.readUInt32BE(4);
    if (count > 0 && count <= MAX_FAT_ARCHITECTURES) return { ext: 'macho', mime: 'application/x-mach-binary' };
    return { ext: 'class', mime: 'application/java-vm' };
  }
  if (starts(head, [0x64, 0x65, 0x78, 0x0a]) && head.length >= 8 && head[7] === 0) return { ext: 'dex', mime: 'application/vnd.android.dex' };
  if (starts(head, [0x00, 0x61, 0x73, 0x6d])) return { ext: 'wasm', mime: 'application/wasm' };
  return null;
}

/** Whether an MZ program carries a PE header (a Windows program rather than a DOS one). */
export function hasPeHeader(head: Buffer): boolean {
  if (!starts(head, [0x4d, 0x5a]) || head.length < 0x40) return false;
  const offset = head.readUInt32LE(0x3c);
  return starts(head, [0x50, 0x45, 0x00, 0x00], offset);
}

/** Interpreters named on a `#!` line, and what the script is then. */
const INTERPRETERS: ReadonlyArray<{ names: RegExp; type: ContentType }> = [
  { names: /^(sh|bash|dash|zsh|ksh|mksh|ash|busybox)$/u, type: { ext: 'sh', mime: 'text/x-shellscript' } },
  { names: /^(csh|tcsh)$/u, type: { ext: 'csh', mime: 'text/x-shellscript' } },
  { names: /^python[0-9.]*$/u, type: { ext: 'py', mime: 'text/x-python' } },
  { names: /^perl[0-9.]*$/u, type: { ext: 'pl', mime: 'text/x-perl' } },
  { names: /^ruby[0-9.]*$/u, type: { ext: 'rb', mime: 'text/x-ruby' } },
  { names: /^(node|nodejs|deno|bun)$/u, type: { ext: 'js', mime: 'text/javascript' } },
  { names: /^php[0-9.]*$/u, type: { ext: 'php', mime: 'application/x-httpd-php' } },
  { names: /^(pwsh|powershell)$/u, type: { ext: 'ps1', mime: 'text/x-powershell' } },
  { names: /^(lua|luajit)[0-9.]*$/u, type: { ext: 'lua', mime: 'text/x-lua' } },
  { names: /^(tclsh|wish)[0-9.]*$/u, type: { ext: 'tcl', mime: 'text/x-tcl' } },
];
const GENERIC_SCRIPT: ContentType = { ext: 'script', mime: 'text/x-script' };

/** A script by its `#!` line (a UTF-8 byte order mark before it is skipped, as some kernels and shells do not but editors write it). */
export function shebangScriptOf(head: Buffer): ContentType | null {
  const start = starts(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (!starts(head, [0x23, 0x21], start)) return null;
  const end = head.indexOf(0x0a, start);
  const line = head.subarray(start + 2, end === -1 ? Math.min(head.length, start + 256) : end).toString('latin1');
  const words = line.trim().split(/[ \t]+/u);
  let program = basename(words[0] ?? '');
  if (program === 'env') program = basename(words.slice(1).find((w) => !w.startsWith('-') && !w.includes('=')) ?? '');
  return INTERPRETERS.find((i) => i.names.test(program))?.type ?? GENERIC_SCRIPT;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Extensions a desktop runs as a script or a program launcher when opened (Windows Script Host, shells, interpreters). */
export const SCRIPT_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'sh bash zsh ksh csh tcsh command tool ps1 psm1 psd1 ps1xml psc1 bat cmd vbs vbe js jse mjs cjs wsf wsh wsc sct hta ' +
    'py pyw pyz pl pm rb php lua tcl applescript scpt ahk au3 reg inf scf url desktop vb csx gadget'
  ).split(' '),
);
