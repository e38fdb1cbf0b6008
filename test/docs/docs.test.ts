/**
 * Keeps docs/*.md true. Every fenced example marked for testing is run as a reader would run it:
 *
 * ```payrule [file=PATH] [with=PATH,PATH] [fragment] [expect-error="text"] [expect-warning="text"]
 *   Compiled with the example packs it imports (cpt.therapy, cms.medicare, acme.ppo from
 *   examples/packs). No error or warning may appear except the expected ones; the tests it
 *   declares must pass. `file=` names the snippet (a later block with the same name replaces it,
 *   as a reader edits a file); `with=` loads named snippets alongside; `fragment` wraps payer
 *   members in `payer Fragment id "fragment" { ... }` with the catalog imported.
 * ```json session / ```ndjson session / ```csv session [policy=PATH|examples] [as-of=DATE] [file=PATH]
 *   Session records, checked against the named snippet (default: the latest payrule block
 *   before it), or against all example packs with `policy=examples`. The next
 *   ```text findings [session=ID] block states the result for the last session (or ID):
 *   one `SEVERITY rule-id: message` line per finding (`...` inside a message skips words, a
 *   line `...` allows further findings), `units: 97110=2 97140=1`, `rejected N: reason`, `none`.
 * ```sh cli [exit=N]
 *   Each `npx payrule ...` line runs in a project folder holding the doc's `file=` blocks (and
 *   what its `cp -r ../examples/...` lines copy); the last must exit with N (default 0). A
 *   following ```text output block must appear in the output (whitespace aside; `...` lines skip).
 *
 * Failures name the doc file and line.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { afterAll, describe, expect, it } from 'vitest';
import {
    evaluate, parseCsvText, parseJsonText, parseNdjsonText, runPolicyTests,
    type Finding, type PolicyBundle, type Rejection, type Report, type SessionInput
} from '@payrule/engine';
import { compilePolicy, createPayruleServices } from '@payrule/language';
import { runCli } from '../../packages/cli/src/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const PACKS = join(ROOT, 'examples/packs');

// ------------------------------------------------------------------ reading the docs

interface Block {
    doc: string;
    /** 1-based line of the opening fence. */
    line: number;
    lang: string;
    attrs: Map<string, string[]>;
    flags: Set<string>;
    text: string;
}

