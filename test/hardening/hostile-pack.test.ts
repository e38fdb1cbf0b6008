/**
 * Packs are data, on the command line: a pack whose imports try to leave it is refused with the
 * line of each import (exit 2) and nothing outside it is read; messages that look like code or
 * markup are shown as text in every report (escaped in HTML), placeholders named after Object's
 * properties stay as written. Policies of pathological size or shape are refused with file:line
 * and exit 2, in seconds. (The language server's side: packages/language/test/hardening.)
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Report } from '@payrule/engine';
import { AS_OF, expectOneLine, payrule, ROOT } from '../cli/run-payrule.js';
import { CODE_LIKE, HOSTILE_SESSION, SECRET, writeHostilePacks } from './hostile-pack.js';

const root = mkdtempSync(join(tmpdir(), 'payrule-hostile-'));
writeHostilePacks(root);
writeFileSync(join(root, 'sessions.json'), JSON.stringify([HOSTILE_SESSION]));
writeFileSync(join(root, 'medicare.json'), JSON.stringify([{ ...HOSTILE_SESSION, payer: 'medicare' }]));

async function check(policy: string, ...extra: string[]) {
    const started = Date.now();
    const run = await payrule(['check', '--policy', policy, ...AS_OF, ...extra], { cwd: root });
    return { ...run, ms: Date.now() - started };
}

describe('a pack whose imports try to leave it', () => {
    test('is refused with the line of each import, exit 2, and the file outside is never read', async () => {
        const run = await check('escaping', 'sessions.json');
        expect(run.code).toBe(2);
        const errors = run.stderr.trim().split('\n');
        expect(errors).toEqual(expect.arrayContaining([
            expect.stringMatching(/^escaping\/escaping\.payrule:2:1: error: Import "\.\.\/outside\/secret\.payrule" reaches outside the pack's folder/),
            expect.stringMatching(/^escaping\/escaping\.payrule:3:1: error: Import "\.\/\.\.\/\.\.\/outside\/secret\.payrule" reaches outside the pack's folder/),
            expect.stringMatching(/^escaping\/escaping\.payrule:4:1: error: Import "\/etc\/passwd" is an absolute path/),
            expect.stringMatching(/^escaping\/escaping\.payrule:5:1: error: Import "file:\/\/\/etc\/passwd" is an absolute path/),
            expect.stringMatching(/^escaping\/escaping\.payrule:6:1: error: Import "\.\/link\.payrule" is a symbolic link to a file outside/),
            // The code declared only outside never linked: the imports were not followed.
            expect.stringMatching(/^escaping\/escaping\.payrule:9:\d+: error: Unknown code or code set '99991'/)
        ]));
        expect(run.stderr + run.stdout).not.toContain(SECRET);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    });

    test('is refused by `payrule compile` too, and no output is written', async () => {
        const run = await payrule(['compile', 'escaping', '-o', 'out.json'], { cwd: root });
        expect(run.code).toBe(2);
        expect(existsSync(join(root, 'out.json'))).toBe(false);
        expect(run.stderr + run.stdout).not.toContain(SECRET);
    });
});

describe('messages that look like code or markup are text', () => {
    test('the JSON report shows them as written: nothing ran, nothing was read from the environment', async () => {
        const run = await check('code-like', '--format', 'json', 'sessions.json');
        expect(run.stderr).toBe('');
        const report = JSON.parse(run.stdout) as Report;
        const messages = report.sessions[0]!.findings.filter(f => f.rule.startsWith('r')).sort((a, b) => a.rule.localeCompare(b.rule)).map(f => f.message);
        expect(messages).toEqual(CODE_LIKE);
        expect(existsSync('/tmp/payrule-pwned')).toBe(false);
        if (process.env.HOME) expect(run.stdout).not.toContain(`"${process.env.HOME}"`);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    test('the HTML report escapes them: the only script is the report\'s own', async () => {
        const run = await check('code-like', '--format', 'html', 'sessions.json');
        expect(run.code).toBe(1);
        const html = run.stdout;
        expect(html).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
        expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
        expect(html).not.toContain('<script>alert');
        expect(html).not.toContain('<img src=x');
        expect(html.match(/<script\b/g)?.length ?? 0).toBeLessThanOrEqual(1);
    });

    test('text, SARIF, JUnit and CSV reports carry them as data too', async () => {
        for (const format of ['text', 'sarif', 'junit', 'csv']) {
            const run = await check('code-like', '--format', format, 'sessions.json');
            expect(run.code, format).toBe(1);
            expect(run.stderr, format).toBe('');
            // XML escapes markup; the JSON of SARIF and the CSV cells carry it as plain strings.
            if (format === 'junit') expect(run.stdout, format).not.toContain('<script>alert');
            expect(run.stdout, format).toContain('alert(document.cookie)');
        }
    });
});

describe('policies of pathological size or shape are refused with file:line, exit 2, in seconds', () => {
    const cases: [string, () => Record<string, string>, RegExp][] = [
        ['10,000 nested parentheses', () => ({
            'deep.payrule': `package deep\nimport cms.medicare\npayer P id "p" extends Medicare {\n    rule r error when ${'('.repeat(10_000)}1${')'.repeat(10_000)} = 1\n}\n`
        }), /^deep\/deep\.payrule:4:\d+: error: This expression nests more than 32 levels/m],
        ['a chain of 50,000 conditions', () => ({
            'long.payrule': `package long\nimport cms.medicare\npayer P id "p" extends Medicare {\n    rule r error when ${Array(50_000).fill('minutes = 1').join(' and ')}\n}\n`
        }), /^long\/long\.payrule:4:\d+: error: This expression has more than 500 operators/m],
        ['a 50 MB policy file', () => ({ 'big.payrule': `package big\n${'// padding padding padding padding padding padding padding padding\n'.repeat(800_000)}` }),
            /^big\/big\.payrule:1:1: error: This policy file is 5\d\.\d MB; a policy file may be at most 2 MB/m],
        ['a code set of 100,000 members', () => ({
            'set.payrule': `package set\nimport cpt.therapy\ncodeset huge = ${Array.from({ length: 100_000 }, () => '97530').join(', ')}\n`
        }), /^set\/set\.payrule:3:\d+: error: This list has more than 10,000 items/m],
        ['a 150,000-character message', () => ({
            'literal.payrule': `package literal\nimport cms.medicare\npayer P id "p" extends Medicare {\n    rule r error "${'x'.repeat(150_000)}" when minutes > 1\n}\n`
        }), /^literal\/literal\.payrule:4:18: error: This string has 150,002 characters; a string may have at most 100,000/m],
        ['a payer extending a chain of 40 payers', () => ({
            'chain.payrule': ['package chain', 'import cms.medicare', 'payer P0 id "p0" extends Medicare {\n}',
                ...Array.from({ length: 40 }, (_, i) => `payer P${i + 1} id "p${i + 1}" extends P${i} {\n}`)].join('\n')
        }), /^chain\/chain\.payrule:\d+:\d+: error: P\d+ extends a chain of more than 16 payers/m],
        ['a vague clause of 500 phrases', () => ({
            'vague.payrule': `package vague\nimport cms.medicare\npayer P id "p" extends Medicare {\n    documentation d warning requires activities activities not vague ${Array.from({ length: 500 }, (_, i) => `"phrase ${i}"`).join(', ')}\n}\n`
        }), /^vague\/vague\.payrule:4:\d+: error: This clause lists 500 phrases; a clause may list at most 100/m],
        ['text that is not a policy at all', () => ({ 'binary.payrule': Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)).toString('latin1') }),
            /^binary\/binary\.payrule:\d+:\d+: error: (This does not look like a policy file|This (string|comment) )/m]
    ];

    test.each(cases)('%s', async (name, files, expected) => {
        const dir = Object.keys(files())[0]!.replace('.payrule', '');
        mkdirSync(join(root, dir), { recursive: true });
        for (const [file, text] of Object.entries(files())) writeFileSync(join(root, dir, file), text);
        // The Medicare and catalog packs sit beside, as imports by name find them.
        const run = await payrule(['check', '--policy', dir, '--policy', join(ROOT, 'examples/packs'), ...AS_OF, join(root, 'medicare.json')], { cwd: root });
        expect(run.code, run.stderr.slice(0, 500)).toBe(2);
        expect(run.stderr).toMatch(expected);
        expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        for (const line of run.stderr.trim().split('\n')) expect(line.length, 'a message is a sentence, not the file').toBeLessThan(1_000);
    }, 30_000);

    test('imports that fan out to 1,200 files are refused at the import that crosses 1,000 files', async () => {
        const dir = join(root, 'fan');
        mkdirSync(dir, { recursive: true });
        const imports = Array.from({ length: 1_200 }, (_, i) => `import "./f${i}.payrule"`).join('\n');
        writeFileSync(join(dir, 'main.payrule'), `package fan\n${imports}\n`);
        for (let i = 0; i < 1_200; i++) writeFileSync(join(dir, `f${i}.payrule`), `package fan.f${i}\n`);
        const started = Date.now();
        const run = await payrule(['check', '--policy', join(dir, 'main.payrule'), ...AS_OF, join(root, 'medicare.json')], { cwd: root });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^fan\/main\.payrule:\d+:1: error: Cannot import "\.\/f\d+\.payrule": a run loads at most 1,000 policy files/m);
        expect(Date.now() - started).toBeLessThan(25_000);
    }, 60_000);

    test('a folder of 1,500 policy files is refused before any is parsed', async () => {
        const dir = join(root, 'many');
        mkdirSync(dir, { recursive: true });
        for (let i = 0; i < 1_500; i++) writeFileSync(join(dir, `f${String(i).padStart(4, '0')}.payrule`), `package many.f${i}\n`);
        const run = await payrule(['check', '--policy', 'many', ...AS_OF, 'medicare.json'], { cwd: root });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^payrule: Cannot load 'many': a run loads at most 1,000 policy files/);
    }, 60_000);

    test('a compiled policy of 65 MB is refused before it is read; one nested 100,000 levels deep is refused', async () => {
        const huge = join(root, 'huge.json');
        const fd = openSync(huge, 'w');
        ftruncateSync(fd, 65 * 1024 * 1024);
        closeSync(fd);
        const big = await payrule(['check', '--policy', 'huge.json', ...AS_OF, 'medicare.json'], { cwd: root });
        expect(big.code).toBe(2);
        expect(expectOneLine(big.stderr)).toBe("payrule: cannot read policy 'huge.json': it is 65.0 MB; a compiled policy may be at most 64 MB.");
        const compiled = await payrule(['compile', join(ROOT, 'examples/packs'), '-o', join(root, 'packs.json')], { cwd: root });
        expect(compiled.code).toBe(0);
        const text = readFileSync(join(root, 'packs.json'), 'utf8');
        expect(text).toMatch(/"where": ?\{/);
        const deep = text.replace(/"where": ?\{/, `"where":${'{"kind":"not","operand":'.repeat(100_000)}{"kind":"bool","value":true}${'}'.repeat(100_000)},"was":{`);
        writeFileSync(join(root, 'deep.json'), deep);
        const nested = await payrule(['check', '--policy', 'deep.json', ...AS_OF, 'medicare.json'], { cwd: root });
        expect(nested.code).toBe(2);
        expect(nested.stderr).toMatch(/^payrule: 'deep\.json' is not a valid compiled policy: .* nests too deeply/);
        expect(nested.stderr).not.toMatch(/internal error|\n\s+at /);
    });

    test('a header of repeated comments does not stall finding a package by name', async () => {
        // The header scan once used a pattern with nested repetition: 30 `// ` on a line took minutes.
        const dir = join(root, 'headers');
        mkdirSync(join(dir, 'noise'), { recursive: true });
        mkdirSync(join(dir, 'main'), { recursive: true });
        writeFileSync(join(dir, 'noise/noise.payrule'), `${'// '.repeat(5_000)}\n${'/**/ '.repeat(500)}x\n`);
        writeFileSync(join(dir, 'main/main.payrule'), 'package main\nimport nowhere.to.be.found\n');
        const started = Date.now();
        const run = await payrule(['check', '--policy', 'headers/main', ...AS_OF, 'medicare.json'], { cwd: root });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/Cannot find the package 'nowhere\.to\.be\.found'/);
        expect(Date.now() - started).toBeLessThan(5_000);
    });
});
