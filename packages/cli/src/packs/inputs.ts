/**
 * What `--policy` (and `payrule diff`) may name beyond files and folders: a pack tarball, unpacked
 * as data into a temporary folder, or the name of a pack installed in the project's node_modules.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { findInstalledPackage, isInside, nodeModulesDirs, NPM_NAME, readPack } from '@payrule/language/packs';
import { CliError, describeFileError } from '../errors.js';
import { extractTarball, TarballError } from './tarball.js';

export interface PolicyInputs {
    /** The paths to load, tarballs replaced by their unpacked folders and pack names by their install folders. */
    paths: string[];
    /** Unpacked tarballs: their files are installed packs, not the user's workspace. */
    installedRoots: string[];
    /** The project's node_modules folders, where an unpacked tarball's imports resolve. */
    moduleDirs: string[];
    /** How to name a file for the user: unpacked files by the tarball they came from. */
    display(file: string): string;
    /** Removes the unpacked tarballs. */
    cleanup(): void;
}

export function isTarball(path: string): boolean {
    return /\.(tgz|tar\.gz)$/i.test(path);
}

export function resolvePolicyInputs(paths: string[], cwd: string): PolicyInputs {
    const unpacked: { dir: string; tarball: string }[] = [];
    const cleanup = () => {
        for (const { dir } of unpacked) rmSync(dir, { recursive: true, force: true });
    };
    const resolved: string[] = [];
    try {
        for (const path of paths) {
            const absolute = resolve(cwd, path);
            if (isTarball(path)) {
                const dir = mkdtempSync(join(tmpdir(), 'payrule-pack-'));
                unpacked.push({ dir, tarball: path });
                unpackTarball(path, absolute, dir);
                resolved.push(dir);
            } else if (!existsSync(absolute) && NPM_NAME.test(path)) {
                resolved.push(installedPack(path, cwd));
            } else {
                resolved.push(path);
            }
        }
    } catch (error) {
        cleanup();
        throw error;
    }
    const display = (file: string) => {
        for (const { dir, tarball } of unpacked) {
            if (isInside(dir, file)) {
                const inner = relative(dir, file).split(sep).join('/');
                return inner ? `${tarball}/${inner}` : tarball;
            }
        }
        const rel = relative(cwd, file);
        if (rel === '') return '.';
        return (rel.startsWith('..') ? file : rel).split(sep).join('/');
    };
    return { paths: resolved, installedRoots: unpacked.map(entry => entry.dir), moduleDirs: nodeModulesDirs(cwd), display, cleanup };
}

function unpackTarball(path: string, absolute: string, dir: string): void {
    let data: Buffer;
    try {
        data = readFileSync(absolute);
    } catch (error) {
        throw new CliError(`cannot read policy '${path}': ${describeFileError(error)}.`);
    }
    try {
        extractTarball(data, dir);
    } catch (error) {
        if (error instanceof TarballError) throw new CliError(`cannot use pack tarball '${path}': ${error.message}.`);
        throw error;
    }
    if (!existsSync(join(dir, 'package.json'))) throw new CliError(`cannot use pack tarball '${path}': it holds no package.json, so it is not an npm pack.`);
}

/** The folder of the installed pack `name`, from node_modules of the working folder upwards. */
function installedPack(name: string, cwd: string): string {
    const root = findInstalledPackage(name, cwd);
    if (!root) throw new CliError(`cannot read policy '${name}': no such file or folder, and no installed pack of that name (npm install ${name}).`);
    let pack;
    try {
        pack = readPack(root);
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    if (!pack) throw new CliError(`'${name}' is installed (${relative(cwd, root) || root}) but is not a Payrule pack: its package.json has no payrule field.`);
    return root;
}