function readBlocks(doc: string): Block[] {
    const lines = readFileSync(join(DOCS, doc), 'utf8').split(/\r?\n/);
    const blocks: Block[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)(`{3,})\s*([\w-]+)?\s*(.*)$/.exec(lines[i]!);
        if (!open) continue;
        const fence = open[2]!;
        const body: string[] = [];
        let j = i + 1;
        while (j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j]!)) body.push(lines[j++]!);
        const { attrs, flags } = parseInfo(open[4] ?? '');
        const indent = open[1]!.length;
        blocks.push({ doc, line: i + 1, lang: open[3] ?? '', attrs, flags, text: body.map(l => l.slice(Math.min(indent, l.search(/\S|$/)))).join('\n') });
        i = j;
    }
    return blocks;
}

/** `session file=week.csv expect-error="a b"` -> attributes and flags. */
function parseInfo(info: string): { attrs: Map<string, string[]>; flags: Set<string> } {
    const attrs = new Map<string, string[]>();
    const flags = new Set<string>();
    for (const match of info.matchAll(/([\w-]+)(?:=(?:"((?:[^"\\]|\\.)*)"|(\S+)))?/g)) {
        const [, key, quoted, plain] = match;
        if (quoted === undefined && plain === undefined) flags.add(key!);
        else attrs.set(key!, [...(attrs.get(key!) ?? []), (quoted ?? plain)!.replace(/\\(.)/g, '$1')]);
    }
    return { attrs, flags };
}

const one = (block: Block, key: string) => block.attrs.get(key)?.[0];
const where = (block: Block, offset = 0) => `docs/${block.doc}:${block.line + offset}`;

// ------------------------------------------------------------------ the example packs

const PACKAGE = /^\s*(?:(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/)\s*)*package\s+([\w.-]+)/;

/** Example pack sources by package name (test files left out: they belong to the packs' own suite). */
const examplePackages: Map<string, Record<string, string>> = (() => {
    const result = new Map<string, Record<string, string>>();
    for (const folder of readdirSync(PACKS)) {
        for (const file of readdirSync(join(PACKS, folder)).filter(f => f.endsWith('.payrule') && !f.endsWith('.tests.payrule'))) {
            const text = readFileSync(join(PACKS, folder, file), 'utf8');
            const name = PACKAGE.exec(text)?.[1];
            if (name) result.set(name, { ...(result.get(name) ?? {}), [`examples/${folder}/${file}`]: text });
        }
    }
    return result;
})();

const allExamples = () => Object.assign({}, ...examplePackages.values()) as Record<string, string>;

function importsOf(text: string): string[] {
    return [...text.matchAll(/^\s*import\s+([\w.-]+)\s*$/gm)].map(m => m[1]!);
}

/** The files plus the example packs they import, transitively, unless one of the files declares that package. */
function withExamples(files: Record<string, string>): Record<string, string> {
    const all = { ...files };
    const declared = new Set(Object.values(files).map(text => PACKAGE.exec(text)?.[1]).filter(Boolean));
    const queue = Object.values(files).flatMap(importsOf);
    while (queue.length > 0) {
        const name = queue.shift()!;
        if (declared.has(name)) continue;
        declared.add(name);
        const pack = examplePackages.get(name);
        if (!pack) continue;
        Object.assign(all, pack);
        queue.push(...Object.values(pack).flatMap(importsOf));
    }
    return all;
}

// ------------------------------------------------------------------ compiling policies

interface Built {
    documents: LangiumDocument[];
    bundle?: PolicyBundle;
    diagnostics: (name: string) => { line: number; severity: 'error' | 'warning' | 'info'; message: string; code?: string }[];
}

async function build(files: Record<string, string>): Promise<Built> {
    const { shared, Payrule } = createPayruleServices(EmptyFileSystem);
    const documents = Object.entries(files).map(([name, text]) => {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`memory:///${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    const diagnostics = (name: string) => (documents.find(d => d.uri.path === `/${name}`)?.diagnostics ?? []).map(d => ({
        line: d.range.start.line,
        severity: (d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info') as 'error' | 'warning' | 'info',
        message: d.message,
        ...(typeof d.code === 'string' ? { code: d.code } : {})
    }));
    const failed = documents.some(d => (d.diagnostics ?? []).some(x => x.severity === 1));
    return {
        documents,
        diagnostics,
        ...(failed ? {} : { bundle: compilePolicy(Payrule, documents, { fileName: d => d.uri.path.slice(1) }) })
    };
}

// ------------------------------------------------------------------ what each doc asks for

interface PolicyCase {
    kind: 'policy';
    block: Block;
    name: string;
    /** Lines added above the snippet (fragments), to report the doc's own line. */
    offset: number;
    files: Record<string, string>;
}

interface SessionCase {
    kind: 'session';
    block: Block;
    expected?: Block;
    policy: Record<string, string>;
}

interface CliCase {
    kind: 'cli';
    block: Block;
    expected?: Block;
    files: Record<string, string>;
    copies: [string, string][];
}

type Case = PolicyCase | SessionCase | CliCase;

const FRAGMENT_HEAD = 'package docs.fragment\nimport cpt.therapy\npayer Fragment id "fragment" {\n';

