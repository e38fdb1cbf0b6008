/**
 * Language server benchmark: on a generated workspace of more than 5,000 lines of policy, starts
 * the bundled server over stdio as an editor would (workspace folder, then open a file) and
 * measures the time to the first diagnostics of the opened file, the time to new diagnostics
 * after an edit, and completion and hover latency (median and p95) over many positions.
 * Targets (issue 3): diagnostics under 1 s, completion median under 50 ms.
 *
 *   node bench/lsp.mjs [--files 12] [--rules 60] [--tests 25] [--samples 200] [--runs 3] [--json]
 *
 * Each run starts a fresh server; time to first diagnostics is reported over the runs, the other
 * figures come from the last run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
    CompletionRequest, ConfigurationRequest, createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification,
    ExitNotification, HoverRequest, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, RegistrationRequest,
    ShutdownRequest, StreamMessageReader, StreamMessageWriter
} from 'vscode-languageserver-protocol/node.js';
import { bundle } from '../packages/vscode/scripts/build.mjs';
import { generateWorkspace } from './lsp-workspace.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
    options: {
        files: { type: 'string', default: '12' },
        rules: { type: 'string', default: '60' },
        tests: { type: 'string', default: '25' },
        samples: { type: 'string', default: '200' },
        runs: { type: 'string', default: '3' },
        json: { type: 'boolean', default: false }
    }
});
const samples = Number(args.samples);

// --- workspace and server -------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'payrule-lsp-bench-'));
const workspace = join(work, 'workspace');
const { files, generatedLines } = generateWorkspace(workspace, join(ROOT, 'examples'), {
    files: Number(args.files), rules: Number(args.rules), tests: Number(args.tests)
});
const totalLines = policyFiles(workspace).reduce((sum, file) => sum + readFileSync(file, 'utf8').split('\n').length, 0);
const { server } = await bundle({ outdir: join(work, 'server'), serverOnly: true, minify: true });


/** One editor session on a fresh server: initialize with the workspace folder, open a file, edit it, complete and hover. */
async function session({ measureRequests }) {
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', chunk => { stderr += String(chunk); });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const diagnosticsWaiters = [];
    connection.onNotification(PublishDiagnosticsNotification.type, params => {
        for (const waiter of [...diagnosticsWaiters]) {
            if (waiter.uri === params.uri) {
                diagnosticsWaiters.splice(diagnosticsWaiters.indexOf(waiter), 1);
                waiter.resolve(params);
            }
        }
    });
    connection.onRequest(ConfigurationRequest.type, params => params.items.map(() => null));
    connection.onRequest(RegistrationRequest.type, () => null);
    connection.listen();
    const nextDiagnostics = uri => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} in 60 s\n${stderr}`)), 60_000);
        diagnosticsWaiters.push({ uri, resolve: params => { clearTimeout(timer); resolve(params); } });
    });

    const folder = pathToFileURL(workspace).toString();
    const startup = performance.now();
    await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'bench' }],
        capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } }
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const initialized = performance.now() - startup;

    // Time to first diagnostics: the server indexes the workspace, then builds and validates the opened file.
    const opened = files[0];
    const uri = pathToFileURL(opened).toString();
    let text = readFileSync(opened, 'utf8');
    const firstDiagnostics = nextDiagnostics(uri);
    const openedAt = performance.now();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'payrule', version: 1, text } });
    const published = await firstDiagnostics;
    const toFirstDiagnostics = performance.now() - openedAt;
    const problems = published.diagnostics.filter(d => d.severity === 1 || d.severity === 2);
    if (problems.length > 0) throw new Error(`the generated workspace should be clean: ${problems.slice(0, 3).map(d => d.message).join('; ')}`);

    const result = { initialized, toFirstDiagnostics };
    if (measureRequests) {
        // Diagnostics after an edit: a limit's number changes, as when someone types.
        const edits = [];
        for (let i = 0; i < 10; i++) {
            text = text.replace(/at most (\d+) units per/, (_m, n) => `at most ${(Number(n) % 3) + 2} units per`);
            const next = nextDiagnostics(uri);
            const at = performance.now();
            await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 + i }, contentChanges: [{ text }] });
            await next;
            edits.push(performance.now() - at);
        }
        const lines = text.split('\n');
        const positions = pattern => lines.flatMap((line, index) => [...line.matchAll(pattern)].map(match => ({ line: index, character: match.index + match[1].length })));
        const completionAt = [
            ...positions(/(error )9\d{4} at most/g),            // codes, with summary and kind
            ...positions(/(needs modifier )59/g),                // modifiers, with meaning
            ...positions(/(requires )[a-z-]+,/g),                // note elements used in the workspace
            ...positions(/(line )9\d{4} minutes/g)              // codes in test lines
        ];
        const hoverAt = [
            ...positions(/(error 97)\d{3} at most/g),           // a code
            ...positions(/(extends Me)dicare/g),                 // a payer
            ...positions(/(needs modifier )59/g),                // a modifier
            ...positions(/(override uni)ts units-match/g)        // a units rule: the chart
        ];
        result.edits = edits;
        result.lines = lines.length;
        result.completion = await timeRequests(completionAt, position =>
            connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), response => (response?.items?.length ?? 0) > 0);
        result.hover = await timeRequests(hoverAt, position =>
            connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), response => Boolean(response?.contents));
    }
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    connection.dispose();
    child.kill();
    return result;
}

const runs = [];
for (let run = 0; run < Number(args.runs); run++) runs.push(await session({ measureRequests: run === Number(args.runs) - 1 }));
const last = runs[runs.length - 1];

// --- report -----------------------------------------------------------------------------------

const result = {
    workspace: { files: policyFiles(workspace).length, lines: totalLines, generatedLines, openedFileLines: last.lines },
    initializeMs: stats(runs.map(r => r.initialized)),
    firstDiagnosticsMs: stats(runs.map(r => r.toFirstDiagnostics)),
    diagnosticsAfterEditMs: stats(last.edits),
    completionMs: stats(last.completion),
    hoverMs: stats(last.hover)
};
if (args.json) {
    console.log(JSON.stringify(result, null, 2));
} else {
    const rows = [
        ['workspace', `${result.workspace.files} files, ${result.workspace.lines} lines of policy (opened file: ${result.workspace.openedFileLines} lines)`, ''],
        ['initialize', describe(result.initializeMs), ''],
        ['first diagnostics after open', describe(result.firstDiagnosticsMs), verdict(result.firstDiagnosticsMs.median < 1000, 'median < 1 s')],
        ['diagnostics after an edit', describe(result.diagnosticsAfterEditMs), ''],
        ['completion', describe(result.completionMs), verdict(result.completionMs.median < 50, 'median < 50 ms')],
        ['hover', describe(result.hoverMs), '']
    ];
    const widths = [0, 1, 2].map(column => Math.max(...rows.map(row => row[column].length)));
    console.log('Payrule language server (stdio)');
    for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('   ').trimEnd());
}

// --- helpers ----------------------------------------------------------------------------------

/** Sends `samples` requests cycling over the positions, one at a time; each must give a useful answer. */
async function timeRequests(at, send, useful) {
    if (at.length === 0) throw new Error('no positions to measure');
    const times = [];
    for (let i = 0; i < samples; i++) {
        const position = at[i % at.length];
        const start = performance.now();
        const response = await send(position);
        times.push(performance.now() - start);
        if (!useful(response)) throw new Error(`empty answer at ${position.line + 1}:${position.character + 1}`);
    }
    return times;
}

function stats(times) {
    const sorted = [...times].sort((a, b) => a - b);
    const pick = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { n: sorted.length, median: round(pick(0.5)), p95: round(pick(0.95)), max: round(sorted[sorted.length - 1]) };
}

function describe(s) {
    return `median ${s.median} ms, p95 ${s.p95} ms, max ${s.max} ms (n=${s.n})`;
}

function verdict(ok, target) {
    return `${ok ? 'meets' : 'MISSES'} target ${target}`;
}

function round(ms) {
    return Math.round(ms * 10) / 10;
}

function policyFiles(dir) {
    return readdirSync(dir).flatMap(name => {
        const full = join(dir, name);
        return statSync(full).isDirectory() ? policyFiles(full) : name.endsWith('.payrule') ? [full] : [];
    });
}
