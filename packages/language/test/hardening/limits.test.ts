/**
 * Resource limits of the language (src/parser/policy-limits.ts): text over a limit is refused
 * with one error where it crosses it, before the parser's recursion, a quadratic retry of the
 * lexer or the linker can exhaust the stack or the time; large but legal policies (big catalogs,
 * many rules, long extends chains up to the limit) build in seconds. Names a pack chooses
 * (`__proto__` is a valid identifier) stay data in the compiled policy.
 */
import { describe, expect, test } from 'vitest';
import { POLICY_LIMITS } from '../../src/parser/policy-limits.js';
import { packageInHeader } from '../../src/node/pack-files.js';
import { closestNames, MAX_SUGGESTION_CANDIDATES } from '../../src/validation/closest-names.js';
import { buildWorkspace, withCatalog } from '../policy-workspace.js';

const PAYER = 'package t\nimport cpt.therapy\ncodeset all = 97530\npayer P id "p" {\n    units u error pooled source "s"\n    rule r error on every line when ';

/** Builds the files with the catalog and returns the errors of `name` as "line:column message", and how long it took. */
async function errorsOf(files: Record<string, string>, name = Object.keys(files)[0]!) {
    const started = Date.now();
    const workspace = await withCatalog(files);
    const errors = workspace.diagnosticsOf(name).filter(d => d.severity === 1).map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    return { errors, ms: Date.now() - started, workspace };
}

