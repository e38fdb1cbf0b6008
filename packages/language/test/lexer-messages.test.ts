/**
 * Characters the language cannot read (pasted from a word processor): named in plain words with
 * what to type instead, in the editor and on the command line alike. And a syntax error found
 * some words in says which words matched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import type { PolicyFile } from '../src/generated/ast.js';
import { loadPolicySources } from '../src/node/load-policies.js';
import { createPayruleServices } from '../src/payrule-module.js';

const { Payrule } = createPayruleServices(EmptyFileSystem);
const parse = parseHelper<PolicyFile>(Payrule);

/** The lexer's messages for `text`, as "line:column message". */
async function unread(text: string): Promise<string[]> {
    const document = await parse(text);
    return document.parseResult.lexerErrors.map(error => `${error.line}:${error.column} ${error.message}`);
}

const payer = (member: string) => `package lex\npayer L id "l" {\n    ${member}\n}\n`;

describe('characters the language does not read', () => {
    test('curly quotes, dashes and invisible characters say what to type instead', async () => {
        expect(await unread(payer('units u error pooled source “Pub 100”'))).toEqual([
            '3:33 The curly quote “ is not read here: type a straight double quote (").',
            '3:41 The curly quote ” is not read here: type a straight double quote (").'
        ]);
        expect(await unread(payer('units u error per–code'))).toEqual(['3:22 The dash – (en dash) is not read here: type a hyphen (-).']);
        expect(await unread(payer('units u\u200B error pooled'))).toEqual(['3:12 An invisible character (zero-width space, U+200B) is here: delete it.']);
        expect(await unread(payer("units u error pooled source 'Pub 100'"))).toEqual([
            `3:33 The single quote ' is not read here: text goes in straight double quotes ("...").`,
            `3:41 The single quote ' is not read here: text goes in straight double quotes ("...").`
        ]);
    });

    test('any other character is named with its code point, a run of them once', async () => {
        expect(await unread(payer('units gebühr error pooled'))).toEqual([
            "3:14 The character ü (U+00FC) is not read here: outside double quotes, names use only the letters A to Z, digits, '_' and '-'."
        ]);
        expect(await unread(payer('units u error pooled §§§'))).toEqual(['3:26 The character § (U+00A7) is not read here. The 2 characters after it are not read either.']);
        expect(await unread(payer('units u error pooled;'))).toEqual(['3:25 The character ; is not read here.']);
    });

    const root = mkdtempSync(join(tmpdir(), 'payrule-lexer-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    test('the command line says the same', async () => {
        const file = join(root, 'lex.payrule');
        writeFileSync(file, payer('units u error pooled source “Pub 100”'));
        const loaded = await loadPolicySources([file], { cwd: root });
        expect(loaded.diagnostics.map(d => `${d.file}:${d.line}:${d.column} ${d.message}`)).toContain(
            'lex.payrule:3:33 The curly quote “ is not read here: type a straight double quote (").'
        );
    });
});

describe('syntax errors the parser found a few words in', () => {
    test('name the words that matched and what could follow them, not the first word as if it were wrong', async () => {
        const document = await parse(payer('override kx-ot error'));
        expect(document.parseResult.parserErrors[0]!.message).toBe("After 'override', expected 'units', 'limit', 'rule', 'threshold', 'pair', "
            + "'documentation' or another word the language knows but found 'kx-ot'. After override comes the whole rule as it should now read, "
            + 'kind first: override threshold kx error ...');
    });
});
