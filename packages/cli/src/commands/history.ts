/**
 * `payrule history ...`: what auditors and practice owners ask of the runs recorded with
 * `payrule check --history`: the runs themselves, the findings for a patient, a claim or a range
 * of dates of service, trends by payer, code, rule and provider, and what changed since the
 * previous run of the same input.
 */
import { InvalidArgumentError, Option, type Command, type OutputConfiguration } from 'commander';
import type { Database } from 'better-sqlite3';
import { EXIT_OK } from '../errors.js';
import {
    changesSince, findFindings, findingTrends, listRuns, TREND_DIMENSIONS, type FindingQuery, type RunInfo, type TrendDimension
} from '../history/queries.js';
import { DEFAULT_HISTORY, inputKey, openHistory } from '../history/store.js';
import { changesText, findingsCsv, findingsText, runsText, trendsText } from '../history/text.js';
import type { CliIo } from '../io.js';
import { outputTarget, writeResult } from '../output.js';
import { loadRedactKey, redactKeyFiles, Redactor, type RedactOptions } from '../report/redact.js';

type OutputFor = (name: string) => OutputConfiguration;

interface CommonOptions {
    history: string;
    format: string;
    output?: string;
}

interface FindingsOptions extends CommonOptions, RedactOptions {
    patient?: string;
    claim?: string;
    from?: string;
    to?: string;
    run?: number;
    latest?: boolean;
}

interface TrendsOptions extends CommonOptions {
    by: TrendDimension[];
    last: number;
    input?: string[];
}

interface ChangesOptions extends CommonOptions {
    run?: number;
    input?: string[];
}

interface RunsOptions extends CommonOptions {
    last?: number;
}

