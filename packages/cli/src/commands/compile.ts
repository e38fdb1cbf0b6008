/** `payrule compile PATH... -o policy.json`: policy sources to the IR, for shipping without the language toolchain. */
import { EXIT_INVALID, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { outputTarget, writeResult, writesToFile } from '../output.js';
import { reportPolicyProblems } from '../policy/diagnostics.js';
import { policyCache, type CacheOption } from '../policy/cache.js';
import { isCompiledPolicy, loadPolicies } from '../policy/load-policy.js';
import { withTestsWithin } from '../policy/tests-within.js';
import { locationPath } from '../paths.js';

export interface CompileOptions extends CacheOption {
    output?: string;
}

export async function runCompile(paths: string[], options: CompileOptions, io: CliIo): Promise<number> {
    const target = outputTarget(options.output, io, paths, 'compiled policy');
    const loaded = await loadPolicies(paths, io.cwd, { cache: policyCache(io.env, options.cache) });
    if (reportPolicyProblems(loaded, io.stderr) || !loaded.bundle) return EXIT_INVALID;
    const bundle = paths.some(isCompiledPolicy) ? loaded.bundle : withTestsWithin(loaded.bundle, paths.map(path => locationPath(path, io.cwd)));
    writeResult(`${JSON.stringify(bundle, null, 2)}\n`, target, io);
    if (writesToFile(target)) {
        io.stderr.write(`payrule: wrote ${options.output} (${bundle.packages.length} packages, ${bundle.payers.length} payer declarations)\n`);
    }
    return EXIT_OK;
}
