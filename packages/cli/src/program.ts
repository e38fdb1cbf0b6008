/** The `payrule` command tree: options and arguments, help text, and how usage errors are printed. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCheck, sessionFilesAndHistory, type CheckOptions } from './commands/check.js';
import { runCompile, type CompileOptions } from './commands/compile.js';
import { diffFormats, runDiff, type DiffOptions } from './commands/diff.js';
import { buildHistoryCommand } from './commands/history.js';
import { runPack, type PackOptions } from './commands/pack.js';
import { runTests, testFormats, type TestOptions } from './commands/test.js';
import type { CliIo } from './io.js';
import { reportFormats } from './report/index.js';
import { cliVersion } from './version.js';

/** Builds a fresh program per run (commander keeps parsed values on the command objects). */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
    const program = new Command('payrule')
        .description('Check outpatient therapy sessions against payer policies before the claims go out.')
        .version(cliVersion(), '-V, --version', 'print the version')
        .helpOption('-h, --help', 'show help')
        .exitOverride()
        .showSuggestionAfterError(true)
        .configureOutput(outputFor(io, 'payrule'));

    const check = program.command('check')
        .description('check session records against payer policies and report what to fix before billing')
        // Optional for commander only: `--history week.csv` gives it the file (see sessionFilesAndHistory).
        .argument('[files...]', 'session records: .json, .ndjson, .jsonl or .csv files, or - for NDJSON on standard input')
        .usage('[options] <files...>')
        .requiredOption('--policy <path>', 'a .payrule file, a pack or a folder of packs, a pack tarball (.tgz), an installed pack\'s name, or a compiled policy .json (repeat to merge several)', collect)
        .addOption(new Option('--format <format>', 'report format').choices(reportFormats).default('text'))
        .option('-o, --output <file>', 'write the report to <file> instead of standard output')
        .option('--as-of <date>', 'check filing deadlines of sessions with no submitted date as if submitted on <date> (YYYY-MM-DD)', isoDate)
        .option('--no-color', 'no colours in the text report (also set by the NO_COLOR variable)')
        .option('--jobs <n>', 'worker threads checking sessions for a JSON report (default: the number of cores; small inputs use one)', positiveInteger)
        .option('--no-progress', 'no progress bar on standard error (a terminal shows one during long runs)')
        .option('--history [file]', 'record the run and its findings in the audit history (default .payrule/history.db;'
            + ' a .csv/.json/.ndjson/.jsonl after it is a sessions file, not the history)')
        .option('--redact', 'replace patient ids (and names) in the report and the history by keyed tokens; key from PAYRULE_REDACT_KEY')
        .option('--redact-key-file <file>', 'with --redact: read the key from <file> instead of PAYRULE_REDACT_KEY')
        .option('--require-signed', 'refuse every pack not signed by a --trusted-key (your own loose .payrule files are not packs)')
        .option('--trusted-key <pem>', 'public key (PEM) of a pack signer you trust (repeatable)', collect)
        .addOption(noCacheOption())
        .addHelpText('after', CHECK_HELP)
        .action(async (files: string[], options: CheckOptions, command: Command) => {
            const given = sessionFilesAndHistory(files, options);
            if (given.files.length === 0) command.error("error: missing required argument 'files'", { code: 'commander.missingArgument' });
            setExitCode(await runCheck(given.files, given.options, io));
        });
    check.configureOutput(outputFor(io, 'payrule check'));

    const compile = program.command('compile')
        .description('compile policy sources to the policy IR (JSON), to evaluate without the language toolchain')
        .argument('<paths...>', '.payrule files or folders of packs (compiled .json policies are merged in as they are)')
        .option('-o, --output <file>', 'write the compiled policy to <file> instead of standard output')
        .addOption(noCacheOption())
        .action(async (paths: string[], options: CompileOptions) => setExitCode(await runCompile(paths, options, io)));
    compile.configureOutput(outputFor(io, 'payrule compile'));

    const test = program.command('test')
        .description('run the tests written in policies, with rule coverage')
        .argument('[paths...]', '.payrule files or folders of packs (default: the current folder)')
        .option('--filter <text>', 'run only the tests whose name contains <text>')
        .addOption(new Option('--format <format>', 'result format').choices(testFormats).default('text'))
        .option('-o, --output <file>', 'write the results to <file> instead of standard output')
        .option('--coverage', 'list, per payer, the rules no test made fire')
        .option('--min-coverage <percent>', 'fail when less than <percent> of the rules in force fired in some test', percent)
        .option('--no-color', 'no colours (also set by the NO_COLOR variable)')
        .addOption(noCacheOption())
        .action(async (paths: string[], options: TestOptions) => setExitCode(await runTests(paths, options, io)));
    test.configureOutput(outputFor(io, 'payrule test'));

    const pack = program.command('pack')
        .description('build a rule pack for others: validate, compile, run its tests, write the npm tarball with its integrity digest')
        .argument('[dir]', 'the pack folder, with its package.json (default: the current folder)')
        .option('-o, --output <path>', 'write the tarball into this folder (default: the current folder), or to this file when it ends in .tgz')
        .option('--sign <key.pem>', 'sign the pack with this Ed25519 private key (PEM)')
        .action(async (dir: string | undefined, options: PackOptions) => setExitCode(await runPack(dir, options, io)));
    pack.configureOutput(outputFor(io, 'payrule pack'));

    const diff = program.command('diff')
        .description('what changed between two versions of a policy: rules added, removed and changed, per payer')
        .argument('<old>', 'the old policy: pack folder, tarball, installed pack name, compiled .json or .payrule')
        .argument('<new>', 'the new policy, likewise')
        .addOption(new Option('--format <format>', 'result format').choices(diffFormats).default('text'))
        .option('--impact <sessions...>', 'evaluate these session files under both and list the findings that appear or disappear')
        .option('-o, --output <file>', 'write the result to <file> instead of standard output')
        .option('--as-of <date>', 'with --impact: filing deadlines as if submitted on <date> (YYYY-MM-DD)', isoDate)
        .option('--require-signed', 'refuse every pack not signed by a --trusted-key')
        .option('--trusted-key <pem>', 'public key (PEM) of a pack signer you trust (repeatable)', collect)
        .addOption(noCacheOption())
        .action(async (oldPath: string, newPath: string, options: DiffOptions) => setExitCode(await runDiff(oldPath, newPath, options, io)));
    diff.configureOutput(outputFor(io, 'payrule diff'));

    buildHistoryCommand(program.command('history'), io, setExitCode, name => outputFor(io, name), isoDate);

    return program;
}