function casesOf(doc: string): Case[] {
    const blocks = readBlocks(doc);
    const cases: Case[] = [];
    /** Snippets and data files by name, as they stand at this point of the doc. */
    const files = new Map<string, string>();
    /** The workspace each named snippet was compiled in. */
    const workspaces = new Map<string, Record<string, string>>();
    const copies: [string, string][] = [];
    let latest: Record<string, string> | undefined;
    let pending: SessionCase | CliCase | undefined;
    for (const block of blocks) {
        if (block.lang === 'payrule') {
            const name = one(block, 'file') ?? `${doc.replace(/\W/g, '-')}-${block.line}.payrule`;
            const fragment = block.flags.has('fragment');
            const text = fragment ? `${FRAGMENT_HEAD}${block.text}\n}\n` : block.text;
            const companions: Record<string, string> = {};
            for (const other of (block.attrs.get('with') ?? []).flatMap(w => w.split(','))) {
                const known = files.get(other);
                if (known === undefined) throw new Error(`${where(block)}: with=${other} names no earlier file= block`);
                Object.assign(companions, workspaces.get(other) ?? { [other]: known });
            }
            const workspace = withExamples({ ...companions, [name]: text });
            files.set(name, text);
            workspaces.set(name, workspace);
            latest = workspace;
            cases.push({ kind: 'policy', block, name, offset: fragment ? -3 : 0, files: workspace });
        } else if (block.flags.has('session')) {
            const policyName = one(block, 'policy');
            const policy = policyName === 'examples' ? allExamples() : policyName ? workspaces.get(policyName) : latest;
            if (!policy) throw new Error(`${where(block)}: no policy for this session (policy=${policyName ?? ''})`);
            const file = one(block, 'file');
            if (file) files.set(file, block.text);
            pending = { kind: 'session', block, policy };
            cases.push(pending);
        } else if (block.lang === 'sh' || block.lang === 'bash') {
            for (const line of block.text.split('\n')) {
                const cp = /^\s*cp\s+-r\s+\.\.\/(\S+)\s+(\S+)\s*$/.exec(line);
                if (cp) copies.push([cp[1]!, cp[2]!]);
            }
            if (block.flags.has('cli')) {
                pending = { kind: 'cli', block, files: Object.fromEntries(files), copies: [...copies] };
                cases.push(pending);
            }
        } else if (block.lang !== 'payrule' && one(block, 'file')) {
            files.set(one(block, 'file')!, block.text);
        }
        if (block.lang === 'text' && (block.flags.has('findings') || block.flags.has('output'))) {
            const wanted = block.flags.has('findings') ? 'session' : 'cli';
            if (!pending || pending.kind !== wanted || pending.expected) {
                throw new Error(`${where(block)}: a text ${block.flags.has('findings') ? 'findings' : 'output'} block must follow a ${wanted} block`);
            }
            pending.expected = block;
        }
    }
    return cases;
}

// ------------------------------------------------------------------ checks

async function checkPolicy(test: PolicyCase): Promise<void> {
    const { block } = test;
    const built = await build(test.files);
    const fragment = block.flags.has('fragment');
    const diagnostics = built.diagnostics(test.name).filter(d => d.severity !== 'info' && !(fragment && d.code === 'no-unit-method'));
    const expected = [
        ...(block.attrs.get('expect-error') ?? []).map(text => ({ severity: 'error', text })),
        ...(block.attrs.get('expect-warning') ?? []).map(text => ({ severity: 'warning', text }))
    ];
    const show = (d: { line: number; severity: string; message: string }) => `${where(block, d.line + 1 + test.offset)} ${d.severity}: ${d.message}`;
    for (const want of expected) {
        const found = diagnostics.some(d => d.severity === want.severity && d.message.includes(want.text));
        expect(found, `${where(block)}: expected ${want.severity} "${want.text}"; got:\n${diagnostics.map(show).join('\n') || '(nothing)'}`).toBe(true);
    }
    const unexpected = diagnostics.filter(d => !expected.some(want => want.severity === d.severity && d.message.includes(want.text)));
    expect(unexpected.map(show), `${where(block)}: the snippet must compile cleanly`).toEqual([]);
    if (expected.some(want => want.severity === 'error')) return;
    expect(built.bundle, `${where(block)}: a file of the workspace has errors`).toBeDefined();
    const tests = (built.bundle!.tests ?? []).filter(t => t.location.file === test.name);
    if (tests.length === 0) return;
    const run = runPolicyTests({ ...built.bundle!, tests });
    const failures = run.outcomes.filter(o => !o.passed).map(o =>
        `${where(block, o.test.location.line + test.offset)} test "${o.test.name}": ${o.error ?? o.failures.map(f => f.message).join('; ')}`);
    expect(failures, `${where(block)}: the tests in the snippet must pass`).toEqual([]);
}

