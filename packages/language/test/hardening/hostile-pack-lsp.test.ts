/**
 * Packs are data, in the editor: the language server opens a pack whose imports try to leave it
 * (climbing, absolute, through a symbolic link) and refuses each import on its line, as the
 * command line does, without ever loading the file outside; a pack whose messages look like code
 * or markup shows them as literal text in hovers (no links, images or HTML). The server runs
 * in-process (lsp-server.ts), with the hostile pack as its workspace folder.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol/node.js';
import { SECRET, writeHostilePacks, type HostileLayout } from '../../../../test/hardening/hostile-pack.js';
import { startInProcessServer, type InProcessServer } from './lsp-server.js';

const root = mkdtempSync(join(tmpdir(), 'payrule-hostile-lsp-'));
let layout: HostileLayout;
let server: InProcessServer;

beforeAll(async () => {
    layout = writeHostilePacks(root);
    server = await startInProcessServer(layout.escaping);
}, 60_000);

afterAll(async () => {
    await server?.stop();
});

describe('the language server opens a hostile pack safely', () => {
    test('each import that leaves the pack is refused on its line, and the file outside is never loaded', async () => {
        const file = join(layout.escaping, 'escaping.payrule');
        const uri = pathToFileURL(file).toString();
        await server.edit(uri, readFileSync(file, 'utf8'));
        const published = await server.diagnostics(uri, params => params.diagnostics.length > 0);
        const errors = published.diagnostics.filter(d => d.severity === 1).map(d => `${d.range.start.line + 1}: ${d.message}`);
        expect(errors).toEqual(expect.arrayContaining([
            expect.stringMatching(/^2: Import "\.\.\/outside\/secret\.payrule" reaches outside the pack's folder/),
            expect.stringMatching(/^3: Import "\.\/\.\.\/\.\.\/outside\/secret\.payrule" reaches outside the pack's folder/),
            expect.stringMatching(/^4: Import "\/etc\/passwd" is an absolute path/),
            expect.stringMatching(/^5: Import "file:\/\/\/etc\/passwd" is an absolute path/),
            expect.stringMatching(/^6: Import "\.\/link\.payrule" is a symbolic link to a file outside/),
            expect.stringMatching(/^9: Unknown code or code set '99991'/)
        ]));
        expect(JSON.stringify(published)).not.toContain(SECRET);
        // The server published diagnostics only for files of the pack: it never built a document outside it.
        for (const published of server.published()) expect(published.startsWith(pathToFileURL(layout.escaping).toString())).toBe(true);
    });

    test('messages that look like code or markup are literal text in hovers', async () => {
        const file = join(layout.codeLike, 'code-like.payrule');
        const uri = pathToFileURL(file).toString();
        const text = readFileSync(file, 'utf8');
        await server.edit(uri, text);
        const published = await server.diagnostics(uri);
        expect(published.diagnostics.filter(d => d.severity === 1).map(d => d.message)).toEqual([]);
        const lines = text.split('\n');
        for (const id of ['r2', 'r3']) {
            const line = lines.findIndex(l => l.includes(`rule ${id} `));
            const hover = await server.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: lines[line]!.indexOf(id) } }) as Hover;
            const value = (hover.contents as MarkupContent).value;
            expect(value).toMatch(new RegExp(`^\\*\\*rule ${id}\\*\\*`));
            expect(value).not.toMatch(/<script|<img/);
            expect(value).toContain('&lt;');
        }
    });
});
