export declare const repoRoot: string;
export declare const cliBundlePath: string;
/** 'fresh', 'stale' or 'missing' for the checkout at `root` (default: this one), scripts/cli-fresh.cjs. */
export declare function cliBundleState(root?: string): 'fresh' | 'stale' | 'missing';
export declare const workerEntryNames: string[];
/** The folder of core's worker-thread entries (electron/core/workers). */
export declare const workerEntryDir: string;
/** The large libraries bundled each into a file of its own beside airlock.cjs (vendor-<name>.cjs). */
export declare const VENDOR_LIBRARIES: string[];
export declare function vendorBundleName(library: string): string;
/** node's built-in modules the CLI bundle requires on first use (each an object of exports). */
export declare const LAZY_BUILTINS: string[];
/** Vendor libraries (vendor-<name>.cjs) the CLI bundle requires when one of their exports is first read. */
export declare const LAZY_VENDOR_LIBRARIES: string[];
export declare function cliBuildOptions(outdir: string): import('esbuild').BuildOptions;
/** scripts/cli-fresh.cjs: the source tree's mtimes (folders end in `/`), the stamp's text, and where it lives under a root. */
export declare function snapshotSources(root?: string): Record<string, number>;
export declare function buildStamp(sources: Record<string, number>, outputs: string[]): string;
export declare function stampPath(root: string): string;
