/**
 * Loads the policies named by `--policy`: `.payrule` files, pack folders, packs installed in
 * node_modules (by name) and pack tarballs through the language (parsed, linked, validated,
 * compiled), compiled `.json` bundles as they are (checked against the IR contract), and merges
 * them into the one bundle the engine evaluates. Every pack is checked before use: its language,
 * its digests, and its signature when the run requires one.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPolicyBundle, mergeBundles, PolicyError, type PolicyBundle } from '@payrule/engine';
import type { LoadPolicyOptions, PolicyDiagnostic } from '@payrule/language/node';
import { languageProblem, PackManifestError, packOf, packSourceFiles, POLICY_EXTENSION, PolicyPathError, type FoundPack } from '@payrule/language/packs';
import { CliError, describeFileError } from '../errors.js';
import { resolvePolicyInputs, type PolicyInputs } from '../packs/inputs.js';
import { readTrustedKey } from '../packs/signing.js';
import { NO_TRUST_REQUIRED, packRefusal, type PackTrust } from '../packs/verify.js';
import { pathFromCwd } from '../paths.js';
import { cachedCompile, type CompiledSources, type CompileResult, type PolicyCache } from './cache.js';
import { compilePolicySources } from './language.js';

export interface LoadedPolicies {
    /** Absent when there is an error diagnostic or problem. */
    bundle?: PolicyBundle;
    /** From the policy sources, with file, line and column. */
    diagnostics: PolicyDiagnostic[];
    /** Conflicts between the loaded policies as a whole (a payer declared twice for the same dates). */
    problems: string[];
    /** The npm packs the policies came from, by name and version. */
    packs?: { name: string; version?: string }[];
}

/** How much a run trusts packs: `--require-signed`, `--trusted-key` (repeatable). */
export interface PolicyTrustOptions {
    requireSigned?: boolean;
    trustedKey?: string[];
}

/**
 * What a command needs of the policies beyond trust: `tests: false` leaves the policy tests out (a
 * run that only checks sessions); `cache`, where compiled sources are kept between runs (cache.ts).
 */
export interface LoadPoliciesOptions extends PolicyTrustOptions {
    tests?: boolean;
    cache?: PolicyCache;
}

export async function loadPolicies(paths: string[], cwd: string, options: LoadPoliciesOptions = {}): Promise<LoadedPolicies> {
    const trust = packTrust(options, cwd);
    const inputs = resolvePolicyInputs(paths, cwd);
    try {
        return await loadResolved(inputs, cwd, trust, options.tests !== false, options.cache);
    } finally {
        inputs.cleanup();
    }
}

/** The key files `--trusted-key` names, which a run reads (so `-o` must not replace them). */
export function trustedKeyFiles(options: PolicyTrustOptions): string[] {
    return options.trustedKey ?? [];
}

/** The keys and the rule of a run; `--require-signed` without a key could accept nothing, so it is a usage error. */
export function packTrust(options: PolicyTrustOptions, cwd: string): PackTrust {
    const keys = trustedKeyFiles(options).map(path => readTrustedKey(resolve(cwd, path)));
    if (options.requireSigned && keys.length === 0) throw new CliError('--require-signed needs the public key of at least one signer: --trusted-key KEY.pem.');
    return keys.length === 0 && !options.requireSigned ? NO_TRUST_REQUIRED : { requireSigned: options.requireSigned === true, trustedKeys: keys };
}

async function loadResolved(inputs: PolicyInputs, cwd: string, trust: PackTrust, tests: boolean, cache: PolicyCache | undefined): Promise<LoadedPolicies> {
    const kinds = inputs.paths.map(path => classify(pathFromCwd(path, cwd), cwd, inputs));
    const sources = inputs.paths.filter((_, i) => kinds[i]!.kind === 'sources');
    const loaded = sources.length > 0 ? await loadSources(sources, cwd, inputs, trust, tests, cache) : undefined;
    const diagnostics = loaded?.diagnostics ?? [];
    if (loaded && !('bundle' in loaded)) return { diagnostics, problems: [] };
    const sourceResult = loaded as CompiledSources | undefined;

    // Keep the order of the command line: the sources' bundle stands where the first source was named.
    const bundles: PolicyBundle[] = [];
    inputs.paths.forEach((path, i) => {
        const kind = kinds[i]!;
        if (kind.kind === 'compiled') bundles.push(readCompiledPolicy(kind.file, inputs.display(kind.file), kind.pack, trust, inputs));
        else if (path === sources[0] && sourceResult?.bundle) bundles.push(sourceResult.bundle);
    });
    // Merged even when there is one, so sources and their compiled form go through the same checks.
    const problems: string[] = [];
    const bundle = mergeBundles(bundles, problems);
    const packs = [...(sourceResult?.packs ?? []), ...kinds.flatMap(kind => kind.kind === 'compiled' && kind.pack ? [kind.pack] : [])]
        .flatMap(pack => pack.name ? [{ name: pack.name, ...(pack.version ? { version: pack.version } : {}) }] : []);
    return problems.length > 0 ? { diagnostics, problems } : { bundle, diagnostics, problems, packs };
}

type InputKind = { kind: 'sources' } | { kind: 'compiled'; file: string; pack?: FoundPack };

