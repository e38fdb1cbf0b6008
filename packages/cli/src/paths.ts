import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The path to open for one the user typed: as typed (so messages quote it back unchanged), unless
 * the run has a working directory of its own (tests, tools embedding the CLI), then resolved there.
 */
export function pathFromCwd(path: string, cwd: string): string {
    return path === '-' || isAbsolute(path) || resolve(cwd) === process.cwd() ? path : resolve(cwd, path);
}

/** A path as source locations write it: relative to the working directory (absolute when outside it), POSIX separators. */
export function locationPath(path: string, cwd: string): string {
    const absolute = resolve(cwd, path);
    const rel = relative(cwd, absolute);
    return (rel.startsWith('..') ? absolute : rel).split(sep).join('/');
}
