/**
 * The installable extension: `npm run package` builds the bundles and the grammar and packs a
 * .vsix with vsce (offline, no prompts). Checks what is inside: the manifest, the bundled client
 * and server (the server is started from the archive and answers `initialize`), the grammar,
 * the language configuration and the snippets. About 3 seconds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../../../test/lsp/lsp-client.js';
import { readZip } from './zip.js';

const EXTENSION = join(import.meta.dirname, '..');
let files: Map<string, Buffer>;
const text = (name: string) => files.get(name)!.toString('utf8');

beforeAll(() => {
    execFileSync('npm', ['run', 'package'], { cwd: EXTENSION, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    files = readZip(readFileSync(join(EXTENSION, 'payrule.vsix')));
}, 90_000);

describe('payrule.vsix', () => {
    test('holds the manifest, the two bundles, the grammar, the language configuration and the snippets, and nothing else', () => {
        expect([...files.keys()].filter(name => name.startsWith('extension/')).sort()).toEqual([
            'extension/language-configuration.json',
            'extension/out/extension.cjs',
            'extension/out/server.cjs',
            'extension/package.json',
            'extension/readme.md',
            'extension/snippets/payrule.code-snippets',
            'extension/syntaxes/payrule.tmLanguage.json'
        ]);
    });

    test('the manifest declares the language, grammar, snippets, command and setting', () => {
        const manifest = JSON.parse(text('extension/package.json'));
        expect(manifest.main).toBe('./out/extension.cjs');
        expect(manifest.engines.vscode).toBe('^1.82.0');
        expect(manifest.contributes.languages[0]).toMatchObject({ id: 'payrule', extensions: ['.payrule'], configuration: './language-configuration.json' });
        expect(manifest.contributes.grammars[0]).toEqual({ language: 'payrule', scopeName: 'source.payrule', path: './syntaxes/payrule.tmLanguage.json' });
        expect(manifest.contributes.snippets[0].path).toBe('./snippets/payrule.code-snippets');
        expect(manifest.contributes.commands.map((c: { command: string; title: string }) => `${c.command}: ${c.title}`))
            .toContain('payrule.checkSessions: Check sessions against this policy');
        expect(manifest.contributes.configuration.properties['payrule.sessions'].type).toBe('array');
        expect(text('extension.vsixmanifest')).toContain('Id="payrule-vscode"');
    });

    test('the bundled server starts from the archive and serves payrule.check', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'payrule-vsix-'));
        const server = join(dir, 'server.cjs');
        writeFileSync(server, files.get('extension/out/server.cjs')!);
        const client = await startServer({ args: [server, '--stdio'] });
        expect(client.capabilities.executeCommandProvider?.commands).toContain('payrule.check');
        expect(client.capabilities.completionProvider).toBeTruthy();
        await client.stop();
    });

    test('the client bundle loads and exports activate and deactivate (vscode stubbed)', () => {
        const dir = mkdtempSync(join(tmpdir(), 'payrule-vsix-'));
        const file = join(dir, 'extension.cjs');
        writeFileSync(file, files.get('extension/out/extension.cjs')!);
        // Any API returns a stub; the namespaces the extension's own code imports are listed so esbuild's ESM interop copies them.
        const deep: object = new Proxy(function () { /* any vscode API */ }, { get: (_t, key) => (key === 'then' ? undefined : deep), apply: () => deep, construct: () => deep });
        const api = ['languages', 'window', 'commands', 'workspace', 'DiagnosticSeverity', 'Diagnostic', 'DiagnosticRelatedInformation', 'Location', 'Uri', 'Range', 'ProgressLocation'];
        const stub = new Proxy({}, {
            get: (_t, key) => (key === '__esModule' || key === 'then' ? undefined : deep),
            ownKeys: () => api,
            getOwnPropertyDescriptor: () => ({ configurable: true, enumerable: true, writable: false, value: deep })
        });
        const require = createRequire(file);
        const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
        const load = Module._load;
        Module._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? stub : load(request, ...rest));
        try {
            const extension = require(file) as { activate: unknown; deactivate: unknown };
            expect(typeof extension.activate).toBe('function');
            expect(typeof extension.deactivate).toBe('function');
        } finally {
            Module._load = load;
        }
    });

    test('the grammar adds codes, modifiers, money and dates to the generated keywords', () => {
        const grammar = JSON.parse(text('extension/syntaxes/payrule.tmLanguage.json'));
        expect(grammar.scopeName).toBe('source.payrule');
        const keywords = grammar.patterns.find((p: { name?: string }) => p.name === 'keyword.control.payrule');
        expect(keywords.match).toContain('threshold');
        for (const part of ['codes', 'modifier-list', 'money', 'dates', 'numbers', 'rule-header']) {
            expect(grammar.patterns).toContainEqual({ include: `#${part}` });
            expect(grammar.repository[part], part).toBeDefined();
        }
    });
});
