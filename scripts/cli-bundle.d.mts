export declare const repoRoot: string;
export declare const cliBundlePath: string;
export declare function cliBundleState(): 'fresh' | 'stale' | 'missing';
export declare const workerEntryNames: string[];
export declare function cliBuildOptions(outdir: string): import('esbuild').BuildOptions;
