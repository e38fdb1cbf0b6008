/** Builds `dir`/cli/payrule.mjs (and payrule-worker.mjs beside it) from the sources; returns its path. */
export function buildCliBundle(dir: string): Promise<string>;