const CHECK_HELP = `
Exit status:
  0  no error finding and no rejected record
  1  at least one error finding or rejected record
  2  the policy or the command is invalid

Formats:
  text   for a terminal or a ticket (default)      json   the report as data (payrule-report/1)
  html   one page to open in a browser: summary, revenue at risk, charts, searchable sessions (use -o report.html)
  csv    one row per finding, for a spreadsheet    sarif  SARIF 2.1.0 for code-scanning tools
  junit  JUnit XML, one test case per session, for CI dashboards

Examples:
  payrule check --policy examples/packs sessions.csv
  payrule check --policy examples/packs sessions.csv --format html -o report.html
  payrule check --policy examples/packs sessions.csv --history
  PAYRULE_REDACT_KEY=... payrule check --policy examples/packs sessions.csv --redact --format csv -o shared.csv`;

/** Commander's output through the run's streams; a usage error becomes one line naming the command. */
function outputFor(io: CliIo, name: string) {
    return {
        writeOut: (text: string) => { io.stdout.write(text); },
        writeErr: (text: string) => { io.stderr.write(text); },
        outputError: (text: string) => { io.stderr.write(`${usageErrorLine(name, text)}\n`); }
    };
}

/** "error: unknown option '--frmat'\n(Did you mean --format?)" -> one line with a pointer to help. */
export function usageErrorLine(name: string, text: string): string {
    const message = text.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
    // A "Did you mean" suggestion already says what to type; otherwise point at the help.
    return /Did you mean/.test(message) ? `${name}: ${message}` : `${name}: ${message} (see '${name} --help')`;
}

function percent(value: string): number {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 100) {
        throw new InvalidArgumentError('Expected a percentage from 0 to 100');
    }
    return number;
}

/** A whole number from 1 up (`--jobs`). */
function positiveInteger(value: string): number {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError('Expected a whole number from 1 up');
    return number;
}

/** `--no-cache`, for every command that loads policies (policy/cache.ts). */
function noCacheOption(): Option {
    return new Option('--no-cache', 'compile the policy afresh, not from the compile an earlier run kept (PAYRULE_CACHE_DIR says where they are kept)');
}

/** `--policy` may be repeated: each one adds a path. */
function collect(value: string, previous: string[] = []): string[] {
    return [...previous, value];
}

/** A real calendar date as YYYY-MM-DD, so a typo fails the command instead of silently checking against today. */
export function isoDate(value: string): string {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
    if (!date || date.toISOString().slice(0, 10) !== value) throw new InvalidArgumentError('Expected a date as YYYY-MM-DD');
    return value;
}