/** Fills in `payrule history`; made by `program.command('history')`, so it shares the program's settings (exit override, help). */
export function buildHistoryCommand(history: Command, io: CliIo, setExitCode: (code: number) => void, outputFor: OutputFor, isoDate: (value: string) => string): Command {
    history
        .description('look up the runs recorded with `payrule check --history`: findings by patient, claim or date, trends, changes')
        .addHelpText('after', HISTORY_HELP);
    history.configureOutput(outputFor('payrule history'));

    const common = (command: Command, formats: string[]) => command
        .option('--history <file>', 'the history database', DEFAULT_HISTORY)
        .addOption(new Option('--format <format>', 'output format').choices(formats).default('text'))
        .option('-o, --output <file>', 'write to <file> instead of standard output');

    const runs = common(history.command('runs'), ['text', 'json'])
        .description('list the recorded runs: when, which policies (version and digest), which inputs (digest), and their summary')
        .option('--last <n>', 'only the last <n> runs', positiveInteger)
        .action(async (options: RunsOptions) => setExitCode(await withHistory(options, io, db => {
            const list = listRuns(db, options.last !== undefined ? { last: options.last } : {});
            return options.format === 'json' ? json({ runs: list }) : runsText(list);
        })));
    runs.configureOutput(outputFor('payrule history runs'));

    const findings = common(history.command('findings'), ['text', 'json', 'csv'])
        .description('findings recorded for a patient, a claim number and/or a range of dates of service')
        .option('--patient <id>', 'the patient id (or its token, in a redacted history)')
        .option('--claim <number>', 'the claim number')
        .option('--from <date>', 'dates of service from <date> (YYYY-MM-DD)', isoDate)
        .option('--to <date>', 'dates of service through <date> (YYYY-MM-DD)', isoDate)
        .option('--run <n>', 'only run <n> (see `payrule history runs`)', positiveInteger)
        .option('--latest', 'only the most recent run')
        .option('--redact', `look up --patient by its token (the history was recorded with --redact; key from PAYRULE_REDACT_KEY)`)
        .option('--redact-key-file <file>', 'read the redaction key from <file>')
        .action(async (options: FindingsOptions) => setExitCode(await withHistory(options, io, db => {
            const key = loadRedactKey(options, io.env, io.cwd);
            const query: FindingQuery = {
                ...(options.patient !== undefined ? { patient: key ? new Redactor(key).patient(options.patient) : options.patient } : {}),
                ...(options.claim !== undefined ? { claim: options.claim } : {}),
                ...(options.from !== undefined ? { from: options.from } : {}),
                ...(options.to !== undefined ? { to: options.to } : {}),
                ...(options.run !== undefined ? { run: options.run } : {}),
                ...(options.latest ? { latest: true } : {})
            };
            const found = findFindings(db, query);
            if (options.format === 'json') return json({ query, findings: found });
            if (options.format === 'csv') return findingsCsv(found);
            const runInfo = new Map<number, RunInfo>(listRuns(db).map(run => [run.run, run]));
            return findingsText(query, found, runInfo);
        })));
    findings.configureOutput(outputFor('payrule history findings'));

    const trends = common(history.command('trends'), ['text', 'json'])
        .description('findings by payer, code, rule and provider across the recorded runs')
        .option('--by <dimensions>', `what to count by, comma-separated: ${TREND_DIMENSIONS.join(', ')}`, dimensions, [...TREND_DIMENSIONS])
        .option('--last <n>', 'the last <n> runs', positiveInteger, 10)
        .option('--input <files...>', 'only runs of these session files')
        .action(async (options: TrendsOptions) => setExitCode(await withHistory(options, io, db => {
            const result = findingTrends(db, {
                dimensions: options.by, last: options.last, ...(options.input ? { inputKey: inputKey(options.input, io.cwd) } : {})
            });
            return options.format === 'json' ? json(result) : trendsText(result.runs, result.trends);
        })));
    trends.configureOutput(outputFor('payrule history trends'));

    const changes = common(history.command('changes'), ['text', 'json'])
        .description('what changed since the previous run of the same input: new findings and resolved ones')
        .option('--run <n>', 'compare run <n> (default: the latest run) with the run of the same input before it', positiveInteger)
        .option('--input <files...>', 'the latest run of these session files')
        .action(async (options: ChangesOptions) => setExitCode(await withHistory(options, io, db => {
            const result = changesSince(db, {
                ...(options.run !== undefined ? { run: options.run } : {}),
                ...(options.input ? { inputKey: inputKey(options.input, io.cwd) } : {})
            });
            return options.format === 'json' ? json(result) : changesText(result);
        })));
    changes.configureOutput(outputFor('payrule history changes'));

    return history;
}

const HISTORY_HELP = `
Record runs with:
  payrule check --policy examples/packs sessions.csv --history            (into ${DEFAULT_HISTORY})

Examples:
  payrule history findings --patient P-0042
  payrule history findings --claim C-88812 --format json
  payrule history findings --from 2026-03-01 --to 2026-03-31 --format csv -o march.csv
  payrule history trends --by payer,rule
  payrule history changes --input sessions.csv`;

async function withHistory(options: CommonOptions & RedactOptions, io: CliIo, answer: (db: Database) => string): Promise<number> {
    const target = outputTarget(options.output, io, [options.history, ...redactKeyFiles(options)], 'answer');
    const db = await openHistory(options.history, io.cwd, { create: false });
    let text: string;
    try {
        text = answer(db);
    } finally {
        db.close();
    }
    writeResult(text, target, io);
    return EXIT_OK;
}

function json(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

function positiveInteger(value: string): number {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('Expected a whole number from 1 up');
    return number;
}

function dimensions(value: string): TrendDimension[] {
    const list = value.split(',').map(part => part.trim().toLowerCase()).filter(Boolean);
    const unknown = list.filter(part => !(TREND_DIMENSIONS as readonly string[]).includes(part));
    if (list.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`Expected some of ${TREND_DIMENSIONS.join(', ')}`);
    return [...new Set(list)] as TrendDimension[];
}
