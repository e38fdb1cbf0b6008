/**
 * Loads the policies named by `--policy`: `.payrule` files and pack folders through the language
 * (parsed, linked, validated, compiled), compiled `.json` bundles as they are (checked against
 * the IR contract), and merges them into the one bundle the engine evaluates.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPolicyBundle, mergeBundles, PolicyError, type PolicyBundle } from '@payrule/engine';
import { loadPolicySources, PolicyPathError, type PolicyDiagnostic } from '@payrule/language/node';
import { CliError, describeFileError } from '../errors.js';
import { pathFromCwd } from '../paths.js';

export interface LoadedPolicies {
    /** Absent when there is an error diagnostic or problem. */
    bundle?: PolicyBundle;
    /** From the policy sources, with file, line and column. */
    diagnostics: PolicyDiagnostic[];
    /** Conflicts between the loaded policies as a whole (a payer declared twice for the same dates). */
    problems: string[];
}

export async function loadPolicies(paths: string[], cwd: string): Promise<LoadedPolicies> {
    const sources = paths.filter(path => !isCompiledPolicy(path));
    const sourceResult = sources.length > 0 ? await loadSources(sources, cwd) : undefined;
    const diagnostics = sourceResult?.diagnostics ?? [];
    if (sourceResult && !sourceResult.bundle) return { diagnostics, problems: [] };

    // Keep the order of the command line: the sources' bundle stands where the first source was named.
    const bundles: PolicyBundle[] = [];
    for (const path of paths) {
        if (isCompiledPolicy(path)) bundles.push(readCompiledPolicy(path, cwd));
        else if (path === sources[0] && sourceResult?.bundle) bundles.push(sourceResult.bundle);
    }
    // Merged even when there is one, so sources and their compiled form go through the same checks.
    const problems: string[] = [];
    const bundle = mergeBundles(bundles, problems);
    return problems.length > 0 ? { diagnostics, problems } : { bundle, diagnostics, problems };
}

/** A compiled policy bundle (the IR as JSON), told from policy sources by its extension. */
export function isCompiledPolicy(path: string): boolean {
    return path.toLowerCase().endsWith('.json');
}

async function loadSources(paths: string[], cwd: string) {
    try {
        return await loadPolicySources(paths.map(path => pathFromCwd(path, cwd)), { cwd });
    } catch (error) {
        if (error instanceof PolicyPathError) throw new CliError(error.message);
        throw error;
    }
}

/** A compiled policy: read, parsed and checked here so a bad file gives one line, not a crash later. */
function readCompiledPolicy(path: string, cwd: string): PolicyBundle {
    let text: string;
    try {
        text = readFileSync(resolve(cwd, path), 'utf8');
    } catch (error) {
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
