/**
 * Finding policy files on disk: the files of a path given on the command line, and the files
 * of a package another file imports by name: in pack folders of the workspace, then in packs
 * installed in node_modules.
 */
import { basename, dirname, join, resolve, sep } from 'node:path';
import { listFolder, pathExists, readHead, readText, statPath } from './file-reads.js';
import { installedPacksProviding } from './node-modules.js';
import { nearestPackageRoot, packSourceFiles, readPack, type FoundPack } from './pack-manifest.js';

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

/** How to look for a package from one importing file. */
export interface PackageSearch {
    /** The importer is itself in an installed pack: its imports are its dependencies, in node_modules only. */
    installed: boolean;
    /** The npm names the importer's pack depends on (declaredDependencies). */
    dependencies: ReadonlySet<string>;
    /** More node_modules folders to look in, and a cache of what each holds. */
    moduleDirs?: string[];
    cache?: Map<string, FoundPack[]>;
}

/** Where an import of a package leads: files nearby, installed packs, or several copies nearby (none chosen). */
export type PackageLocation = { local: string[] } | { packs: FoundPack[] } | { copies: string[] };

/**
 * Where `import name` looks, in order: an installed pack the importer's pack lists among its
 * dependencies (what its author declared, as npm resolves it); pack folders of the workspace
 * (findWorkspacePackageFiles; not for an installed pack's import); then any installed pack.
 * The command line's loader and the editor's both follow it.
 */
export function locatePackage(name: string, importerDir: string, search: PackageSearch): PackageLocation {
    const installed = () => installedPacksProviding(name, importerDir, search.moduleDirs, search.cache);
    if (search.installed) return { packs: installed() };
    if (search.dependencies.size > 0) {
        const declared = installed().filter(pack => pack.name !== undefined && search.dependencies.has(pack.name));
        if (declared.length === 1) return { packs: declared };
    }
    const local = findWorkspacePackageFiles(name, importerDir);
    if (local.copies.length > 0) return { copies: local.copies };
    if (local.files.length > 0) return { local: local.files };
    return { packs: installed() };
}

/**
 * The npm names the pack or project of `file` depends on (the nearest package.json's
 * dependencies, peer and optional ones too); none when it has no package.json or one that does not read.
 */
export function declaredDependencies(file: string): Set<string> {
    const names = new Set<string>();
    const root = nearestPackageRoot(file);
    let json: unknown;
    try {
        json = root ? JSON.parse(readText(join(root, 'package.json'))) : undefined;
    } catch {
        return names;
    }
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        const listed = (json as Record<string, unknown> | undefined)?.[field];
        if (listed && typeof listed === 'object' && !Array.isArray(listed)) for (const npmName of Object.keys(listed)) names.add(npmName);
    }
    return names;
}

/** The sources of an installed pack that declare package `name`; none when its manifest is unusable (loading the pack says why). */
export function packFilesDeclaring(pack: FoundPack, name: string): string[] {
    try {
        return packSourceFiles(pack).filter(file => declaredPackage(file) === name);
    } catch {
        return [];
    }
}

/** Why an import finds no one package: copies of it in several folders nearby. */
export function severalCopiesMessage(name: string, folders: string[], extra = ''): string {
    return `Package '${name}' is in several folders near this file: ${folders.join(', ')}. Keep one of them${extra}.`;
}

/** Files of a package found near the importing file; `copies`: the sibling folders holding it, when it is in several. */
export interface WorkspaceFiles {
    files: string[];
    copies: string[];
}

/**
 * The files of package `name` near the importing file, the way packs sit side by side: in each
 * folder from the importer's upwards, its sub-folders that hold policy files. The search stops at
 * the project's root (a package.json that is not a pack), so it never wanders into other projects.
 * Found in the folder itself, the package is that folder's (its sub-folders may hold its tests);
 * found only in several sub-folders, they are either one package spread over folders (its codes
 * in one, its payers in another: all are loaded) or copies of it, of which none is the obvious
 * one (copiesAmong).
 */
export function findWorkspacePackageFiles(name: string, importerDir: string, maxLevels = 4): WorkspaceFiles {
    let dir = resolve(importerDir);
    for (let level = 0; level <= maxLevels; level++) {
        const files = filesDeclaring(name, dir);
        if (files.length > 0) {
            const folders = [...new Set(files.map(file => dirname(file)))];
            return { files, copies: folders.includes(dir) ? [] : copiesAmong(folders, files) };
        }
        if (isProjectRoot(dir)) break;
        const parent = dirname(dir);
        if (parent === dir) break;
        dir = parent;
    }
    return { files: [], copies: [] };
}

/**
 * Folders of a package that are copies of one another: two that are each a pack of their own
 * (a package.json), or that hold a file of the same name. All such folders, or none.
 */
function copiesAmong(folders: string[], files: string[]): string[] {
    if (folders.length < 2) return [];
    const packs = folders.filter(folder => pathExists(join(folder, 'package.json')));
    const names = files.map(file => basename(file));
    const sharedName = names.some((name, index) => names.indexOf(name) !== index);
    return packs.length >= 2 || sharedName ? folders : [];
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