describe('text over a limit is refused where it crosses it', () => {
    test.each([
        ['10,000 nested parentheses', `${PAYER}${'('.repeat(10_000)}1${')'.repeat(10_000)} = 1\n}\n`, /^6:\d+ This expression nests more than 32 levels of parentheses and 'not'/],
        ['10,000 nested aggregates', `${PAYER}${'sum('.repeat(10_000)}minutes${')'.repeat(10_000)} > 1\n}\n`, /^6:\d+ This expression nests more than 32 levels/],
        ['10,000 times not', `${PAYER}${'not '.repeat(10_000)}true\n}\n`, /^6:\d+ This expression nests more than 32 levels/],
        ['100,000 conditions joined by and', `${PAYER}${Array(100_000).fill('minutes = 1').join(' and ')}\n}\n`, /^6:\d+ This expression has more than 500 operators/],
        ['a list of 20,000 items', `${PAYER}code in (${Array(20_000).fill('"97530"').join(', ')})\n}\n`, /^6:\d+ This list has more than 10,000 items/],
        ['a string of 200,000 characters', `package t\ncode 97530 timed "${'x'.repeat(200_000)}"\n`, /^2:18 This string has 200,002 characters; a string may have at most 100,000/],
        ['a file of 3 MB', `package t\n${'code 97530 timed "Therapeutic activities"\n'.repeat(75_000)}`, /^1:1 This policy file is 3\.\d MB; a policy file may be at most 2 MB/],
        ['2,000 stray characters', `package t\n${'@#%^'.repeat(500)}\n`, /^2:1 This does not look like a policy file: more than 1,000 characters outside strings and comments/],
        ['2,000,000 control characters', `package t\n${'\u0001'.repeat(2_000_000)}`, /^2:1 This does not look like a policy file/],
        ['a string that never closes, and 100,000 more quotes', `package t\ncode 97530 timed "${'"\\'.repeat(100_000)}`, /^2:21 This string is not closed: the closing " is missing\./],
        ['a comment that never closes, and 100,000 more', `package t\n/* ${'/* '.repeat(100_000)}`, /^2:1 This comment is not closed: the closing \*\/ is missing\./]
    ])('%s', async (_name, text, expected) => {
        const { errors, ms } = await errorsOf({ 'limit.payrule': text });
        expect(errors.find(error => expected.test(error)), errors.slice(0, 3).join('\n')).toBeDefined();
        expect(ms).toBeLessThan(5_000);
    });

    test('expressions up to the limits are read as usual', async () => {
        const nested = `${'('.repeat(30)}minutes${')'.repeat(30)} > 1`;
        const chained = Array(400).fill('minutes > 1').join(' and ');
        const { errors } = await errorsOf({ 'ok.payrule': `${PAYER}${nested}\n    rule r2 error on every line when ${chained}\n    rule r3 error on every line when not not not (minutes > 1)\n}\n` });
        expect(errors).toEqual([]);
    });

    test('a string broken by a backslash at the end of a line is reported there, not as stray characters', async () => {
        const { errors } = await errorsOf({ 'slash.payrule': 'package t\ncode 97530 timed "Therapeutic \\\nactivities"\ncode 97110 timed "x"\n' });
        expect(errors[0]).toMatch(/^2:18 This string has a backslash at the end of a line/);
    });

    test('an unclosed string while typing reports the string, and the text before it is still read', async () => {
        const { errors, workspace } = await errorsOf({ 'typing.payrule': 'package t\nimport cpt.therapy\ncodeset all = 97530, 97110\ncode 99999 timed "Being typ' });
        expect(errors[0]).toMatch(/^4:18 This string is not closed/);
        expect(workspace.diagnosticsOf('typing.payrule').some(d => d.message.includes('97110'))).toBe(false);
    });

    test('a payer extending more than 16 others is an error; the chain is followed no further', async () => {
        const chain = ['package c', 'payer P0 id "p0" {\n    units u error pooled source "s"\n}',
            ...Array.from({ length: 1_000 }, (_, i) => `payer P${i + 1} id "p${i + 1}" extends P${i} {\n    limit l${i + 1} error at most 4 units per day source "s"\n}`)].join('\n');
        const { errors, ms, workspace } = await errorsOf({ 'chain.payrule': chain });
        expect(errors.filter(e => e.includes('extends a chain of more than 16 payers'))).toHaveLength(1_000 - 16);
        expect(errors[0]).toMatch(/^\d+:\d+ P17 extends a chain of more than 16 payers; a payer may inherit through at most 16/);
        expect(ms).toBeLessThan(10_000);
        // Compiled anyway (as if it were valid), each payer carries at most 16 payers' rules.
        const bundle = workspace.compile();
        expect(Math.max(...bundle.payers.map(p => p.rules.length))).toBeLessThanOrEqual(POLICY_LIMITS.extendsDepth + 2);
    }, 30_000);

    test('a vague clause of more than 100 phrases, or a phrase of more than 200 characters, is an error', async () => {
        const phrases = Array.from({ length: 101 }, (_, i) => `"phrase ${i}"`).join(', ');
        const { errors } = await errorsOf({
            'vague.payrule': `package v\npayer P id "p" {\n    documentation d warning requires activities\n        activities not vague ${phrases}\n        activities not vague "${'x'.repeat(201)}"\n}\n`
        });
        expect(errors).toEqual(expect.arrayContaining([
            expect.stringMatching(/^4:\d+ This clause lists 101 phrases; a clause may list at most 100\./),
            expect.stringMatching(/^5:\d+ This phrase has 201 characters; a vague phrase may have at most 200\./)
        ]));
    });
});

describe('large legal policies build in seconds', () => {
    test('a catalog of 20,000 codes and a code set of 9,000 of them', async () => {
        const codes = Array.from({ length: 20_000 }, (_, i) => `code C${i} timed "Code ${i}"`).join('\n');
        const set = `codeset big = ${Array.from({ length: 9_000 }, (_, i) => `C${i * 2}`).join(', ')}`;
        const started = Date.now();
        const workspace = await buildWorkspace({ 'big.payrule': `package big\n${codes}\n${set}\n` });
        expect(workspace.diagnosticsOf('big.payrule').filter(d => d.severity === 1)).toEqual([]);
        expect(Date.now() - started).toBeLessThan(15_000);
    }, 30_000);

    test('thousands of unknown names against a large catalog: suggestions stop before they cost minutes', async () => {
        const codes = Array.from({ length: 5_000 }, (_, i) => `code C${i} timed "Code ${i}"`).join('\n');
        const set = `codeset typos = ${Array.from({ length: 2_000 }, (_, i) => `D${i}`).join(', ')}`;
        const started = Date.now();
        const workspace = await buildWorkspace({ 'typos.payrule': `package typos\n${codes}\n${set}\n` });
        const errors = workspace.diagnosticsOf('typos.payrule').filter(d => d.severity === 1);
        expect(errors).toHaveLength(2_000);
        // The first ones still get their suggestion.
        expect(errors[0]!.message).toMatch(/^Unknown code or code set 'D0'\. Did you mean C0\?/);
        expect(Date.now() - started).toBeLessThan(10_000);
    }, 30_000);

    test('3,000 limits of one payer are checked for shadowing without comparing every pair', async () => {
        const limits = Array.from({ length: 3_000 }, (_, i) => `    limit l${i} error 97530 at most ${(i % 9) + 1} units per day source "s"`).join('\n');
        const { ms } = await errorsOf({ 'limits.payrule': `package l\nimport cpt.therapy\npayer P id "p" {\n    units u error pooled source "s"\n${limits}\n}\n` });
        expect(ms).toBeLessThan(10_000);
    }, 30_000);

    test('suggestions compare at most MAX_SUGGESTION_CANDIDATES names', () => {
        const many = Array.from({ length: MAX_SUGGESTION_CANDIDATES + 1 }, (_, i) => `X${i}`);
        expect(closestNames('X1', many)).toEqual([]);
        expect(closestNames('97350', ['97530', '97110'])).toEqual(['97530']);
    });
});

describe('names a pack chooses stay data', () => {
    test('a code, a modifier and a fee named __proto__ or constructor compile to entries, not prototypes', async () => {
        const workspace = await buildWorkspace({
            'proto.payrule': 'package p\ncode __proto__ timed "Proto"\ncode constructor untimed "Ctor"\nmodifier __proto__ "Proto modifier"\n'
                + 'payer P id "p" {\n    fees { __proto__ $10.00, constructor $5.00 }\n    units u error pooled source "s"\n}\n'
        });
        expect(workspace.diagnosticsOf('proto.payrule').filter(d => d.severity === 1)).toEqual([]);
        const bundle = workspace.compile();
        expect(Object.getPrototypeOf(bundle.codes)).toBe(Object.prototype);
        expect(Object.hasOwn(bundle.codes, '__proto__')).toBe(true);
        expect(Object.keys(bundle.codes).sort()).toEqual(['__proto__', 'constructor']);
        expect(Object.hasOwn(bundle.modifiers, '__proto__')).toBe(true);
        expect(Object.keys(bundle.payers[0]!.fees).sort()).toEqual(['__proto__', 'constructor']);
        // The IR survives JSON as it is: the entries are there after a round trip.
        const roundTrip = JSON.parse(JSON.stringify(bundle));
        expect(Object.keys(roundTrip.codes).sort()).toEqual(['__proto__', 'constructor']);
        expect(({} as Record<string, unknown>).timed).toBeUndefined();
    });
});

describe('the package header is found in one pass', () => {
    test('headers of many comments: no pattern that backtracks', () => {
        const started = Date.now();
        expect(packageInHeader(`${'// '.repeat(2_000)}\nx`)).toBeUndefined();
        expect(packageInHeader(`${'/**/'.repeat(1_000)}x`)).toBeUndefined();
        expect(packageInHeader(`${'/* */ // x\n'.repeat(300)}package a.b-c`)).toBe('a.b-c');
        expect(Date.now() - started).toBeLessThan(500);
    });

    test('reads the package as before', () => {
        expect(packageInHeader('package cms.medicare version "1"')).toBe('cms.medicare');
        expect(packageInHeader('/*\n * Medicare\n */\npackage cms.medicare\n')).toBe('cms.medicare');
        expect(packageInHeader('// a\n// b\n\n  package cpt.therapy')).toBe('cpt.therapy');
        expect(packageInHeader('packages x')).toBeUndefined();
        expect(packageInHeader('code 97530 timed "x"\npackage late')).toBeUndefined();
        expect(packageInHeader('// unterminated')).toBeUndefined();
        expect(packageInHeader('/* unterminated')).toBeUndefined();
    });
});
