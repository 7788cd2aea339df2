export declare const repoRoot: string;
export declare const cliBundlePath: string;
export declare function cliBundleState(): 'fresh' | 'stale' | 'missing';
