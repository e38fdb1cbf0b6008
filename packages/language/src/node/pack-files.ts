/**
 * Finding policy files on disk: the files of a path given on the command line, and the pack
 * folder that declares a package another file imports by name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const POLICY_EXTENSION = '.payrule';
const PACKAGE_HEADER = /^\s*(?:(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/)\s*)*package\s+([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)/;

/** Every policy file at `path`: the file itself, or the files under the folder (not in node_modules or hidden folders). */
export function policyFilesAt(path: string): string[] {
    const stat = statSync(path);
    if (stat.isFile()) return [resolve(path)];
    const files: string[] = [];
    const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
            const full = join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile() && entry.name.endsWith(POLICY_EXTENSION)) files.push(full);
        }
    };
    walk(resolve(path));
    return files;
}

/** The package a policy file declares, read from its header without parsing the whole file. */
export function declaredPackage(file: string): string | undefined {
    try {
        const head = readFileSync(file, 'utf8').slice(0, 4096);
        return PACKAGE_HEADER.exec(head)?.[1];
    } catch {
        return undefined;
    }
}

/**
 * The files of package `name`, searched for near the importing file the way packs sit side by
 * side: in each folder from the importer's upwards, its sub-folders that hold policy files.
 */
export function findPackageFiles(name: string, importerDir: string, maxLevels = 4): string[] {
    let dir = resolve(importerDir);
    for (let level = 0; level <= maxLevels; level++) {
        const found = filesDeclaring(name, dir);
        if (found.length > 0) return found;
        const parent = dirname(dir);
        if (parent === dir) break;
        dir = parent;
    }
    return [];
}

function filesDeclaring(name: string, dir: string): string[] {
    if (!existsSync(dir)) return [];
    const candidates: string[] = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        const full = join(dir, entry.name);
        if (entry.isFile() && entry.name.endsWith(POLICY_EXTENSION)) candidates.push(full);
        if (entry.isDirectory()) {
            for (const inner of readdirSync(full, { withFileTypes: true })) {
                if (inner.isFile() && inner.name.endsWith(POLICY_EXTENSION)) candidates.push(join(full, inner.name));
            }
        }
    }
    return candidates.filter(file => declaredPackage(file) === name).sort();
}
