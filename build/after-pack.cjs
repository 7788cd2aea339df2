// electron-builder afterPack hook: flip Electron's fuses in the packaged binary, before
// signing (SECURITY-NOTES, Electron). CommonJS because electron-builder require()s hooks.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** What each fuse is set to, and why. Exported so a test can pin them. */
const AIRLOCK_FUSES = {
  // The app binary must never act as a general Node.js (ELECTRON_RUN_AS_NODE).
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS could inject code (--require) into the app.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would open a debugger into the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the (integrity-checked) app.asar may be loaded, not a loose folder beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Refuse an app.asar whose hash differs from the one recorded at build time (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
};

function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  await flipFuses(executablePath(context), {
    version: FuseVersion.V1,
    // Flipping fuses invalidates an ad-hoc signature on Apple Silicon; re-sign ad hoc so the
    // unsigned development build still starts (release builds are signed after this hook).
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
    ...AIRLOCK_FUSES,
  });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.AIRLOCK_FUSES = AIRLOCK_FUSES;
module.exports.executablePath = executablePath;
