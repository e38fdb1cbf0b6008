/**
 * Runs the command line in-process and returns the exit code: no process.exit here, so tests and
 * other tools can call it. Whatever goes wrong ends as a short message on standard error.
 */
import { CommanderError } from 'commander';
import { InputError } from '@payrule/engine';
import { CliError, describeFileError, EXIT_INVALID, EXIT_OK, isFileError } from './errors.js';
import { processIo, type CliIo } from './io.js';
import { buildProgram } from './program.js';

export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
    const runIo: CliIo = { ...processIo(), ...io };
    let exitCode = EXIT_OK;
    const program = buildProgram(runIo, code => { exitCode = code; });
    try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode;
    } catch (error) {
        return reportFailure(error, runIo);
    }
}

/** Maps a failure to its exit code and prints it as one line (two for a bug: what, and how to report it). */
function reportFailure(error: unknown, io: CliIo): number {
    // Commander has already printed the usage error (or the help/version that ended the run).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_INVALID;
    if (error instanceof CliError) {
        io.stderr.write(`payrule: ${error.message}\n`);
        return error.exitCode;
    }
    if (error instanceof InputError) {
        io.stderr.write(`payrule: ${oneLine(error.message)}\n`);
        return EXIT_INVALID;
    }
    if (isFileError(error)) {
        const path = (error as NodeJS.ErrnoException).path;
        io.stderr.write(`payrule: cannot read${path ? ` '${path}'` : ''}: ${describeFileError(error)}.\n`);
        return EXIT_INVALID;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`payrule: internal error: ${oneLine(message)}\n`);
    io.stderr.write('This is a bug in payrule, not in your files: please report it with the command you ran'
        + ' (set PAYRULE_DEBUG=1 to include the details).\n');
    if (io.env.PAYRULE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_INVALID;
}

function oneLine(text: string): string {
    return text.replace(/\s*\n\s*/g, ' ').trim();
}
