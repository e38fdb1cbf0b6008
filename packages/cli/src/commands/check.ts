/**
 * `payrule check --policy PATH... FILE...`: evaluates session records against the policies and
 * prints the report. Exit 0 when nothing blocks billing, 1 when an error finding or a rejected
 * record needs fixing, 2 when the policy or the command itself is invalid.
 *
 * With --history the run and its findings are recorded in the audit history first; with --redact
 * patient identifiers are replaced by keyed tokens in the report and in the history alike.
 */
import { evaluate, readSessions, sessionFormat, type PolicyBundle, type Notice, type PositionedSession, type Rejection, type Report } from '@payrule/engine';
import { warnMisspelledColumns } from '../column-warnings.js';
import { CliError, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK } from '../errors.js';
import { runCheckStreaming, startThreadsAhead, streamsReport } from './check-stream.js';
import { bundleDigest, inputDigest, policyDigests } from '../history/digest.js';
import { recordRun } from '../history/record.js';
import { DEFAULT_HISTORY, inputKey, normalizeInput, openHistory } from '../history/store.js';
import type { CliIo } from '../io.js';
import { outputTarget, writeResult, writesToFile } from '../output.js';
import { pathFromCwd } from '../paths.js';
import { reportPolicyProblems } from '../policy/diagnostics.js';
import { policyCache, type CacheOption } from '../policy/cache.js';
import { loadPolicies, trustedKeyFiles, type LoadedPolicies, type PolicyTrustOptions } from '../policy/load-policy.js';
import { STANDARD_INPUT, type ReportContext, type SessionSource } from '../report/context.js';
import { reportWriters, wantsColor } from '../report/index.js';
import { computeRevenueAtRisk } from '../report/money.js';
import { loadRedactKey, redactKeyFiles, Redactor, redactRun } from '../report/redact.js';
import { withCheckedStandardInput } from '../standard-input.js';
import { cliVersion } from '../version.js';

export interface CheckOptions extends PolicyTrustOptions, CacheOption {
    policy: string[];
    format: string;
    output?: string;
    asOf?: string;
    /** False with --no-color. */
    color: boolean;
    /** --history alone: the default file; --history FILE: that file. */
    history?: string | boolean;
    redact?: boolean;
    redactKeyFile?: string;
}

export async function runCheck(files: string[], options: CheckOptions, io: CliIo): Promise<number> {
    const writer = reportWriters[options.format];
    if (!writer) throw new CliError(`unknown report format '${options.format}'.`);
    // These refuse before any work: a redacted report must never come out unredacted, nor a report replace an input.
    const historyFile = historyPath(options.history);
    const reads = [...files, ...options.policy, ...trustedKeyFiles(options), ...redactKeyFiles(options), ...(historyFile !== undefined ? [historyFile] : [])];
    const target = outputTarget(options.output, io, reads, 'report');
    const key = loadRedactKey(options, io.env, io.cwd);
    // A JSON report that needs nothing but the sessions is streamed: bounded memory, worker threads (check-stream.ts).
    // Its threads start first, and load while the policy compiles.
    const threads = streamsReport(options) ? startThreadsAhead(files, options, io) : undefined;
    let loaded: LoadedPolicies;
    let sessionsIo: CliIo;
    try {
        // Policy tests are for `payrule test`: a check neither reads nor runs them.
        loaded = await loadPolicies(options.policy, io.cwd, { ...options, tests: false, cache: policyCache(io.env, options.cache) });
        if (reportPolicyProblems(loaded, io.stderr) || !loaded.bundle) return EXIT_INVALID;
        // On standard error before either route reads a session, so every report on standard output stays as it is.
        warnMisspelledColumns(files, io.cwd, io.stderr);
        sessionsIo = await withCheckedStandardInput(files, io);
        if (streamsReport(options)) return await runCheckStreaming(files, options, target, loaded.bundle, sessionsIo, threads);
    } finally {
        await threads?.close();
    }

    const input = await readAllSessions(files, sessionsIo);
    const generatedAt = new Date().toISOString();
    let report = evaluate(loaded.bundle, input.sessions, input.rejected, options.asOf ? { asOf: options.asOf } : {});
    let sources = input.sources;
    let inputs = files.map(file => (file === '-' ? STANDARD_INPUT : file));
    if (key) {
        const redactor = new Redactor(key);
        ({ report, sources } = redactRun(report, sources, redactor));
        inputs = inputs.map(name => redactor.text(name));
    }
    const context: ReportContext = {
        sources, bundle: loaded.bundle, inputs, generatedAt, toolVersion: cliVersion(), redacted: key !== undefined
    };
    context.money = computeRevenueAtRisk(report, sources, loaded.bundle);
    const exitCode = exitCodeFor(report);

    if (historyFile !== undefined) {
        await recordHistory(historyFile, { files, inputs, report, context, bundle: loaded.bundle, exitCode, asOf: options.asOf }, io);
    }
    const color = wantsColor({ color: options.color, isTTY: !writesToFile(target) && io.stdout.isTTY, env: io.env });
    writeResult(writer(report, { color, context }), target, io);
    if (!FORMATS_WITH_NOTICES.has(options.format)) warnNotices(report.notices ?? [], io.stderr);
    return exitCode;
}

