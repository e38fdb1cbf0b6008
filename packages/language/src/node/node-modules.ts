/**
 * Installed packs, found the way Node finds packages: in `node_modules` folders from the
 * importing file's folder upwards. Only package.json files are read; nothing is executed.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { listFolder, pathExists } from './file-reads.js';
import { readPack, type FoundPack } from './pack-manifest.js';

/** An npm package name: `name` or `@scope/name`. */
export const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/** The `node_modules` folders Node would search from `dir`, nearest first (existing ones only). */
export function nodeModulesDirs(dir: string): string[] {
    const dirs: string[] = [];
    let current = resolve(dir);
    for (;;) {
        if (basename(current) !== 'node_modules') {
            const candidate = join(current, 'node_modules');
            if (pathExists(candidate)) dirs.push(candidate);
        }
        const parent = dirname(current);
        if (parent === current) return dirs;
        current = parent;
    }
}

/** The folder of the installed package `name` seen from `dir` (then from `extraDirs`, node_modules folders). */
export function findInstalledPackage(name: string, dir: string, extraDirs: string[] = []): string | undefined {
    if (!NPM_NAME.test(name)) return undefined;
    for (const modules of [...nodeModulesDirs(dir), ...extraDirs]) {
        const root = join(modules, ...name.split('/'));
        if (pathExists(join(root, 'package.json'))) return root;
    }
    return undefined;
}

/**
 * Installed packs whose manifest says they provide the Payrule package `name`, from the nearest
 * node_modules folder that has any (as Node stops at the first folder that has the package).
 */
export function installedPacksProviding(name: string, dir: string, extraDirs: string[] = [], cache?: Map<string, FoundPack[]>): FoundPack[] {
    for (const modules of [...nodeModulesDirs(dir), ...extraDirs]) {
        const found = packsIn(modules, cache).filter(pack => pack.manifest.packages?.includes(name));
        if (found.length > 0) return found;
    }
    return [];
}

/** Every pack installed directly in one node_modules folder (scoped ones included). */
export function packsIn(modules: string, cache?: Map<string, FoundPack[]>): FoundPack[] {
    const cached = cache?.get(modules);
    if (cached) return cached;
    const packs: FoundPack[] = [];
    const consider = (root: string) => {
        try {
            const pack = readPack(root);
            if (pack) packs.push(pack);
        } catch {
            // A broken manifest of an unrelated package is not this import's problem; importing it by name reports it.
        }
    };
    for (const entry of safeList(modules)) {
        if (entry.startsWith('.')) continue;
        if (entry.startsWith('@')) {
            for (const inner of safeList(join(modules, entry))) consider(join(modules, entry, inner));
        } else {
            consider(join(modules, entry));
        }
    }
    cache?.set(modules, packs);
    return packs;
}

function safeList(dir: string): string[] {
    try {
        return listFolder(dir).map(entry => entry.name);
    } catch {
        return [];
    }
}
