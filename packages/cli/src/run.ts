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
    io.stderr.write(`payrule: internal error: ${io.env.PAYRULE_DEBUG ? oneLine(message) : withoutData(message)}\n`);
    io.stderr.write('This is a bug in payrule, not in your files: please report it with the command you ran'
        + ' (set PAYRULE_DEBUG=1 to include the details).\n');
    if (io.env.PAYRULE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_INVALID;
}

function oneLine(text: string): string {
    return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** How much of an unexpected error's message is shown without PAYRULE_DEBUG. */
const INTERNAL_MESSAGE_CHARS = 120;

/**
 * An unexpected error's message without what may be patient data: a bug may carry a record or a
 * note in its message, and crash output ends up in CI logs and bug reports. Quoted text is elided
 * and the rest cut short; PAYRULE_DEBUG=1 shows it all (and the stack).
 */
function withoutData(message: string): string {
    // Bounded before any pattern runs: a message may hold a whole record.
    let text = oneLine(message.slice(0, 4 * INTERNAL_MESSAGE_CHARS))
        .replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/'[^'\n]*'/g, "'…'").replace(/`[^`\n]*`/g, '`…`');
    // A quote the cut left open: what follows it is quoted text too.
    if ((text.match(/"/g)?.length ?? 0) % 2 === 1) text = `${text.slice(0, text.lastIndexOf('"'))}"…`;
    return text.length > INTERNAL_MESSAGE_CHARS ? `${text.slice(0, INTERNAL_MESSAGE_CHARS)}…` : text;
}
