/**
 * The language (Langium, the policy parser, validator and compiler) is most of the command line's
 * code: it is loaded when policy sources are compiled, not before, so that a run whose policy
 * comes from the cache (cache.ts) or from a compiled .json starts without it.
 */
import type { LoadedPolicy, LoadPolicyOptions } from '@payrule/language/node';

export async function compilePolicySources(paths: string[], options: LoadPolicyOptions): Promise<LoadedPolicy> {
    const { loadPolicySources } = await import('@payrule/language/node');
    return loadPolicySources(paths, options);
}