/** Reports that show the run's notices (the JSON report's `notices`; SARIF's notifications); the others' go to standard error. */
const FORMATS_WITH_NOTICES = new Set(['json', 'text', 'html', 'sarif']);

/** The run's notices, for a report with no place for them, on standard error: the person who ran the check sees them there. */
function warnNotices(notices: readonly Notice[], stderr: CliIo['stderr']): void {
    for (const notice of notices) stderr.write(`payrule: notice: ${notice.message}\n`);
}

/** Linters' convention (DATA.md §3): an error finding or a record that could not be checked fails the run. */
export function exitCodeFor(report: Report): number {
    return (report.summary.findings.error ?? 0) > 0 || report.summary.rejected > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** The history file --history names, if any. */
function historyPath(option: string | boolean | undefined): string | undefined {
    if (option === undefined || option === false) return undefined;
    return option === true ? DEFAULT_HISTORY : option;
}

/**
 * --history takes an optional file, so in `--history week.csv` commander hands it the sessions
 * file. A value that names a sessions file (by its extension, or `-`) is therefore an input given
 * first, and the history goes to its default file: a database is never called *.csv or *.json.
 */
export function sessionFilesAndHistory(files: string[], options: CheckOptions): { files: string[]; options: CheckOptions } {
    const value = options.history;
    if (typeof value === 'string' && (value === '-' || sessionFormat(value) !== undefined)) {
        return { files: [value, ...files], options: { ...options, history: true } };
    }
    return { files, options };
}

interface HistoryRun {
    files: string[];
    inputs: string[];
    report: Report;
    context: ReportContext;
    bundle: PolicyBundle;
    exitCode: number;
    asOf?: string;
}

async function recordHistory(path: string, run: HistoryRun, io: CliIo): Promise<void> {
    const db = await openHistory(path, io.cwd, { create: true });
    try {
        // Paths as named (redacted names with --redact); digests of the files as read.
        const digests = run.files.map((file, index) =>
            inputDigest(normalizeInput(run.inputs[index]!, io.cwd), file === '-' ? undefined : pathFromCwd(file, io.cwd)));
        recordRun(db, {
            recordedAt: run.context.generatedAt!,
            toolVersion: run.context.toolVersion!,
            inputKey: inputKey(run.inputs, io.cwd),
            ...(run.asOf !== undefined ? { asOf: run.asOf } : {}),
            redacted: run.context.redacted === true,
            exitCode: run.exitCode,
            policies: policyDigests(run.bundle),
            policyDigest: bundleDigest(run.bundle),
            inputs: digests
        }, run.report, run.context);
    } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`cannot record the run in the history ${path}: ${(error as Error).message}.`);
    } finally {
        db.close();
    }
}

/**
 * Reads every FILE in the order given. With several inputs each position names its file, so a
 * rejected record can be found again; standard input (`-`) can be read once only. Each session's
 * source (file as named, record, the record itself) is kept for the reports that show it.
 */
async function readAllSessions(files: string[], io: CliIo): Promise<{ sessions: PositionedSession[]; rejected: Rejection[]; sources: Map<string, SessionSource> }> {
    if (files.filter(file => file === '-').length > 1) throw new CliError(`standard input ('-') can be read only once.`);
    const several = files.length > 1;
    const sessions: PositionedSession[] = [];
    const rejected: Rejection[] = [];
    const sources = new Map<string, SessionSource>();
    for (const file of files) {
        const input = await readSessions(pathFromCwd(file, io.cwd), {
            stdin: io.stdin,
            ...(several ? { file: file === '-' ? STANDARD_INPUT : file } : {})
        });
        for (const item of input.sessions) {
            // The first record of an id is the one evaluated; later ones are rejected as duplicates.
            if (!sources.has(item.session.id)) sources.set(item.session.id, { file: file === '-' ? STANDARD_INPUT : file, record: item.record, session: item.session });
        }
        sessions.push(...input.sessions);
        rejected.push(...input.rejected);
    }
    return { sessions, rejected, sources };
}
