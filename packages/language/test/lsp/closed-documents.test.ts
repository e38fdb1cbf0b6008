/**
 * A policy closed without saving goes back to what is on disk, and so do the diagnostics of the
 * files that import it: they are not left checked against edits that were thrown away. The
 * server runs in-process (hardening/lsp-server.ts) on a workspace folder written here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startInProcessServer, type InProcessServer } from '../hardening/lsp-server.js';
import { errors, hasError, noErrors } from './published-diagnostics.js';

const BASE = 'package clinic.base\n\npayer Base id "base" {\n    units match error pooled source "s"\n}\n';
const CONTRACT = 'package clinic.contracts\nimport clinic.base\n\npayer Contract id "contract" extends Base {\n    without match\n}\n';
const EXTRA = 'package clinic.extra\n\npayer Extra id "extra" {\n    units match error pooled source "s"\n}\n';
const NEEDS_EXTRA = 'package clinic.more\nimport clinic.extra\n\npayer More id "more" extends Extra {\n}\n';

const root = mkdtempSync(join(tmpdir(), 'payrule-closed-'));
const uriOf = (name: string) => pathToFileURL(join(root, name)).toString();
let server: InProcessServer;

beforeAll(async () => {
    writeFileSync(join(root, 'base.payrule'), BASE);
    writeFileSync(join(root, 'contract.payrule'), CONTRACT);
    writeFileSync(join(root, 'needs-extra.payrule'), NEEDS_EXTRA);
    server = await startInProcessServer(root);
}, 60_000);

afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
});

test('closing an edited file without saving checks the files that extend it against the disk again', async () => {
    const base = uriOf('base.payrule');
    const contract = uriOf('contract.payrule');
    await server.edit(contract, CONTRACT);
    await server.edit(base, BASE);
    await server.diagnostics(contract, noErrors);

    // Renamed in the editor only: the contract's base payer is gone.
    const broken = server.nextDiagnostics(contract, hasError("Unknown payer 'Base'"));
    await server.edit(base, BASE.replace('payer Base', 'payer Basis'));
    await broken;

    // Closed without saving: the disk still declares Base.
    const restored = server.nextDiagnostics(contract, noErrors, 10_000);
    await server.close(base);
    expect(errors(await restored)).toEqual([]);
});

test('closing a file that is not on disk takes its declarations out of the workspace', async () => {
    const extra = uriOf('extra.payrule');
    const needsExtra = uriOf('needs-extra.payrule');
    await server.edit(needsExtra, NEEDS_EXTRA);
    await server.diagnostics(needsExtra, hasError("Cannot find the package 'clinic.extra'"));

    // A new file, never saved: while it is open, its package is there to import.
    const found = server.nextDiagnostics(needsExtra, noErrors);
    await server.edit(extra, EXTRA);
    await found;

    const lost = server.nextDiagnostics(needsExtra, hasError("Cannot find the package 'clinic.extra'"), 10_000);
    await server.close(extra);
    await lost;
});
