/**
 * Broken policy text never throws out of the language: the example packs mutated token by token
 * (deleted, duplicated, swapped, cut short, junk and any Unicode inserted), random text and token
 * soup go through parse, link and validation (and the compiler, when validation finds no error)
 * in a workspace that holds the real packs, as the language server does for every keystroke.
 * No check may fail inside (Langium logs such failures with console.error), and every diagnostic
 * lies within its document. Fixed seed; `npm run fuzz` runs many more cases.
 */
import fc from 'fast-check';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';
import { compilePolicy } from '../../src/compiler/compile-policy.js';
import { createPayruleServices, type PayruleServices } from '../../src/payrule-module.js';
import { anyText, examplePolicyFiles, fuzz, FUZZ_TIMEOUT, mutated, tokenSoup } from './fuzz-support.js';

const corpus = examplePolicyFiles();
let services: { shared: ReturnType<typeof createPayruleServices>['shared']; Payrule: PayruleServices };
let packs: LangiumDocument[];
let consoleError: MockInstance;
let counter = 0;

beforeAll(async () => {
    services = createPayruleServices(EmptyFileSystem);
    const { shared } = services;
    packs = Object.entries(corpus).map(([name, text]) => {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`file:///packs/${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(packs, { validation: true });
});

beforeEach(() => {
    consoleError = vi.spyOn(console, 'error');
});

afterEach(() => {
    consoleError.mockRestore();
});

afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

/** Adds the text as one more document beside the packs, builds it, checks it, and removes it again. */
async function check(text: string, name = 'fuzz.payrule'): Promise<void> {
    const { shared, Payrule } = services;
    const uri = URI.parse(`file:///work/${counter++}/${name}`);
    const document = shared.workspace.LangiumDocumentFactory.fromString(text, uri);
    shared.workspace.LangiumDocuments.addDocument(document);
    try {
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        const lines = text.split(/\r\n|\r|\n/);
        for (const diagnostic of document.diagnostics ?? []) {
            const { start, end } = diagnostic.range;
            expect(start.line, diagnostic.message).toBeGreaterThanOrEqual(0);
            expect(end.line, diagnostic.message).toBeLessThan(Math.max(lines.length, 1) + 1);
            expect(diagnostic.message.length, 'a diagnostic is a sentence, not a dump').toBeLessThan(2_000);
        }
        const all = [...packs, document];
        if (!all.some(doc => doc.diagnostics?.some(d => d.severity === 1))) {
            const bundle = compilePolicy(Payrule, all, { fileName: doc => doc.uri.path });
            expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle);
        }
        expect(consoleError, 'a validation check failed inside').not.toHaveBeenCalled();
    } finally {
        shared.workspace.LangiumDocuments.deleteDocument(uri);
        await shared.workspace.DocumentBuilder.update([], [uri]);
    }
}

describe('broken policy text never throws out of parse, link, validate and compile', () => {
    test('the example packs, mutated', async () => {
        await fc.assert(fc.asyncProperty(mutated(corpus), async ({ name, text }) => check(text, name.replace('/', '-'))), fuzz(60));
    }, FUZZ_TIMEOUT);

    test('the language\'s own tokens in random order', async () => {
        await fc.assert(fc.asyncProperty(tokenSoup, async text => check(text)), fuzz(60));
    }, FUZZ_TIMEOUT);

    test('random text from any Unicode plane', async () => {
        await fc.assert(fc.asyncProperty(anyText, async text => check(text)), fuzz(40));
    }, FUZZ_TIMEOUT);

    test('the packs themselves still build clean after all that', async () => {
        const { shared } = services;
        await shared.workspace.DocumentBuilder.build(packs, { validation: true });
        for (const document of packs) expect(document.diagnostics?.filter(d => d.severity === 1).map(d => d.message), document.uri.path).toEqual([]);
    });
});
