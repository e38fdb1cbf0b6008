/**
 * Finding policy files on disk: the files of a path given on the command line, and the files
 * of a package another file imports by name: in pack folders of the workspace, then in packs
 * installed in node_modules.
 */
import { dirname, join, resolve, sep } from 'node:path';
import { listFolder, pathExists, readHead, statPath } from './file-reads.js';
import { installedPacksProviding } from './node-modules.js';
import { packSourceFiles, readPack } from './pack-manifest.js';

export const POLICY_EXTENSION = '.payrule';

/** A policy path that cannot be read at all, or a pack that is refused: one line for the user, no stack trace. */
export class PolicyPathError extends Error {}
const PACKAGE_NAME = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*/;

/** Every policy file at `path`: the file itself, or the files under the folder (not in node_modules or hidden folders). */
export function policyFilesAt(path: string): string[] {
    const stat = statOf(path);
    if (stat?.isFile) return [resolve(path)];
    const files: string[] = [];
    const walk = (dir: string) => {
        // Sorted in one locale whatever the user's: the order of the files is the order of what they declare.
        for (const entry of listFolder(dir).sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
            if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
            const full = join(dir, entry.name);
            // Symbolic links are not followed: a folder's files are the ones really in it.
            if (entry.isDirectory) walk(full);
            else if (entry.isFile && entry.name.endsWith(POLICY_EXTENSION)) files.push(full);
        }
    };
    walk(resolve(path));
    return files;
}

/** The package a policy file declares, read from its header (its first bytes) without parsing the whole file. */
export function declaredPackage(file: string): string | undefined {
    let head: string;
    try {
        head = readHead(file).toString('utf8');
    } catch {
        return undefined;
    }
    return packageInHeader(head);
}

/**
 * The name after `package` when it is the first thing in the text after whitespace and comments.
 * A plain scan, not a pattern: a header of many comments costs one pass (a pattern with nested
 * repetition took minutes on a line of repeated `//`).
 */
export function packageInHeader(text: string): string | undefined {
    let i = 0;
    for (;;) {
        while (i < text.length && /\s/.test(text[i]!)) i++;
        if (text.startsWith('//', i)) {
            const end = text.indexOf('\n', i);
            if (end < 0) return undefined;
            i = end + 1;
        } else if (text.startsWith('/*', i)) {
            const end = text.indexOf('*/', i + 2);
            if (end < 0) return undefined;
            i = end + 2;
        } else {
            break;
        }
    }
    if (!text.startsWith('package', i) || !/\s/.test(text[i + 7] ?? '')) return undefined;
    i += 7;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    return PACKAGE_NAME.exec(text.slice(i, i + 512))?.[0];
}

/** Whether a path lies inside a node_modules folder (an installed package). */
export function isInNodeModules(path: string): boolean {
    return resolve(path).split(sep).includes('node_modules');
}

/**
 * The files of package `name` for a file in `importerDir`: pack folders of the workspace first
 * (see findWorkspacePackageFiles), then the packs installed in node_modules that provide it.
 * Files of an installed pack look only in node_modules.
 */
export function findPackageFiles(name: string, importerDir: string, maxLevels = 4): string[] {
    if (!isInNodeModules(importerDir)) {
        const local = findWorkspacePackageFiles(name, importerDir, maxLevels);
        if (local.length > 0) return local;
    }
    for (const pack of installedPacksProviding(name, importerDir)) {
        try {
            const files = packSourceFiles(pack).filter(file => declaredPackage(file) === name);
            if (files.length > 0) return files;
        } catch {
            // An unusable manifest: the command line reports why when it loads the pack.
        }
    }
    return [];
}

/**
 * The files of package `name` near the importing file, the way packs sit side by side: in each
 * folder from the importer's upwards, its sub-folders that hold policy files. The search stops at
 * the project's root (a package.json that is not a pack), so it never wanders into other projects.
 */
export function findWorkspacePackageFiles(name: string, importerDir: string, maxLevels = 4): string[] {
    let dir = resolve(importerDir);
    for (let level = 0; level <= maxLevels; level++) {
        const found = filesDeclaring(name, dir);
        if (found.length > 0) return found;
        if (isProjectRoot(dir)) break;
        const parent = dirname(dir);
        if (parent === dir) break;
        dir = parent;
    }
    return [];
}

function isProjectRoot(dir: string): boolean {
    if (!pathExists(join(dir, 'package.json'))) return false;
    try {
        return readPack(dir) === undefined;
    } catch {
        return true;
    }
}

function filesDeclaring(name: string, dir: string): string[] {
    if (!pathExists(dir)) return [];
    const candidates: string[] = [];
    for (const entry of listFolder(dir)) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const full = join(dir, entry.name);
        if (entry.isFile && entry.name.endsWith(POLICY_EXTENSION)) candidates.push(full);
        if (entry.isDirectory) {
            for (const inner of listFolder(full)) {
                if (inner.isFile && inner.name.endsWith(POLICY_EXTENSION)) candidates.push(join(full, inner.name));
            }
        }
    }
    return candidates.filter(file => declaredPackage(file) === name).sort();
}

function statOf(path: string) {
    try {
        return statPath(path);
    } catch {
        return undefined;
    }
}
