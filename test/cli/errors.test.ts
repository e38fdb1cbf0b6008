import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/index.js';
import { AS_OF, expectOneLine, FIXTURES, PACKS, payrule, ROOT } from './run-payrule.js';

const sessions = `${FIXTURES}/sessions.json`;

function tempDir(): string {
    return mkdtempSync(join(tmpdir(), 'payrule-cli-'));
}

describe('payrule: invalid commands exit 2 with one line', () => {
    it.each([
        ['an unknown option', ['check', '--policy', PACKS, '--frmat', 'json', sessions], /unknown option '--frmat'/],
        ['a missing --policy', ['check', sessions], /required option '--policy <path>' not specified/],
        ['no sessions file', ['check', '--policy', PACKS], /missing required argument 'files'/],
        ['an unknown format', ['check', '--policy', PACKS, '--format', 'xml', sessions], /'xml' is invalid/],
        ['a date that is not a date', ['check', '--policy', PACKS, '--as-of', '2026-02-30', sessions], /YYYY-MM-DD/],
        ['an unknown command', ['chekc'], /unknown command 'chekc'/]
    ])('%s', async (_name, args, message) => {
        const run = await payrule(args);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(expectOneLine(run.stderr)).toMatch(message);
    });

    it('a missing sessions file', async () => {
        const run = await payrule(['check', '--policy', PACKS, ...AS_OF, 'no/such/sessions.json']);
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/^payrule: .*no\/such\/sessions\.json/);
    });

    it('a missing policy path', async () => {
        const run = await payrule(['check', '--policy', 'no/such/packs', sessions]);
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/^payrule: .*no\/such\/packs/);
    });

    it.each([
        ['check', ['check', '--policy', 'examples/sessions/week.csv', PACKS], 'examples/sessions/week.csv'],
        ['check, among other policies', ['check', '--policy', PACKS, '--policy', 'README.md', sessions], 'README.md'],
        ['compile', ['compile', 'examples/sessions/week.csv'], 'examples/sessions/week.csv'],
        ['test', ['test', 'examples/sessions/week.csv'], 'examples/sessions/week.csv'],
        ['diff', ['diff', PACKS, 'examples/sessions/week.csv'], 'examples/sessions/week.csv']
    ])('a file that is not a policy, given as one: %s', async (_name, args, file) => {
        const run = await payrule(args);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(expectOneLine(run.stderr)).toBe(`payrule: '${file}' is not a policy: give a .payrule file, a pack folder, a pack archive (.tgz),`
            + " an installed pack's name or a compiled policy (.json).");
    });

    it('a compiled policy that is not JSON', async () => {
        const file = join(tempDir(), 'policy.json');
        writeFileSync(file, '{ not json');
        const run = await payrule(['check', '--policy', file, sessions]);
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/policy\.json.*not valid JSON/);
    });

    it('a compiled policy that is JSON but not a policy', async () => {
        const file = join(tempDir(), 'policy.json');
        writeFileSync(file, '{ "format": "something-else" }\n');
        const run = await payrule(['check', '--policy', file, sessions]);
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/policy\.json/);
    });
});

describe('payrule: invalid policies exit 2 with file:line:column', () => {
    const broken = () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'broken.payrule'), 'package broken.pack version "1.0.0"\n\npayer Broken id "broken" {\n    units nonsense here\n}\n');
        return dir;
    };

    it('check', async () => {
        const dir = broken();
        const run = await payrule(['check', '--policy', join(dir, 'broken.payrule'), sessions], { cwd: dir });
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^broken\.payrule:\d+:\d+: error: \S/m);
    });

    it('prints each diagnostic on one line', async () => {
        const dir = broken();
        const run = await payrule(['compile', 'broken.payrule'], { cwd: dir });
        for (const line of run.stderr.trimEnd().split('\n')) expect(line).toMatch(/^broken\.payrule:\d+:\d+: error: \S/);
    });

    it('says a syntax error in plain words, once: not the recovery of the parser after it, nor checks of what it could not read', async () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'amount.payrule'), [
            'package amount.pack version "1.0.0"', '',
            'payer Amount id "amount" {',
            '    threshold kx error when allowed this calendar year for PT exceeds 2480',
            '        require modifier KX',
            '}', ''
        ].join('\n'));
        const run = await payrule(['compile', 'amount.payrule'], { cwd: dir });
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toBe(
            "amount.payrule:4:71: error: Expected an amount such as $2,480.00 but found '2480'. (The rest of the file is checked once this is fixed.)");
    });

    it('puts an import it cannot find first: the unknown codes and modifiers after it follow from it', async () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'alone.payrule'), [
            'package alone.pack version "1.0.0"', 'import cpt.therapy', '',
            'payer Alone id "alone" {',
            '    units units-match error pooled',
            '    rule gp error on every line where code in therapy require modifier GP',
            '    limit mue-97012 error 97012 at most 1 unit per day',
            '    limit mue-97018 error 97018 at most 1 unit per day',
            '}', ''
        ].join('\n'));
        const run = await payrule(['compile', 'alone.payrule'], { cwd: dir });
        expect(run.code).toBe(2);
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines[0]).toMatch(/^alone\.payrule:2:8: error: Cannot find the package 'cpt\.therapy'/);
        expect(lines.slice(1).join('\n')).toMatch(/Unknown modifier 'GP'/);
        // Two limits on codes that do not resolve are not "the same codes" shadowing each other.
        expect(run.stderr).not.toMatch(/never adds a finding/);
    });

    it('prints warnings but still checks', async () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'warn.payrule'), [
            'package warn.pack version "1.0.0"', '',
            'payer Warn id "medicare" {',
            '    filing late error within 12 months of date of service',
            '}', ''
        ].join('\n'));
        const run = await payrule(['check', '--policy', 'warn.payrule', '--format', 'json', join(ROOT, sessions)], { cwd: dir });
        expect(run.stderr).toMatch(/^warn\.payrule:3:\d+: warning: .*no units rule/m);
        expect(run.code).not.toBe(2);
        expect(JSON.parse(run.stdout).summary.records).toBe(4);
    });

    it('compile', async () => {
        const dir = broken();
        const run = await payrule(['compile', 'broken.payrule', '-o', 'policy.json'], { cwd: dir });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^broken\.payrule:4:\d+: error: /m);
    });
});

describe('payrule: help, version, internal errors', () => {
    it('prints the version and help, exit 0', async () => {
        const version = await payrule(['--version']);
        expect(version.code).toBe(0);
        expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
        const help = await payrule(['check', '--help']);
        expect(help.code).toBe(0);
        expect(help.stdout).toContain('--policy <path>');
        expect(help.stdout).toContain('Exit status');
    });

    it('turns an unexpected exception into "internal error", exit 2, no stack', async () => {
        let stderr = '';
        const code = await runCli(['check', '--policy', PACKS, ...AS_OF, sessions], {
            stdout: { write: () => { throw new Error('stdout went away'); } },
            stderr: { write: (text: string) => { stderr += text; } },
            cwd: ROOT,
            env: {}
        });
        expect(code).toBe(2);
        expect(stderr).toMatch(/^payrule: internal error: stdout went away\n.*report/);
        expect(stderr).not.toMatch(/^\s+at /m);
    });
});
