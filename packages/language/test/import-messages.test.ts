/**
 * The message for an import that names no package speaks to where it is read: the command line
 * loads what --policy names, the editor what its workspace holds.
 */
import { EmptyFileSystem, URI } from 'langium';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node.js';
import { createPayruleServices } from '../src/payrule-module.js';

async function importMessages(inEditor: boolean): Promise<string[]> {
    const connection = inEditor ? createConnection(new StreamMessageReader(new PassThrough()), new StreamMessageWriter(new PassThrough())) : undefined;
    const { shared } = createPayruleServices({ ...EmptyFileSystem, ...(connection ? { connection } : {}) });
    const document = shared.workspace.LangiumDocumentFactory.fromString('package demo\nimport cms.medicare\n', URI.parse('memory:///demo.payrule'));
    shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build([document], { validation: true });
    connection?.dispose();
    return (document.diagnostics ?? []).map(d => d.message);
}

describe('an import of a package nothing declares', () => {
    test('on the command line: load its pack folder with --policy', async () => {
        expect(await importMessages(false)).toEqual([expect.stringContaining("Cannot find the package 'cms.medicare'. Load its pack folder with --policy,")]);
    });

    test('in the editor: open its pack folder in the workspace (no command-line option)', async () => {
        const messages = await importMessages(true);
        expect(messages).toEqual([expect.stringContaining("Cannot find the package 'cms.medicare'. Open its pack folder in the workspace,")]);
        expect(messages.join('\n')).not.toContain('--policy');
    });
});
