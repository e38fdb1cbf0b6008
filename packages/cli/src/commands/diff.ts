/**
 * `payrule diff OLD NEW [--format text|json] [--impact SESSIONS...]`: what changed between two
 * versions of a policy, for the compliance reviewer, and with --impact which findings on real
 * sessions appear or disappear. OLD and NEW are any policy inputs: pack folders, tarballs,
 * installed pack names, compiled .json, .payrule files. Exit 0 when compared, 2 when invalid.
 */
import { evaluate, readSessions, type PolicyBundle, type PositionedSession, type Rejection } from '@payrule/engine';
import { CliError, EXIT_INVALID, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { outputTarget, writeResult } from '../output.js';
import { diffBundles, type PackRef } from '../packs/diff.js';
import { writeDiffText } from '../packs/diff-text.js';
import { impactOf, type Impact } from '../packs/impact.js';
import { pathFromCwd } from '../paths.js';
import { reportPolicyProblems } from '../policy/diagnostics.js';
import { policyCache, type CacheOption } from '../policy/cache.js';
import { loadPolicies, trustedKeyFiles, type PolicyTrustOptions } from '../policy/load-policy.js';
import { withCheckedStandardInput } from '../standard-input.js';

export const diffFormats = ['text', 'json'];

export interface DiffOptions extends PolicyTrustOptions, CacheOption {
    format: string;
    impact?: string[];
    output?: string;
    asOf?: string;
}

export async function runDiff(oldPath: string, newPath: string, options: DiffOptions, io: CliIo): Promise<number> {
    if (!diffFormats.includes(options.format)) throw new CliError(`unknown diff format '${options.format}'.`);
    const target = outputTarget(options.output, io, [oldPath, newPath, ...(options.impact ?? []), ...trustedKeyFiles(options)], 'comparison');
    const before = await loadSide(oldPath, options, io);
    if (!before) return EXIT_INVALID;
    const after = await loadSide(newPath, options, io);
    if (!after) return EXIT_INVALID;

    const diff = diffBundles(before.bundle, after.bundle, { old: before.packs, new: after.packs });
    let impact: Impact | undefined;
    if (options.impact && options.impact.length > 0) {
        const input = await readAll(options.impact, io);
        const evaluateOptions = options.asOf ? { asOf: options.asOf } : {};
        impact = impactOf(
            evaluate(before.bundle, input.sessions, input.rejected, evaluateOptions),
            evaluate(after.bundle, input.sessions, input.rejected, evaluateOptions)
        );
    }
    const text = options.format === 'json'
        ? `${JSON.stringify({ ...diff, old: { input: oldPath, ...diff.old }, new: { input: newPath, ...diff.new }, ...(impact ? { impact } : {}) }, null, 2)}\n`
        : writeDiffText(diff, impact, { old: oldPath, new: newPath });
    writeResult(text, target, io);
    return EXIT_OK;
}

async function loadSide(path: string, options: PolicyTrustOptions & CacheOption, io: CliIo): Promise<{ bundle: PolicyBundle; packs: PackRef[] } | undefined> {
    const loaded = await loadPolicies([path], io.cwd, { ...options, cache: policyCache(io.env, options.cache) });
    if (reportPolicyProblems(loaded, io.stderr) || !loaded.bundle) return undefined;
    return { bundle: loaded.bundle, packs: loaded.packs ?? [] };
}

async function readAll(files: string[], runIo: CliIo): Promise<{ sessions: PositionedSession[]; rejected: Rejection[] }> {
    if (files.filter(file => file === '-').length > 1) throw new CliError(`standard input ('-') can be read only once.`);
    const io = await withCheckedStandardInput(files, runIo);
    const sessions: PositionedSession[] = [];
    const rejected: Rejection[] = [];
    for (const file of files) {
        const input = await readSessions(pathFromCwd(file, io.cwd), {
            stdin: io.stdin,
            ...(files.length > 1 ? { file: file === '-' ? 'standard input' : file } : {})
        });
        sessions.push(...input.sessions);
        rejected.push(...input.rejected);
    }
    return { sessions, rejected };
}
