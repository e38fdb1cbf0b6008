/**
 * A policy whose only link to another file is an import line is checked again when that file
 * appears, changes or goes away: its "Cannot find the package" error does not outlive the
 * package. Imports are not references in Langium's sense, so this is the server's own doing
 * (workspace/payrule-document-builder.ts). The server runs in-process (hardening/lsp-server.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../hardening/lsp-server.js';
import { errors, hasError, noErrors } from './published-diagnostics.js';

const A = 'package clinic.a\nimport clinic.extra\n\npayer A id "a" {\n    units units-match error pooled\n}\n';
const EXTRA = 'package clinic.extra\n';
const NOTES_IMPORTER = 'package clinic.b\nimport "./notes.payrule"\n\npayer B id "b" {\n    units units-match error pooled\n}\n';
const NOTES = 'package clinic.notes\n';

const root = mkdtempSync(join(tmpdir(), 'payrule-import-only-'));
const uriOf = (name: string) => pathToFileURL(join(root, name)).toString();
let server: InProcessServer;

beforeAll(async () => {
    server = await startInProcessServer(root);
}, 60_000);

afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
});

test('a package that appears in the workspace clears the import error of a file that only imports it', async () => {
    const a = uriOf('a.payrule');
    const extra = uriOf('extra.payrule');
    await server.edit(a, A);
    const missing = await server.diagnostics(a, hasError("Cannot find the package 'clinic.extra'"));
    // The import is the only error: nothing else in the file needs the package.
    expect(errors(missing)).toHaveLength(1);

    const found = server.nextDiagnostics(a, noErrors, 10_000);
    await server.edit(extra, EXTRA);
    expect(errors(await found)).toEqual([]);

    // Renamed in the editor: the import has nothing to find again.
    const lost = server.nextDiagnostics(a, hasError("Cannot find the package 'clinic.extra'"), 10_000);
    await server.edit(extra, 'package clinic.extras\n');
    await lost;
});

test('a file imported by its path clears the import error when it is opened, and brings it back when it is gone', async () => {
    const importer = uriOf('b.payrule');
    const notes = uriOf('notes.payrule');
    await server.edit(importer, NOTES_IMPORTER);
    await server.diagnostics(importer, hasError('Cannot find the file "./notes.payrule"'));

    // A new file, never saved: while it is open, it is there to import.
    const found = server.nextDiagnostics(importer, noErrors, 10_000);
    await server.edit(notes, NOTES);
    expect(errors(await found)).toEqual([]);

    // Closed without saving: not on disk, so no longer in the workspace.
    const lost = server.nextDiagnostics(importer, hasError('Cannot find the file "./notes.payrule"'), 10_000);
    await server.close(notes);
    await lost;
});
