import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, describeFileError } from './errors.js';
import type { CliIo } from './io.js';

/** Writes a command's result to `-o FILE` when given, else to standard output. */
export function writeResult(text: string, outputPath: string | undefined, io: CliIo): void {
    if (outputPath === undefined || outputPath === '-') {
        io.stdout.write(text);
        return;
    }
    try {
        writeFileSync(resolve(io.cwd, outputPath), text, 'utf8');
    } catch (error) {
        throw new CliError(`cannot write '${outputPath}': ${describeFileError(error)}.`);
    }
}

/** Whether the result goes to a file (then it gets no colour whatever the terminal). */
export function writesToFile(outputPath: string | undefined): boolean {
    return outputPath !== undefined && outputPath !== '-';
}
