/**
 * A rule pack is an npm package whose package.json has a `payrule` field: the Payrule language
 * it is written in, its sources, the packages and payers it provides, and, once built by
 * `payrule pack`, its compiled policy with the digests (and signature) that vouch for it.
 * Reading a manifest never runs anything from the pack: it is JSON.
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { listFolder, pathExists, readText, realPath, statPath } from './file-reads.js';

/** The Payrule language this toolchain reads. A pack names the one it needs in `payrule.language`. */
export const PAYRULE_LANGUAGE = '1';

export interface PackSignature {
    algorithm: 'ed25519';
    /** `sha256-<base64>` of the public key (SPKI, DER): which key signed. */
    keyId: string;
    /** Base64 Ed25519 signature of the pack's signed statement (see the CLI's packs/signing.ts). */
    value: string;
}

export interface PackManifest {
    language: string;
    /** Source files or folders, relative to the pack root; `*` matches within a file name. Default: every .payrule file. */
    sources?: string[];
    /** The compiled policy (IR JSON), relative to the pack root. */
    compiled?: string;
    /** Payrule packages the pack declares (what `import <name>` finds it by). */
    packages?: string[];
    /** Payer ids the pack declares. */
    payers?: string[];
    /** `sha256-<base64>` of the compiled policy's bytes. */
    integrity?: string;
    /** `sha256-<base64>` over the pack's source files (their paths and contents). */
    sourceIntegrity?: string;
    signature?: PackSignature;
}

export interface FoundPack {
    /** The folder holding package.json. */
    root: string;
    /** The npm package name (may be absent in a folder that was never published). */
    name?: string;
    version?: string;
    manifest: PackManifest;
    /** The whole package.json, as read. */
    packageJson: Record<string, unknown>;
}

/** A pack whose manifest cannot be used: one line for the user. */
export class PackManifestError extends Error {}

/** `@scope/name@1.2.3 (path)`, how messages name a pack. */
export function describePack(pack: FoundPack, displayRoot?: string): string {
    const id = pack.name ? `${pack.name}${pack.version ? `@${pack.version}` : ''}` : 'pack';
    return `${id} (${displayRoot ?? pack.root})`;
}

/** The pack at `root`: undefined when there is no package.json or it has no `payrule` field. */
export function readPack(root: string): FoundPack | undefined {
    const key = resolve(root);
    const file = join(key, 'package.json');
    let found: FoundPack | undefined;
    if (pathExists(file)) {
        let json: unknown;
        try {
            json = JSON.parse(readText(file));
        } catch (error) {
            throw new PackManifestError(`${file} is not valid JSON (${(error as Error).message}).`);
        }
        if (isRecord(json) && json.payrule !== undefined) {
            found = {
                root: key,
                ...(typeof json.name === 'string' ? { name: json.name } : {}),
                ...(typeof json.version === 'string' ? { version: json.version } : {}),
                manifest: checkManifest(json.payrule, file),
                packageJson: json
            };
        }
    }
    return found;
}

/** The folder of the package.json nearest above `file` (any package.json: a pack or a project). */
export function nearestPackageRoot(file: string): string | undefined {
    let dir = dirname(resolve(file));
    for (;;) {
        if (pathExists(join(dir, 'package.json'))) return dir;
        const parent = dirname(dir);
        if (parent === dir) return undefined;
        dir = parent;
    }
}

/** The pack a file belongs to: the nearest package.json above it, when that one is a pack. */
export function packOf(file: string): FoundPack | undefined {
    const root = nearestPackageRoot(file);
    return root ? readPack(root) : undefined;
}

/** Why this toolchain cannot read the pack's language, or undefined when it can. */
export function languageProblem(pack: FoundPack, displayRoot?: string): string | undefined {
    const wanted = pack.manifest.language;
    const major = wanted.trim().replace(/^(?:\^|~|>=|=|v)+/, '').split('.')[0];
    if (major === PAYRULE_LANGUAGE) return undefined;
    return `${describePack(pack, displayRoot)} is written in Payrule language ${JSON.stringify(wanted)}, `
        + `but this payrule reads language "${PAYRULE_LANGUAGE}": install a version of the pack made for language ${PAYRULE_LANGUAGE}, or a payrule that reads ${JSON.stringify(wanted)}.`;
}

/**
 * The pack's source files, sorted: what `sources` names (files, folders, `dir/*.payrule`), or
 * every .payrule file under the root. Never outside the root, symbolic links included.
 */