/**
 * What a policy path is, the one place every command learns it: a compiled policy (.json, told by
 * its extension; checked against its pack when it is a pack's), or sources (a .payrule file, a
 * folder; a path that does not exist, which the loader reports). Tarballs and installed packs'
 * names are folders by now (resolvePolicyInputs). Any other file is refused here: the language
 * would take it for a policy file it has no parser for.
 */
function classify(path: string, cwd: string, inputs: PolicyInputs): InputKind {
    const absolute = resolve(cwd, path);
    if (isCompiledPolicy(path)) {
        const pack = packOfCompiled(absolute);
        return { kind: 'compiled', file: absolute, ...(pack ? { pack } : {}) };
    }
    const isOtherFile = !path.endsWith(POLICY_EXTENSION) && statSync(absolute, { throwIfNoEntry: false })?.isDirectory() === false;
    if (isOtherFile) {
        throw new CliError(`'${inputs.display(absolute)}' is not a policy: give a .payrule file, a pack folder, a pack archive (.tgz), an installed pack's name or a compiled policy (.json).`);
    }
    return { kind: 'sources' };
}

/** The pack whose manifest names `file` as its compiled policy, if any. */
function packOfCompiled(file: string): FoundPack | undefined {
    try {
        const pack = packOf(file);
        return pack?.manifest.compiled !== undefined && resolve(pack.root, pack.manifest.compiled) === file ? pack : undefined;
    } catch {
        return undefined;
    }
}

/** A compiled policy bundle (the IR as JSON), told from policy sources by its extension. */
export function isCompiledPolicy(path: string): boolean {
    return path.toLowerCase().endsWith('.json');
}

async function loadSources(
    paths: string[], cwd: string, inputs: PolicyInputs, trust: PackTrust, tests: boolean, cache: PolicyCache | undefined
): Promise<CompileResult> {
    const relative = paths.map(path => pathFromCwd(path, cwd));
    const options: LoadPolicyOptions = {
        cwd,
        tests,
        moduleDirs: inputs.moduleDirs,
        installedRoots: inputs.installedRoots,
        fileName: inputs.display,
        checkPack: (pack, sources) => packRefusal(pack, sources, trust, inputs.display(pack.root))
    };
    // Everything the compile depends on besides what it reads from disk (which the cache records).
    const key = { cwd, paths: relative, tests, moduleDirs: inputs.moduleDirs };
    // Unpacked tarballs sit in a new temporary folder each run: their compiles are not kept. A run
    // that requires signatures checks them every time: a kept compile is vouched for by no one.
    const cacheable = inputs.installedRoots.length === 0 && trust === NO_TRUST_REQUIRED;
    try {
        return await cachedCompile(cacheable ? cache : undefined, key, async () => {
            const result = await compilePolicySources(relative, options);
            const packs = result.packs.map(pack => ({ ...(pack.name ? { name: pack.name } : {}), ...(pack.version ? { version: pack.version } : {}) }));
            return result.bundle ? { bundle: result.bundle, diagnostics: result.diagnostics, packs } : { diagnostics: result.diagnostics };
        });
    } catch (error) {
        if (error instanceof PolicyPathError || error instanceof PackManifestError) throw new CliError(error.message);
        throw error;
    }
}

/**
 * The largest compiled policy read: sources within the language's limits compile to far less
 * (inheritance repeats a payer's rules at most 16 times); a larger file is not one of ours.
 */
const MAX_COMPILED_POLICY_BYTES = 64 * 1024 * 1024;

/**
 * A compiled policy: read, parsed and checked here so a bad file gives one line, not a crash
 * later. The compiled policy of a pack is checked against the pack's digests and signature first;
 * one outside a pack carries neither, so a run that requires signatures refuses it.
 */
function readCompiledPolicy(file: string, path: string, pack: FoundPack | undefined, trust: PackTrust, inputs: PolicyInputs): PolicyBundle {
    if (pack) {
        const language = languageProblem(pack, inputs.display(pack.root));
        if (language) throw new CliError(language);
        let sources: string[];
        try {
            sources = packSourceFiles(pack);
        } catch (error) {
            throw new CliError((error as Error).message);
        }
        const refusal = packRefusal(pack, sources, trust, inputs.display(pack.root));
        if (refusal) throw new CliError(refusal);
    } else if (trust.requireSigned) {
        throw new CliError(`'${path}' is a compiled policy outside a pack: it carries no signature, and --require-signed accepts only signed packs.`);
    }
    let text: string;
    try {
        const bytes = statSync(file).size;
        if (bytes > MAX_COMPILED_POLICY_BYTES) {
            throw new CliError(`cannot read policy '${path}': it is ${(bytes / (1024 * 1024)).toFixed(1)} MB; a compiled policy may be at most ${MAX_COMPILED_POLICY_BYTES / (1024 * 1024)} MB.`);
        }
        text = readFileSync(file, 'utf8');
    } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`cannot read policy '${path}': ${describeFileError(error)}.`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new CliError(`cannot read policy '${path}': not valid JSON (${(error as Error).message}).`);
    }
    try {
        return loadPolicyBundle(json, `'${path}'`);
    } catch (error) {
        if (error instanceof PolicyError) throw new CliError(error.message);
        throw error;
    }
}
