/**
 * Running a policy against sample sessions from the editor: the `payrule.check` command (through
 * the server's ExecuteCommandHandler) and the "Check sessions" code lens, on a copy of the
 * example packs in a temporary folder with its own payrule.json.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { describe, expect, test } from 'vitest';
import type { EditorReport } from '../../src/lsp/check-protocol.js';
import { policyFilesAt } from '../../src/node/pack-files.js';
import { createPayruleServices } from '../../src/payrule-module.js';
import { EXAMPLES } from '../policy-workspace.js';

const SESSIONS = join(EXAMPLES, '../sessions/week.csv');

/** A folder with the example packs, the sessions file and (optionally) a payrule.json, loaded and built. */
async function workspace(config?: object) {
    const root = mkdtempSync(join(tmpdir(), 'payrule-lsp-'));
    cpSync(EXAMPLES, join(root, 'packs'), { recursive: true });
    mkdirSync(join(root, 'sessions'));
    cpSync(SESSIONS, join(root, 'sessions/week.csv'));
    if (config) writeFileSync(join(root, 'payrule.json'), JSON.stringify(config));
    const { shared, Payrule } = createPayruleServices(NodeFileSystem);
    const documents = await Promise.all(policyFilesAt(join(root, 'packs')).map(file => shared.workspace.LangiumDocuments.getOrCreateDocument(URI.file(file))));
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    const acme = documents.find(doc => doc.uri.path.endsWith('acme-ppo.payrule'))!;
    const run = (args: unknown[]) => shared.lsp.ExecuteCommandHandler!.executeCommand('payrule.check', args) as Promise<EditorReport>;
    return { root, shared, Payrule, acme, run };
}

describe('payrule.check', async () => {
    const { root, acme, run } = await workspace();
    const csv = join(root, 'sessions/week.csv');
    const rows = readFileSync(csv, 'utf8').split(/\r?\n/);

    test('returns the engine report for the policy and the packs it imports', async () => {
        const report = await run([acme.uri.toString(), csv]);
        expect(report.format).toBe('payrule-report/1');
        expect(report.policies.map(p => p.package).sort()).toEqual(['acme.ppo', 'cms.medicare', 'cpt.therapy']);
        expect(report.summary.records).toBe(report.summary.evaluated + report.summary.rejected);
        expect(report.sessions.length).toBe(report.summary.evaluated);
        expect(new Set(report.sessions.map(s => s.payer))).toEqual(new Set(['medicare', 'acme-ppo']));
        expect(report.summary.sessionsWithFindings).toBeGreaterThan(0);
        expect(report.inputs).toEqual([{ file: csv, uri: URI.file(csv).toString(), sessions: expect.any(Number) }]);
    });

    test('each session and finding points at its row in the sessions file and at its rule in the policy', async () => {
        const report = await run([{ policy: acme.uri.toString(), sessions: [csv] }]);
        for (const session of report.sessions) {
            expect(session.location?.uri).toBe(URI.file(csv).toString());
            expect(rows[session.location!.range.start.line]).toContain(session.id);
            for (const finding of session.findings) {
                const row = rows[finding.location!.range.start.line]!;
                expect(row).toContain(session.id);
                if (finding.code !== undefined && finding.line !== undefined) expect(row).toContain(`,${finding.code},`);
                const policy = readFileSync(URI.parse(finding.policyLocation!.uri).fsPath, 'utf8').split('\n')[finding.policyLocation!.range.start.line]!;
                expect(policy).toMatch(new RegExp(`\\b${finding.rule}\\b`));
            }
        }
    });

    test('with a payer, only the sessions billed to it', async () => {
        const report = await run([acme.uri.toString(), csv, 'acme-ppo']);
        expect(report.sessions.length).toBeGreaterThan(0);
        expect(report.sessions.every(s => s.payer === 'acme-ppo')).toBe(true);
        expect(report.checked).toMatchObject({ payer: 'acme-ppo' });
        expect(report.checked.skipped).toBeGreaterThan(0);
    });

    test('a policy with errors is not run, and the error says where', async () => {
        const broken = join(root, 'packs/broken.payrule');
        writeFileSync(broken, 'package broken\nimport cms.medicare\npayer B id "b" extends Medicare {\n    limit cap error 99999 at most 2 units per day\n}\n');
        await expect(run([URI.file(broken).toString(), csv])).rejects.toThrow(/The policy has 1 error[\s\S]*broken\.payrule:4:21: .*'99999'/);
    });

    test('bad arguments and missing files are explained', async () => {
        await expect(run([])).rejects.toThrow(/takes a policy document URI and a sessions file/);
        await expect(run([acme.uri.toString(), join(root, 'sessions/none.csv')])).rejects.toThrow(/Cannot read sessions from .*none\.csv/);
        await expect(run([acme.uri.toString()])).rejects.toThrow(/No session file to check/);
    });
});

describe('Check sessions code lens', () => {
    test('one lens per payer and configured sessions file, from payrule.json', async () => {
        const { root, Payrule, shared } = await workspace({ sessions: ['sessions/week.csv'] });
        const medicare = shared.workspace.LangiumDocuments.all.find(doc => doc.uri.path.endsWith('medicare.payrule'))!;
        const lenses = await Payrule.lsp.CodeLensProvider!.provideCodeLens(medicare, { textDocument: { uri: medicare.uri.toString() } });
        const lines = medicare.textDocument.getText().split('\n');
        const payerLine = (name: string) => lines.findIndex(line => line.startsWith(`payer ${name} `)) + 1;
        const week = URI.file(join(root, 'sessions/week.csv')).toString();
        expect(lenses?.map(lens => [lens.range.start.line + 1, lens.command?.title, ...(lens.command?.arguments ?? [])])).toEqual([
            [payerLine('Medicare'), 'Check sessions: week.csv', medicare.uri.toString(), week, 'medicare'],
            [payerLine('Medicare2025'), 'Check sessions: week.csv', medicare.uri.toString(), week, 'medicare']
        ]);
        expect(lenses?.[0]?.command?.command).toBe('payrule.checkSessions');
    });

    test('the payrule.sessions setting comes first; with nothing configured the lens asks for a file', async () => {
        const { root, Payrule, shared, acme } = await workspace();
        const lens = async () => (await Payrule.lsp.CodeLensProvider!.provideCodeLens(acme, { textDocument: { uri: acme.uri.toString() } }))!;
        expect((await lens()).map(l => [l.command?.title, ...(l.command?.arguments ?? [])])).toEqual([['Check sessions…', acme.uri.toString(), null, 'acme-ppo']]);
        const elsewhere = join(root, 'other.csv');
        shared.workspace.ConfigurationProvider.updateConfiguration({ settings: { payrule: { sessions: [elsewhere] } } });
        expect((await lens()).map(l => l.command?.arguments?.[1])).toEqual([URI.file(elsewhere).toString()]);
    });
});
