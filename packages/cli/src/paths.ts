import { isAbsolute, resolve } from 'node:path';

/**
 * The path to open for one the user typed: as typed (so messages quote it back unchanged), unless
 * the run has a working directory of its own (tests, tools embedding the CLI), then resolved there.
 */
export function pathFromCwd(path: string, cwd: string): string {
    return path === '-' || isAbsolute(path) || resolve(cwd) === process.cwd() ? path : resolve(cwd, path);
}