function readSessionBlock(block: Block): { inputs: SessionInput[]; rejected: Rejection[] } {
    if (block.lang === 'csv') {
        const read = parseCsvText(block.text);
        return { inputs: read.sessions.map(s => ({ session: s.session, record: s.record })), rejected: read.rejected };
    }
    if (block.lang === 'ndjson') {
        const read = parseNdjsonText(block.text);
        return { inputs: read.sessions.map(s => ({ session: s.session, record: s.record })), rejected: read.rejected };
    }
    // One session may be written as a bare object; the reader takes a list.
    const read = parseJsonText(block.text.trim().startsWith('[') ? block.text : `[${block.text}]`);
    return { inputs: read.sessions.map(s => ({ session: s.session, record: s.record })), rejected: read.rejected };
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const formatFinding = (f: Finding) => `${f.severity.toUpperCase()} ${f.rule}: ${f.message}`;

/** `a ... b`: the pieces in order; without `...`, the whole message. */
function messageMatches(pattern: string, message: string): boolean {
    const text = squash(message);
    if (!pattern.includes('...')) return squash(pattern) === text;
    let from = 0;
    for (const piece of pattern.split('...').map(squash).filter(Boolean)) {
        const at = text.indexOf(piece, from);
        if (at < 0) return false;
        from = at + piece.length;
    }
    return true;
}

async function checkSession(test: SessionCase): Promise<void> {
    const { block, expected } = test;
    expect(expected, `${where(block)}: a session example needs a text findings block after it`).toBeDefined();
    const built = await build(test.policy);
    expect(built.bundle, `${where(block)}: its policy does not compile`).toBeDefined();
    const input = readSessionBlock(block);
    const asOf = one(block, 'as-of');
    const report: Report = evaluate(built.bundle!, input.inputs, input.rejected, asOf ? { asOf } : {});
    const id = one(expected!, 'session');
    const result = id ? report.sessions.find(s => s.id === id) : report.sessions[report.sessions.length - 1];
    const actual = result?.findings ?? [];
    const shown = [
        ...actual.map(formatFinding),
        ...(result ? [`units: ${Object.entries(result.units).map(([c, u]) => `${c}=${u}`).join(' ')}`] : []),
        ...report.rejected.map(r => `rejected ${r.record}: ${r.error}`)
    ].join('\n');
    const at = (offset: number) => `${where(expected!, offset + 1)}`;
    const lines = expected!.text.split('\n');
    const claimed: { pattern: string; line: number }[] = [];
    let open = false;
    lines.forEach((raw, index) => {
        const line = raw.trim();
        if (line === '') return;
        if (line === '...') { open = true; return; }
        if (line === 'none') {
            expect(actual.map(formatFinding), `${at(index)}: expected no findings`).toEqual([]);
            return;
        }
        const units = /^units:\s*(.*)$/.exec(line);
        if (units) {
            expect(result, `${at(index)}: no session to read units from`).toBeDefined();
            for (const pair of units[1]!.split(/[\s,]+/).filter(Boolean)) {
                const [code, count] = pair.split('=');
                expect(result!.units[code!], `${at(index)}: supported units of ${code}; the session gives:\n${shown}`).toBe(Number(count));
            }
            return;
        }
        const rejected = /^rejected\s+(\d+):\s*(.*)$/.exec(line);
        if (rejected) {
            const match = report.rejected.find(r => r.record === Number(rejected[1]) && messageMatches(`...${rejected[2]}...`, r.error));
            expect(match, `${at(index)}: expected "${line}"; got:\n${shown}`).toBeDefined();
            return;
        }
        const finding = /^(ERROR|WARNING|INFO)\s+([\w-]+):\s*(.*)$/i.exec(line);
        expect(finding, `${at(index)}: not a findings line: ${line}`).not.toBeNull();
        claimed.push({ pattern: line, line: index });
    });
    const unmatched = [...actual];
    for (const claim of claimed) {
        const [, severity, rule, message] = /^(ERROR|WARNING|INFO)\s+([\w-]+):\s*(.*)$/i.exec(claim.pattern)!;
        const index = unmatched.findIndex(f => f.severity === severity!.toLowerCase() && f.rule === rule && messageMatches(message!, f.message));
        expect(index, `${at(claim.line)}: expected "${claim.pattern}"; the session gives:\n${shown}`).toBeGreaterThanOrEqual(0);
        unmatched.splice(index, 1);
    }
    if (!open && claimed.length > 0) {
        expect(unmatched.map(formatFinding), `${where(expected!)}: findings the block does not list (add them, or a line "...")`).toEqual([]);
    }
}

const projects: string[] = [];
afterAll(() => { for (const dir of projects) rmSync(dir, { recursive: true, force: true }); });

async function checkCli(test: CliCase): Promise<void> {
    const { block, expected } = test;
    const base = mkdtempSync(join(tmpdir(), 'payrule-docs-'));
    projects.push(base);
    const project = join(base, 'project');
    mkdirSync(project);
    for (const [from, to] of test.copies) cpSync(join(ROOT, from), join(project, to), { recursive: true });
    for (const [name, text] of Object.entries(test.files)) {
        mkdirSync(dirname(join(project, name)), { recursive: true });
        writeFileSync(join(project, name), text.endsWith('\n') ? text : `${text}\n`);
    }
    const commands = block.text.split('\n').map(l => /^\s*(?:npx\s+)?payrule\s+(.*)$/.exec(l)?.[1]).filter((c): c is string => c !== undefined);
    expect(commands.length, `${where(block)}: a cli block runs at least one payrule command`).toBeGreaterThan(0);
    let output = '';
    let code = 0;
    for (const [index, command] of commands.entries()) {
        let stdout = '';
        let stderr = '';
        const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map(m => m[1] ?? m[2]!);
        code = await runCli(args, {
            stdout: { write: (t: string) => { stdout += t; }, isTTY: false },
            stderr: { write: (t: string) => { stderr += t; } },
            stdin: Readable.from(['']),
            cwd: project,
            env: {}
        });
        output = stdout + stderr;
        if (index < commands.length - 1) expect(code, `${where(block)}: payrule ${command}\n${output}`).toBe(0);
    }
    expect(code, `${where(block)}: exit code of the last command; it printed:\n${output}`).toBe(Number(one(block, 'exit') ?? 0));
    if (!expected) return;
    const actual = squash(output);
    let from = 0;
    const segments = expected.text.split(/^\s*\.\.\.\s*$/m).map(squash).filter(Boolean);
    for (const segment of segments) {
        const at = actual.indexOf(segment, from);
        expect(at, `${where(expected)}: this part of the output is not printed (in this order):\n${segment}\n\nThe command printed:\n${output}`).toBeGreaterThanOrEqual(0);
        from = at + segment.length;
    }
}

// ------------------------------------------------------------------ the suite

const docs = existsSync(DOCS) ? readdirSync(DOCS).filter(f => f.endsWith('.md')).sort() : [];

describe('docs', () => {
    it('exist', () => {
        for (const name of ['tutorial.md', 'reference.md', 'cookbook.md', 'data.md']) expect(docs, name).toContain(name);
    });

    it('link to files that exist', () => {
        for (const doc of docs) {
            const text = readFileSync(join(DOCS, doc), 'utf8');
            for (const [, target] of text.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(?:#[^)]*)?\)/g)) {
                const path = join(DOCS, target!);
                // Pages that another piece of work is writing are allowed to be missing (say "coming" next to the link).
                if (!existsSync(path) && !/packs\.md$/.test(target!)) throw new Error(`docs/${doc}: link to ${target} leads nowhere`);
            }
        }
    });

    it('syntax diagrams cover every rule of the grammar', () => {
        const grammar = readFileSync(join(ROOT, 'grammar/payrule.langium'), 'utf8');
        const rules = [...grammar.matchAll(/^(?:entry\s+)?([A-Z]\w*)(?:\s+(?:infers|returns)\s+\w+)?\s*:/gm)].map(m => m[1]!)
            .filter(name => !/^(WS|ML_COMMENT|SL_COMMENT)$/.test(name));
        const html = readFileSync(join(DOCS, 'syntax.html'), 'utf8');
        const missing = rules.filter(rule => !html.includes(`>${rule}<`) && !html.includes(`"${rule}"`));
        expect(missing, 'docs/syntax.html is older than the grammar: regenerate it (npm run langium:generate)').toEqual([]);
    });

    for (const doc of docs) {
        const cases = casesOf(doc);
        // A page without tested examples (an index, a page another piece of work writes) has nothing to run.
        if (cases.length === 0) continue;
        describe(doc, () => {
            for (const test of cases) {
                const label = `${test.kind === 'policy' ? 'payrule' : test.kind} example at line ${test.block.line}`;
                if (test.kind === 'policy') it(label, () => checkPolicy(test));
                else if (test.kind === 'session') it(label, () => checkSession(test));
                else it(label, () => checkCli(test));
            }
        });
    }
});