export function packSourceFiles(pack: FoundPack): string[] {
    const entries = pack.manifest.sources ?? ['.'];
    const files = new Set<string>();
    for (const entry of entries) {
        if (isAbsolute(entry) || /^[A-Za-z]:/.test(entry)) throw new PackManifestError(`${describePack(pack)}: payrule.sources may not name an absolute path ("${entry}").`);
        const path = resolve(pack.root, entry);
        if (!isInside(pack.root, path)) throw new PackManifestError(`${describePack(pack)}: payrule.sources "${entry}" is outside the pack's folder.`);
        if (entry.includes('*')) {
            for (const file of matchPattern(pack.root, entry)) files.add(file);
        } else if (pathExists(path) && statPath(path).isDirectory) {
            for (const file of walkPolicyFiles(path)) files.add(file);
        } else if (pathExists(path)) {
            files.add(path);
        } else {
            throw new PackManifestError(`${describePack(pack)}: payrule.sources names "${entry}", which does not exist.`);
        }
    }
    const realRoot = realPath(pack.root);
    for (const file of files) {
        if (!isInside(realRoot, realPath(file))) {
            throw new PackManifestError(`${describePack(pack)}: source ${relative(pack.root, file)} is a link to a file outside the pack's folder.`);
        }
    }
    return [...files].sort();
}

/** Whether `target` is `root` or inside it (paths compared as given: resolve or realpath them first). */
export function isInside(root: string, target: string): boolean {
    const rel = relative(resolve(root), resolve(target));
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function walkPolicyFiles(dir: string): string[] {
    const files: string[] = [];
    const walk = (folder: string) => {
        for (const entry of readDir(folder)) {
            if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
            const full = join(folder, entry.name);
            if (entry.isDirectory) walk(full);
            else if (entry.isFile && entry.name.endsWith('.payrule')) files.push(full);
        }
    };
    walk(dir);
    return files;
}

/** `dir/*.payrule`-style patterns: `*` within the last segment only. */
function matchPattern(root: string, pattern: string): string[] {
    const normalized = pattern.split(/[\\/]/);
    const last = normalized.pop()!;
    if (normalized.some(part => part.includes('*'))) throw new PackManifestError(`payrule.sources "${pattern}": '*' is allowed only in the file name.`);
    const dir = resolve(root, ...normalized);
    const regex = new RegExp(`^${last.split('*').map(escapeRegex).join('[^/\\\\]*')}$`);
    return readDir(dir).filter(entry => entry.isFile && regex.test(entry.name)).map(entry => join(dir, entry.name));
}

function readDir(dir: string) {
    try {
        // In one locale whatever the user's (pack-files.ts says why).
        return (statPath(dir).isDirectory ? listFolder(dir) : []).sort((a, b) => a.name.localeCompare(b.name, 'en'));
    } catch {
        return [];
    }
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkManifest(value: unknown, file: string): PackManifest {
    const problem = (what: string) => new PackManifestError(`${file}: the payrule field ${what}.`);
    if (!isRecord(value)) throw problem('must be an object, e.g. { "language": "1" }');
    if (typeof value.language !== 'string') throw problem('must name the Payrule language the pack is written in ("language": "1")');
    const strings = (key: string): string[] | undefined => {
        const list = value[key];
        if (list === undefined) return undefined;
        if (!Array.isArray(list) || !list.every(item => typeof item === 'string')) throw problem(`"${key}" must be a list of strings`);
        return list as string[];
    };
    const text = (key: string): string | undefined => {
        const item = value[key];
        if (item === undefined) return undefined;
        if (typeof item !== 'string') throw problem(`"${key}" must be a string`);
        return item;
    };
    const sources = strings('sources');
    const packages = strings('packages');
    const payers = strings('payers');
    const compiled = text('compiled');
    const integrity = text('integrity');
    const sourceIntegrity = text('sourceIntegrity');
    let signature: PackSignature | undefined;
    if (value.signature !== undefined) {
        const sig = value.signature;
        if (!isRecord(sig) || sig.algorithm !== 'ed25519' || typeof sig.keyId !== 'string' || typeof sig.value !== 'string') {
            throw problem('"signature" must be { "algorithm": "ed25519", "keyId": "...", "value": "..." }');
        }
        signature = { algorithm: 'ed25519', keyId: sig.keyId, value: sig.value };
    }
    return {
        language: value.language,
        ...(sources ? { sources } : {}),
        ...(compiled !== undefined ? { compiled } : {}),
        ...(packages ? { packages } : {}),
        ...(payers ? { payers } : {}),
        ...(integrity !== undefined ? { integrity } : {}),
        ...(sourceIntegrity !== undefined ? { sourceIntegrity } : {}),
        ...(signature ? { signature } : {})
    };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
