/**
 * The one door of the policy loaders' reads (src/node/file-reads.ts): what a recording keeps,
 * when a record stops holding, and that no loader reads the disk around it (which would let the
 * command line's cache of compiled policies use a compile of files that have changed).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
    listFolder, pathExists, readHead, readsStillHold, readText, realPath, recordReads, statPath, type FileRead
} from '../src/node/file-reads.js';

let dir: string;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payrule-reads-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Records every kind of read over a small folder. */
async function recordFolder(): Promise<FileRead[]> {
    const { reads } = await recordReads(async () => {
        for (const entry of listFolder(dir)) {
            const path = join(dir, entry.name);
            if (entry.isFile) readText(path);
            statPath(path);
        }
        pathExists(join(dir, 'package.json'));
        readHead(join(dir, 'a.payrule'));
        realPath(join(dir, 'link.payrule'));
    });
    return reads!;
}

describe('recorded reads', () => {
    beforeEach(() => {
        writeFileSync(join(dir, 'a.payrule'), 'package a\n');
        mkdirSync(join(dir, 'sub'));
        symlinkSync(join(dir, 'a.payrule'), join(dir, 'link.payrule'));
    });

    it('record each question once, with absolute paths, and hold while nothing changes', async () => {
        const cwd = process.cwd();
        process.chdir(dir);
        let reads: FileRead[];
        try {
            ({ reads } = await recordReads(async () => { readText('a.payrule'); readText('a.payrule'); }) as { reads: FileRead[] });
        } finally {
            process.chdir(cwd);
        }
        expect(reads).toEqual([{ ask: 'read', path: join(dir, 'a.payrule'), answer: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
        expect(readsStillHold(reads)).toBe(true);
        expect(readsStillHold(await recordFolder())).toBe(true);
    });

    it.each([
        ['a file\'s bytes change', () => writeFileSync(join(dir, 'a.payrule'), 'package b\n')],
        ['a file is added', () => writeFileSync(join(dir, 'b.payrule'), '')],
        ['a file is removed', () => rmSync(join(dir, 'a.payrule'))],
        ['a folder becomes a file', () => { rmSync(join(dir, 'sub'), { recursive: true }); writeFileSync(join(dir, 'sub'), ''); }],
        ['a missing file appears', () => writeFileSync(join(dir, 'package.json'), '{}')],
        ['a link points elsewhere', () => { rmSync(join(dir, 'link.payrule')); writeFileSync(join(dir, 'c.payrule'), ''); symlinkSync(join(dir, 'c.payrule'), join(dir, 'link.payrule')); }]
    ])('stop holding when %s', async (_, change) => {
        const reads = await recordFolder();
        change();
        expect(readsStillHold(reads)).toBe(false);
    });

    it('record a failed read as failed, and stop holding when it would succeed', async () => {
        const missing = join(dir, 'missing.payrule');
        const { reads } = await recordReads(async () => {
            try {
                statPath(missing);
            } catch {
                // As a loader does: a missing file is an answer too.
            }
        });
        expect(reads).toEqual([{ ask: 'stat', path: missing, answer: 'error ENOENT' }]);
        expect(readsStillHold(reads!)).toBe(true);
        writeFileSync(missing, '');
        expect(readsStillHold(reads!)).toBe(false);
    });

    it('give no record when a file changes while it is being read', async () => {
        const file = join(dir, 'a.payrule');
        const { reads } = await recordReads(async () => {
            readText(file);
            writeFileSync(file, 'package changed\n');
            readText(file);
        });
        expect(reads).toBeUndefined();
    });

    it('each hold the reads of the other when two overlap', async () => {
        const [a, b, c] = ['a.payrule', 'b.payrule', 'c.payrule'].map(name => join(dir, name));
        for (const file of [b, c]) writeFileSync(file, '');
        let release!: () => void;
        const gate = new Promise<void>(resolve => { release = resolve; });
        const first = recordReads(async () => { readText(a); await gate; readText(b); });
        const second = await recordReads(async () => { readText(c); });
        release();
        const paths = (reads: FileRead[] | undefined) => reads?.map(read => read.path).sort();
        expect(paths(second.reads)).toEqual([c]);
        expect(paths((await first).reads)).toEqual([a, b, c]);
    });

    it('hold for nothing but a list of reads', () => {
        for (const garbage of [null, {}, 'reads', [null], [{ ask: 'delete', path: dir, answer: 'yes' }], [{ ask: 'exists', path: 7, answer: 'yes' }]]) {
            expect(readsStillHold(garbage)).toBe(false);
        }
        expect(readsStillHold([])).toBe(true);
    });

    it('record nothing outside a recording', async () => {
        readText(join(dir, 'a.payrule'));
        const { reads } = await recordReads(async () => undefined);
        expect(reads).toEqual([]);
    });
});

describe('the loaders', () => {
    it('read the disk only through file-reads.ts', () => {
        const src = fileURLToPath(new URL('../src/', import.meta.url));
        const cli = fileURLToPath(new URL('../../cli/src/', import.meta.url));
        // Everything the command line's loading of policy sources runs: the language (its editor
        // features apart), and the CLI's checks of a pack (digests, signatures).
        const modules = [
            ...walk(src).filter(file => !relative(src, file).startsWith('lsp') && !file.endsWith('file-reads.ts')),
            join(cli, 'packs/verify.ts'),
            join(cli, 'packs/digest.ts')
        ];
        expect(modules.length).toBeGreaterThan(20);
        // node:fs however it is named or loaded, Langium's own disk access, or a require of anything.
        const readers = modules.filter(file => /['"](?:node:)?fs(?:\/promises)?['"]|langium\/node|createRequire|\brequire\(/.test(readFileSync(file, 'utf8')));
        expect(readers.map(file => relative(join(src, '../..'), file))).toEqual([]);
    });
});

function walk(folder: string): string[] {
    return readdirSync(folder).flatMap(name => {
        const path = join(folder, name);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
}
