/**
 * Building a pack for others: its sources validated and compiled, its own tests run, then a copy
 * of what npm would ship, with the compiled policy and the manifest's digests (and signature)
 * added, packed by `npm pack`. The author's folder is left as it is: the digests describe the
 * tarball, so editing the sources afterwards never leaves the working folder "tampered".
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { PolicyBundle, TestRun } from '@payrule/engine';
import { runPolicyTests } from '@payrule/engine';
import type { LoadedPolicy } from '@payrule/language/node';
import {
    languageProblem, packOf, PackManifestError, packSourceFiles, PolicyPathError, readPack, type FoundPack, type PackManifest
} from '@payrule/language/packs';
import type { KeyObject } from 'node:crypto';
import { CliError } from '../errors.js';
import { compilePolicySources } from '../policy/language.js';
import { withTestsWithin } from '../policy/tests-within.js';
import { integrityOf, sourceIntegrityOf } from './digest.js';
import { npmPack } from './npm.js';
import { keyIdOf, signPack } from './signing.js';
import { NO_TRUST_REQUIRED, packRefusal } from './verify.js';

export const DEFAULT_COMPILED = 'payrule/policy.json';

/** The author's pack, ready to build: its manifest and sources, or a CliError saying what to fix. */
export function readAuthorPack(root: string, display: string): { pack: FoundPack & { name: string; version: string }; sources: string[] } {
    let pack: FoundPack | undefined;
    try {
        pack = readPack(root);
    } catch (error) {
        throw new CliError((error as Error).message);
    }
    if (!pack) {
        throw new CliError(`${display} is not a pack: a pack is an npm package whose package.json has a payrule field, `
            + `e.g. { "name": "@practice/medicare-rules", "version": "1.0.0", "payrule": { "language": "1" } }.`);
    }
    if (!pack.name || !pack.version) throw new CliError(`${display}/package.json needs a name and a version: npm publishes and installs packs by them.`);
    const language = languageProblem(pack, display);
    if (language) throw new CliError(language);
    let sources: string[];
    try {
        sources = packSourceFiles(pack);
    } catch (error) {
        if (error instanceof PackManifestError) throw new CliError(error.message);
        throw error;
    }
    if (sources.length === 0) throw new CliError(`${display} has no .payrule sources.`);
    return { pack: pack as FoundPack & { name: string; version: string }, sources };
}

/**
 * Loads the pack's sources with whatever they import (other packs are checked as usual; the
 * pack itself is being rebuilt, so its old digests do not count). The compiled policy names
 * files as `<npm name>/<path in the pack>`, the same wherever it is installed.
 */
export async function loadAuthorPack(pack: FoundPack, sources: string[], cwd: string, display: (file: string) => string): Promise<LoadedPolicy> {
    try {
        return await compilePolicySources(sources, {
            cwd,
            fileName: display,
            locationName: file => locationInPack(file, display),
            checkPack: (other, otherSources) => other.root === pack.root ? undefined : packRefusal(other, otherSources, NO_TRUST_REQUIRED, display(other.root))
        });
    } catch (error) {
        if (error instanceof PolicyPathError) throw new CliError(error.message);
        throw error;
    }
}

function locationInPack(file: string, display: (file: string) => string): string {
    const pack = safePackOf(file);
    return pack?.name ? `${pack.name}/${posix(relative(pack.root, file))}` : display(file);
}

function safePackOf(file: string): FoundPack | undefined {
    try {
        return packOf(file);
    } catch {
        return undefined;
    }
}

/** Payrule packages and payers the pack's own sources declare. */
export function ownDeclarations(pack: FoundPack, loaded: LoadedPolicy, bundle: PolicyBundle): { packages: string[]; payers: string[] } {
    const own = loaded.sources.filter(source => source.pack?.root === pack.root);
    const packages = [...new Set(own.map(source => source.packageName).filter((name): name is string => name !== undefined))].sort();
    const payers = [...new Set(bundle.payers.filter(payer => payer.package !== undefined && packages.includes(payer.package)).map(payer => payer.id))].sort();
    return { packages, payers };
}

/**
 * package.json's version, when no package of the pack declares it in its `package ... version`
 * line: reports name the policy's version, npm the package's, and an audit needs them to be one
 * edition. (A pack may hold several packages, a copied catalog among them, each with its own.)
 */
export function versionMismatch(pack: FoundPack & { version: string }, loaded: LoadedPolicy, display: (file: string) => string): string | undefined {
    const versioned = loaded.sources.filter(source => source.pack?.root === pack.root && source.packageVersion !== undefined);
    if (versioned.length === 0 || versioned.some(source => source.packageVersion === pack.version)) return undefined;
    const declared = [...new Map(versioned.map(source => [source.packageName, source])).values()];
    const which = declared.map(source => `${display(source.path)} declares package ${source.packageName} version "${source.packageVersion}"`);
    return `package.json gives version ${pack.version}, but ${which.join(', and ')}: reports name the version the policy declares, so make the two the same.`;
}

/**
 * Imports the pack makes that an installed copy would not find: packages its own sources import
 * that came from a folder nearby rather than from a dependency named in package.json. (What those
 * packages import in turn is their own dependencies' business.)
 */
