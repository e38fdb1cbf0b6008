/**
 * outputTarget's decision where the file system alone cannot show it: the tests run as root, for
 * whom every folder is writable, so whether the user may write is injected here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/io.js';
import { outputTarget } from '../src/output.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(cwd: string): CliIo {
    return { stdout: { write: () => true }, stderr: { write: () => true }, stdin: Readable.from(['']), cwd, env: {} };
}

/** As accessSync(W_OK) fails for a user who may not write `denied`. */
function deniedFor(denied: string) {
    return (path: string) => {
        if (path === denied) throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: 'EACCES' });
    };
}

describe('outputTarget: a folder that takes no new file', () => {
    it('refuses a writable file there before anything is read: the report is written beside it first', () => {
        dir = mkdtempSync(join(tmpdir(), 'payrule-output-unit-'));
        writeFileSync(join(dir, 'report.txt'), 'last week\n');
        expect(() => outputTarget('report.txt', io(dir), [], 'report', deniedFor(dir)))
            .toThrow("cannot write 'report.txt': Payrule writes the report beside it and moves it into place, and its folder is not writable.");
    });

    it('refuses a new file there', () => {
        dir = mkdtempSync(join(tmpdir(), 'payrule-output-unit-'));
        expect(() => outputTarget('report.txt', io(dir), [], 'report', deniedFor(dir))).toThrow("cannot write 'report.txt': its folder is not writable.");
    });

    it('refuses a file the user may not write, as the shell would', () => {
        dir = mkdtempSync(join(tmpdir(), 'payrule-output-unit-'));
        writeFileSync(join(dir, 'report.txt'), 'last week\n');
        expect(() => outputTarget('report.txt', io(dir), [], 'report', deniedFor(join(dir, 'report.txt')))).toThrow("cannot write 'report.txt': permission denied.");
    });

    it('takes a file in a folder the user may write', () => {
        dir = mkdtempSync(join(tmpdir(), 'payrule-output-unit-'));
        expect(outputTarget('report.txt', io(dir), [], 'report', deniedFor('/elsewhere'))).toMatchObject({ kind: 'regular file', path: join(dir, 'report.txt') });
    });
});
