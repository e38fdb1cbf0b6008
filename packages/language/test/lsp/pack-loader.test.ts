/**
 * The server loads from disk what an opened policy imports but the workspace lacks: packs by
 * name (found like the command line finds them) and files by relative path, transitively.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { expect, test } from 'vitest';
import { PackLoader } from '../../src/lsp/pack-loader.js';
import { createPayruleServices } from '../../src/payrule-module.js';
import { EXAMPLES } from '../policy-workspace.js';

test('a payer pack opened on its own brings its base payer and the code catalog', async () => {
    const root = mkdtempSync(join(tmpdir(), 'payrule-packs-'));
    cpSync(EXAMPLES, join(root, 'packs'), { recursive: true });
    writeFileSync(join(root, 'packs/clinic.payrule'), 'package clinic\nimport "./acme-ppo/acme-ppo.payrule"\n');
    const { shared } = createPayruleServices(NodeFileSystem);
    const opened = URI.file(join(root, 'packs/clinic.payrule'));
    await shared.workspace.LangiumDocuments.getOrCreateDocument(opened);

    const loaded = await new PackLoader(shared).loadImportedPacks([opened]);

    const names = loaded.map(uri => uri.path.slice(root.length + '/packs/'.length)).sort();
    expect(names).toContain('acme-ppo/acme-ppo.payrule');
    expect(names).toContain('medicare/medicare.payrule');
    expect(names).toContain('cpt-therapy/therapy-codes.payrule');
    const documents = shared.workspace.LangiumDocuments.all.toArray();
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    const clinic = shared.workspace.LangiumDocuments.getDocument(opened)!;
    expect(clinic.diagnostics?.filter(d => d.severity === 1)).toEqual([]);
});
