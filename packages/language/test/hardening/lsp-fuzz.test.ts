/**
 * The language server keeps answering whatever it is sent: an editor buffer holding the example
 * packs mutated, token soup or random text, changed again and again; after each change a
 * completion and a hover request at some position still get an answer, and at the end the server
 * still serves the real pack correctly. Fixed seed; `npm run fuzz` runs many more cases.
 */
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
    CodeActionRequest, CodeLensRequest, CompletionRequest, DefinitionRequest, DocumentFormattingRequest, DocumentSymbolRequest, FoldingRangeRequest,
    HoverRequest, PrepareRenameRequest, ReferencesRequest, type CompletionList, type Hover, type MarkupContent
} from 'vscode-languageserver-protocol/node.js';
import { EXAMPLES } from '../policy-workspace.js';
import { anyText, examplePolicyFiles, fuzz, FUZZ_TIMEOUT, mutated, tokenSoup } from './fuzz-support.js';
import { startInProcessServer, type InProcessServer } from './lsp-server.js';

const corpus = examplePolicyFiles();
const root = mkdtempSync(join(tmpdir(), 'payrule-lsp-fuzz-'));
cpSync(EXAMPLES, join(root, 'packs'), { recursive: true });
const ACME = join(root, 'packs/acme-ppo/acme-ppo.payrule');
const acmeUri = pathToFileURL(ACME).toString();
/** The buffer being fuzzed: a file of the Acme pack's folder, so its imports resolve as the real one's do. */
const fuzzUri = pathToFileURL(join(root, 'packs/acme-ppo/scratch.payrule')).toString();

let server: InProcessServer;

beforeAll(async () => {
    server = await startInProcessServer(root);
    // Requests for a document the server has not created yet are cancelled (for the client to
    // retry): the buffer is opened, and built once, before the first request.
    await server.edit(fuzzUri, 'package scratch\n');
    await server.diagnostics(fuzzUri);
}, 60_000);

afterAll(async () => {
    await server?.stop();
});

/** A position inside the text (line and character chosen by `seed`). */
function positionIn(text: string, seed: number) {
    const lines = text.split(/\r\n|\r|\n/);
    const line = seed % lines.length;
    return { line, character: (seed >> 8) % (lines[line]!.length + 1) };
}

async function editAndAsk(text: string, seed: number): Promise<void> {
    await server.edit(fuzzUri, text);
    const position = positionIn(text, seed);
    // Every request must answer (an empty answer is an answer); a request that throws inside the
    // server comes back as an error and fails the property.
    const completion = await server.client.sendRequest(CompletionRequest.type, { textDocument: { uri: fuzzUri }, position });
    expect(completion === null || Array.isArray(completion) || Array.isArray((completion as CompletionList).items)).toBe(true);
    const textDocument = { uri: fuzzUri };
    await server.client.sendRequest(HoverRequest.type, { textDocument, position });
    await server.client.sendRequest(DefinitionRequest.type, { textDocument, position });
    await server.client.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } });
    await server.client.sendRequest(PrepareRenameRequest.type, { textDocument, position });
    await server.client.sendRequest(DocumentSymbolRequest.type, { textDocument });
    await server.client.sendRequest(FoldingRangeRequest.type, { textDocument });
    await server.client.sendRequest(CodeLensRequest.type, { textDocument });
    await server.client.sendRequest(DocumentFormattingRequest.type, { textDocument, options: { tabSize: 4, insertSpaces: true } });
    const published = await server.diagnostics(fuzzUri);
    await server.client.sendRequest(CodeActionRequest.type, {
        textDocument, range: { start: { line: 0, character: 0 }, end: position }, context: { diagnostics: published.diagnostics.slice(0, 20) }
    });
}

describe('the language server answers the next request after any input', () => {
    test('edits that mutate the example packs', async () => {
        await fc.assert(fc.asyncProperty(mutated(corpus), fc.nat(), async ({ text }, seed) => editAndAsk(text, seed)), fuzz(40));
    }, FUZZ_TIMEOUT ?? 60_000);

    test('token soup and random text', async () => {
        await fc.assert(fc.asyncProperty(fc.oneof(tokenSoup, anyText), fc.nat(), async (text, seed) => editAndAsk(text, seed)), fuzz(40));
    }, FUZZ_TIMEOUT ?? 60_000);

    test('pathological text: deep nesting, a huge file, an unterminated string, junk', async () => {
        const payer = 'package scratch\nimport cms.medicare\npayer P id "p" extends Medicare {\n    rule r error when ';
        for (const text of [
            `${payer}${'('.repeat(10_000)}1${')'.repeat(10_000)} = 1\n}\n`,
            `${payer}${'not '.repeat(10_000)}true\n}\n`,
            `${payer}${Array(20_000).fill('minutes = 1').join(' and ')}\n}\n`,
            `package scratch\ncode 97530 timed "${'x'.repeat(3_000_000)}"\n`,
            `package scratch\ncode 97530 timed "${'"\\'.repeat(50_000)}`,
            '/* '.repeat(100_000),
            '@'.repeat(200_000)
        ]) {
            const started = Date.now();
            await editAndAsk(text, text.length);
            expect(Date.now() - started, text.slice(0, 80)).toBeLessThan(10_000);
        }
    }, 120_000);

    test('after all that, the real pack is served as before', async () => {
        const text = readFileSync(ACME, 'utf8');
        await server.edit(fuzzUri, '');
        await server.edit(acmeUri, text);
        const published = await server.diagnostics(acmeUri);
        expect(published.diagnostics.filter(d => d.severity === 1).map(d => d.message)).toEqual([]);
        const lines = text.split('\n');
        const line = lines.findIndex(l => l.includes('extends Medicare'));
        const hover = await server.client.sendRequest(HoverRequest.type, {
            textDocument: { uri: acmeUri }, position: { line, character: lines[line]!.indexOf('Medicare') + 2 }
        }) as Hover;
        expect((hover.contents as MarkupContent).value).toMatch(/^\*\*payer Medicare\*\*/);
        const limit = lines.findIndex(l => l.includes('97530 at most 4'));
        const completion = await server.client.sendRequest(CompletionRequest.type, {
            textDocument: { uri: acmeUri }, position: { line: limit, character: lines[limit]!.indexOf('97530 at most 4') }
        }) as CompletionList;
        expect(completion.items.map(item => item.label)).toContain('97530');
    }, 60_000);
});
