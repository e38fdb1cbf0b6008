/**
 * `payrule check --policy PATH... FILE...`: evaluates session records against the policies and
 * prints the report. Exit 0 when nothing blocks billing, 1 when an error finding or a rejected
 * record needs fixing, 2 when the policy or the command itself is invalid.
 */
import { evaluate, readSessions, type PositionedSession, type Rejection, type Report } from '@payrule/engine';
import { CliError, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { writeResult, writesToFile } from '../output.js';
import { pathFromCwd } from '../paths.js';
import { reportPolicyProblems } from '../policy/diagnostics.js';
import { loadPolicies } from '../policy/load-policy.js';
import { reportWriters, wantsColor } from '../report/index.js';

export interface CheckOptions {
    policy: string[];
    format: string;
    output?: string;
    asOf?: string;
    /** False with --no-color. */
    color: boolean;
}

export async function runCheck(files: string[], options: CheckOptions, io: CliIo): Promise<number> {
    const writer = reportWriters[options.format];
    if (!writer) throw new CliError(`unknown report format '${options.format}'.`);
    const loaded = await loadPolicies(options.policy, io.cwd);
    if (reportPolicyProblems(loaded, io.stderr) || !loaded.bundle) return EXIT_INVALID;

    const input = await readAllSessions(files, io);
    const report = evaluate(loaded.bundle, input.sessions, input.rejected, options.asOf ? { asOf: options.asOf } : {});
    const color = wantsColor({ color: options.color, isTTY: !writesToFile(options.output) && io.stdout.isTTY, env: io.env });
    writeResult(writer(report, { color }), options.output, io);
    return exitCodeFor(report);
}

/** Linters' convention (DATA.md §3): an error finding or a record that could not be checked fails the run. */
export function exitCodeFor(report: Report): number {
    return (report.summary.findings.error ?? 0) > 0 || report.summary.rejected > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Reads every FILE in the order given. With several inputs each position names its file, so a
 * rejected record can be found again; standard input (`-`) can be read once only.
 */
async function readAllSessions(files: string[], io: CliIo): Promise<{ sessions: PositionedSession[]; rejected: Rejection[] }> {
    if (files.filter(file => file === '-').length > 1) throw new CliError(`standard input ('-') can be read only once.`);
    const several = files.length > 1;
    const sessions: PositionedSession[] = [];
    const rejected: Rejection[] = [];
    for (const file of files) {
        const input = await readSessions(pathFromCwd(file, io.cwd), {
            stdin: io.stdin,
            ...(several ? { file: file === '-' ? 'standard input' : file } : {})
        });
        sessions.push(...input.sessions);
        rejected.push(...input.rejected);
    }
    return { sessions, rejected };
}
