/**
 * The language server as an editor sees it: started as a child process (the bundle the VS Code
 * extension ships, with `--stdio`; the `payrule-language-server` bin's own bundle at the end),
 * spoken to over stdio with
 * vscode-languageserver-protocol. Opens the Acme PPO pack on its own (no workspace folder: the
 * packs it imports are found on disk), and checks diagnostics, completion, hover, definition into
 * the imported Medicare pack, the code lens, and the payrule.check command on example sessions.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
    CodeLensRequest, CompletionRequest, DefinitionRequest, DidChangeConfigurationNotification, DidChangeTextDocumentNotification, ExecuteCommandRequest, HoverRequest,
    type CompletionItem, type CompletionList, type Hover, type LocationLink, type MarkupContent
} from 'vscode-languageserver-protocol/node.js';
// @ts-expect-error: a plain ES module script without types
import { bundle } from '../../packages/vscode/scripts/build.mjs';
import { startServer, type TestClient } from './lsp-client.js';

const ROOT = join(import.meta.dirname, '../..');
const ACME = join(ROOT, 'examples/packs/acme-ppo/acme-ppo.payrule');
const MEDICARE = join(ROOT, 'examples/packs/medicare/medicare.payrule');
const WEEK = join(ROOT, 'examples/sessions/week.csv');
const acmeUri = pathToFileURL(ACME).toString();
const acmeText = readFileSync(ACME, 'utf8');

/** The LSP position of the first occurrence of `needle` in the Acme pack (or `text`), `offset` characters into it. */
function positionOf(needle: string, offset = 0, text = acmeText) {
    const lines = text.split('\n');
    const line = lines.findIndex(text => text.includes(needle));
    return { line, character: lines[line]!.indexOf(needle) + offset };
}

let client: TestClient;

beforeAll(async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'payrule-server-'));
    const { server } = await bundle({ outdir, serverOnly: true });
    client = await startServer({ args: [server, '--stdio'], workspaceFolders: null, settings: { sessions: [WEEK] } });
}, 60_000);

afterAll(async () => {
    await client?.stop();
});

