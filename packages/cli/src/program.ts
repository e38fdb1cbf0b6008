/** The `payrule` command tree: options and arguments, help text, and how usage errors are printed. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCheck, type CheckOptions } from './commands/check.js';
import { runCompile, type CompileOptions } from './commands/compile.js';
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
        .argument('<files...>', 'session records: .json, .ndjson, .jsonl or .csv files, or - for NDJSON on standard input')
        .requiredOption('--policy <path>', 'a .payrule file, a folder of packs, or a compiled policy .json (repeat to merge several)', collect)
        .addOption(new Option('--format <format>', 'report format').choices(reportFormats).default('text'))
        .option('-o, --output <file>', 'write the report to <file> instead of standard output')
        .option('--as-of <date>', 'check filing deadlines of sessions with no submitted date as if submitted on <date> (YYYY-MM-DD)', isoDate)
        .option('--no-color', 'no colours in the text report (also set by the NO_COLOR variable)')
        .addHelpText('after', CHECK_HELP)
        .action(async (files: string[], options: CheckOptions) => setExitCode(await runCheck(files, options, io)));
    check.configureOutput(outputFor(io, 'payrule check'));

    const compile = program.command('compile')
        .description('compile policy sources to the policy IR (JSON), to evaluate without the language toolchain')
        .argument('<paths...>', '.payrule files or folders of packs (compiled .json policies are merged in as they are)')
        .option('-o, --output <file>', 'write the compiled policy to <file> instead of standard output')
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
        .action(async (paths: string[], options: TestOptions) => setExitCode(await runTests(paths, options, io)));
    test.configureOutput(outputFor(io, 'payrule test'));

    return program;
}

const CHECK_HELP = `
Exit status:
  0  no error finding and no rejected record
  1  at least one error finding or rejected record
  2  the policy or the command is invalid

Example:
  payrule check --policy examples/packs sessions.csv`;

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
