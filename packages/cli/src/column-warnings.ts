/**
 * Warnings about CSV header cells spelled almost as a column Payrule reads (DATA.md §3): such a
 * column is kept as an extra field, so every row would seem to lack it and the report would ask
 * for what the file has. Only each CSV input's header line is read; a file that cannot be read is
 * left to the readers, which say why.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { csvHeaderCells, misspelledColumns, sessionFormat } from '@payrule/engine';
import type { OutputStream } from './io.js';
import { pathFromCwd } from './paths.js';

/** How much of a file is read looking for the end of its header line. */
const HEADER_BYTES = 1 << 20;
const BLOCK_BYTES = 1 << 16;

/** One line on `stderr` per misspelled column of each CSV input among `files` (as the user named them). */
export function warnMisspelledColumns(files: readonly string[], cwd: string, stderr: OutputStream): void {
    for (const file of files) {
        // Standard input (`-`) is NDJSON: no header.
        if (file === '-' || sessionFormat(file) !== 'csv') continue;
        const header = csvHeaderCells(headerLine(pathFromCwd(file, cwd)));
        for (const { column, meant } of misspelledColumns(header ?? [])) {
            stderr.write(`payrule: warning: ${file}: column ${JSON.stringify(column)} is not one Payrule reads; did you mean ${JSON.stringify(meant)}? It is kept as an extra field.\n`);
        }
    }
}

/** The file's first line (at most its first megabyte), or nothing when it cannot be read. */
function headerLine(path: string): string {
    let fd: number | undefined;
    try {
        // A named pipe would give its bytes to this look and not to the reader.
        if (!statSync(path).isFile()) return '';
        fd = openSync(path, 'r');
        const blocks: Buffer[] = [];
        for (let bytes = 0; bytes < HEADER_BYTES;) {
            const block = Buffer.alloc(BLOCK_BYTES);
            const read = readSync(fd, block, 0, BLOCK_BYTES, null);
            const newline = block.subarray(0, read).indexOf(10);
            blocks.push(block.subarray(0, newline >= 0 ? newline : read));
            if (newline >= 0 || read === 0) break;
            bytes += read;
        }
        return Buffer.concat(blocks).toString('utf8').replace(/\r$/, '');
    } catch {
        return '';
    } finally {
        if (fd !== undefined) closeSync(fd);
    }
}