export function undeclaredDependencies(pack: FoundPack, loaded: LoadedPolicy, display: (file: string) => string): string[] {
    const json = pack.packageJson;
    const declared = new Set<string>();
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
        const value = json[field];
        if (Array.isArray(value)) value.forEach(name => declared.add(String(name)));
        else if (value && typeof value === 'object') Object.keys(value).forEach(name => declared.add(name));
    }
    const imported = new Set(loaded.sources.filter(source => source.pack?.root === pack.root).flatMap(source => source.imports));
    const warnings = new Map<string, string>();
    for (const source of loaded.sources) {
        if (source.pack?.root === pack.root || !source.packageName) continue;
        if (!imported.has(source.packageName) && !(source.pack?.name && imported.has(source.pack.name))) continue;
        const from = source.pack;
        if (from?.name && declared.has(from.name)) continue;
        const where = from?.name ? `${from.name} (${display(from.root)})` : `${display(dirname(source.path))}, which is not a pack`;
        warnings.set(source.packageName, `package ${source.packageName} comes from ${where}, which package.json does not list in dependencies: `
            + `where ${pack.name} is installed, importing ${source.packageName} will fail.`);
    }
    return [...warnings.values()];
}

/** The policy with only the pack's own tests (written in its files): those of the packs it imports are theirs. */
export function withOwnTests(pack: FoundPack & { name: string }, bundle: PolicyBundle): PolicyBundle {
    return withTestsWithin(bundle, [pack.name]);
}

/** The pack's own tests, run through the engine. */
export function runOwnTests(pack: FoundPack & { name: string }, bundle: PolicyBundle): TestRun {
    return runPolicyTests(withOwnTests(pack, bundle));
}

export interface PackOutput {
    tarball: string;
    manifest: PackManifest;
    files: string[];
}

/**
 * Writes the tarball: what `npm pack` would ship from the pack's folder (its `files`, its
 * .npmignore), copied aside with the compiled policy and the completed manifest, then packed.
 */
export async function writePackTarball(options: {
    pack: FoundPack & { name: string; version: string };
    sources: string[];
    bundle: PolicyBundle;
    declarations: { packages: string[]; payers: string[] };
    outDir: string;
    signingKey?: KeyObject;
}): Promise<PackOutput> {
    const { pack, sources, bundle, declarations, outDir, signingKey } = options;
    const compiled = compiledPath(pack);
    const listing = await npmPack(pack.root, { dryRun: true });
    const shipped = new Set(listing.files.map(file => posix(file.path)));
    for (const source of sources) {
        const path = posix(relative(pack.root, source));
        if (path === compiled) throw new CliError(`payrule.compiled (${compiled}) names a source file.`);
        if (!shipped.has(path)) {
            throw new CliError(`${path} is a source of the pack, but npm leaves it out of the tarball (package.json "files" or .npmignore): ship it, or leave it out of payrule.sources.`);
        }
    }

    const ir = `${JSON.stringify(bundle, null, 2)}\n`;
    const integrity = integrityOf(ir);
    const sourceIntegrity = sourceIntegrityOf(pack.root, sources);
    const { signature: _oldSignature, ...previous } = pack.manifest;
    const manifest: PackManifest = {
        ...previous,
        packages: declarations.packages,
        payers: declarations.payers,
        compiled,
        integrity,
        sourceIntegrity,
        ...(signingKey ? { signature: signPack({ name: pack.name, version: pack.version, integrity, sourceIntegrity }, signingKey) } : {})
    };
    const packageJson: Record<string, unknown> = { ...pack.packageJson, payrule: manifest };
    if (Array.isArray(packageJson.files) && !packageJson.files.includes(compiled)) packageJson.files = [...packageJson.files, compiled];

    const stage = mkdtempSync(join(tmpdir(), 'payrule-stage-'));
    try {
        for (const file of listing.files) {
            const path = posix(file.path);
            if (path === 'package.json' || path === compiled) continue;
            const target = join(stage, ...path.split('/'));
            mkdirSync(dirname(target), { recursive: true });
            copyFileSync(join(pack.root, ...path.split('/')), target);
        }
        const compiledFile = join(stage, ...compiled.split('/'));
        mkdirSync(dirname(compiledFile), { recursive: true });
        writeFileSync(compiledFile, ir);
        writeFileSync(join(stage, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
        mkdirSync(outDir, { recursive: true });
        const result = await npmPack(stage, { destination: outDir });
        const packed = new Set(result.files.map(file => posix(file.path)));
        if (!packed.has(compiled)) throw new CliError(`npm left the compiled policy ${compiled} out of the tarball; check package.json "files".`);
        return { tarball: join(outDir, result.filename), manifest, files: [...packed].sort() };
    } finally {
        rmSync(stage, { recursive: true, force: true });
    }
}

/** Where the compiled policy goes in the pack: payrule.compiled, or payrule/policy.json. */
function compiledPath(pack: FoundPack): string {
    const path = pack.manifest.compiled ?? DEFAULT_COMPILED;
    const normalized = posix(relative(pack.root, resolve(pack.root, path)));
    if (isAbsolute(path) || normalized.startsWith('../') || normalized === '..' || !normalized.endsWith('.json')) {
        throw new CliError(`payrule.compiled must be a .json path inside the pack (got "${path}").`);
    }
    return normalized;
}

export function signerId(key: KeyObject): string {
    return keyIdOf(key);
}

function posix(path: string): string {
    return path.split(sep).join('/');
}