describe('payrule-language-server --stdio', () => {
    test('announces the features it serves, the check command among them', () => {
        const caps = client.capabilities;
        for (const feature of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider',
            'foldingRangeProvider', 'documentFormattingProvider', 'codeActionProvider', 'codeLensProvider'] as const) {
            expect(caps[feature], feature).toBeTruthy();
        }
        expect(caps.executeCommandProvider?.commands).toContain('payrule.check');
    });

    test('an opened policy gets diagnostics, with its imported packs loaded from disk', async () => {
        client.open(acmeUri, acmeText);
        const published = await client.diagnostics(acmeUri);
        expect(published.diagnostics.filter(d => d.severity === 1 || d.severity === 2).map(d => d.message)).toEqual([]);
    });

    test('completion proposes codes with their summary and kind', async () => {
        const result = await client.connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri: acmeUri }, position: positionOf('97530 at most 4', 0)
        }) as CompletionList;
        const code = result.items.find((item: CompletionItem) => item.label === '97530');
        expect(code?.detail).toBe('timed · PT, OT');
        expect(code?.labelDetails?.description).toMatch(/^Therapeutic activities/);
    });

    test('hover on a base payer shows its id and rules', async () => {
        const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: acmeUri }, position: positionOf('extends Medicare', 10) }) as Hover;
        expect((hover.contents as MarkupContent).value).toMatch(/^\*\*payer Medicare\*\* · id `"medicare"`/);
    });

    test('go to definition lands in the imported Medicare pack', async () => {
        const links = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: acmeUri }, position: positionOf('without kx', 9) }) as LocationLink[];
        expect(links.map(link => link.targetUri)).toEqual([pathToFileURL(MEDICARE).toString()]);
        const line = readFileSync(MEDICARE, 'utf8').split('\n')[links[0]!.targetSelectionRange.start.line]!;
        expect(line).toMatch(/threshold kx error/);
    });

    test('a code lens on the payer runs the configured sessions file', async () => {
        const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: acmeUri } });
        expect(lenses?.map(lens => [lens.command?.title, lens.command?.command, ...(lens.command?.arguments ?? [])])).toEqual([
            ['Check sessions: week.csv', 'payrule.checkSessions', acmeUri, pathToFileURL(WEEK).toString(), 'acme-ppo']
        ]);
    });

    test('changing the sessions setting refreshes the lenses', async () => {
        const other = join(ROOT, 'examples/sessions/week.json');
        await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { payrule: { sessions: [WEEK, other] } } });
        await expect.poll(() => client.codeLensRefreshes()).toBeGreaterThan(0);
        const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: acmeUri } });
        expect(lenses?.map(lens => lens.command?.title)).toEqual(['Check sessions: week.csv', 'Check sessions: week.json']);
    });

    test('payrule.check runs the policy on the example sessions and returns the report', async () => {
        const report = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'payrule.check', arguments: [acmeUri, WEEK] }) as {
            format: string; summary: { records: number; evaluated: number; rejected: number }; sessions: { id: string; payer: string; findings: { rule: string; location?: { uri: string } }[] }[]
        };
        expect(report.format).toBe('payrule-report/1');
        expect(report.summary.records).toBe(report.summary.evaluated + report.summary.rejected);
        expect(report.sessions.some(session => session.payer === 'acme-ppo')).toBe(true);
        const findings = report.sessions.flatMap(session => session.findings);
        expect(findings.length).toBeGreaterThan(0);
        expect(new Set(findings.map(finding => finding.location?.uri))).toEqual(new Set([pathToFileURL(WEEK).toString()]));
    });

    test('a failing policy test shows on its expectation, and its Run test lens runs it', async () => {
        const uri = pathToFileURL(join(ROOT, 'examples/packs/medicare/e2e-failing.payrule')).toString();
        const text = [
            'package e2e.failing',
            'import cms.medicare',
            '',
            'test "38 minutes billed as 4 units" {',
            '    session payer "medicare" discipline PT',
            '        line 97530 minutes 38 units 4 modifiers GP',
            '    expect units 97530 = 4',
            '}',
            ''
        ].join('\n');
        client.open(uri, text);
        const published = await client.diagnostics(uri, params => params.diagnostics.some(d => d.message.startsWith('This expectation fails')));
        const failure = published.diagnostics.find(d => d.message.startsWith('This expectation fails'))!;
        expect(failure.message).toMatch(/expected 4 units of 97530, got 3/);
        expect(failure.range.start.line).toBe(6);
        const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
        const run = lenses?.find(lens => lens.command?.title === 'Run test')?.command;
        expect(run).toMatchObject({ command: 'payrule.runTests', arguments: [uri, '38 minutes billed as 4 units'] });
        const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: run!.command, arguments: run!.arguments }) as {
            summary: { total: number; passed: number; failed: number }; tests: { failures: { message: string; line: number }[] }[]
        };
        expect(result.summary).toEqual({ total: 1, passed: 0, failed: 1 });
        expect(result.tests[0]!.failures[0]).toMatchObject({ line: 7 });
    });

    test('an edit is checked as it is typed', async () => {
        const text = acmeText.replace('without kx\n', 'without kxx\n');
        await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: acmeUri, version: 2 }, contentChanges: [{ text }] });
        const published = await client.diagnostics(acmeUri, params => params.diagnostics.some(d => d.severity === 1));
        const error = published.diagnostics.find(d => d.severity === 1)!;
        expect(error.message).toMatch(/'kxx'/);
        expect(error.range.start).toEqual(positionOf('without kxx', 'without '.length, text));
    });
});

const BUILT = join(ROOT, 'packages/language/dist/server.mjs');

describe.skipIf(!existsSync(BUILT))('the payrule-language-server bin (after npm run build)', () => {
    test('starts the bundled server over stdio, which loads imported packs, validates and hovers', async () => {
        const bin = await startServer({ args: [join(ROOT, 'packages/language/bin/payrule-language-server.js'), '--stdio'], workspaceFolders: null });
        try {
            expect(bin.capabilities.executeCommandProvider?.commands).toContain('payrule.check');
            const text = acmeText.replace('without kx\n', 'without kxx\n');
            bin.open(acmeUri, text);
            const published = await bin.diagnostics(acmeUri, params => params.diagnostics.some(d => d.severity === 1));
            expect(published.diagnostics.find(d => d.severity === 1)!.message).toMatch(/'kxx'/);
            const hover = await bin.connection.sendRequest(HoverRequest.type, { textDocument: { uri: acmeUri }, position: positionOf('extends Medicare', 10, text) }) as Hover;
            expect((hover.contents as MarkupContent).value).toMatch(/^\*\*payer Medicare\*\*/);
        } finally {
            await bin.stop();
        }
    });
});
