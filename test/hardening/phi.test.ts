/**
 * PHI: what Payrule says about a record it rejects, and what it prints when it fails, names the
 * record by position and id only. A rejection reason may quote a short value that shows what is
 * wrong ("minutes must be a non-negative integer, not -5"), never a note's text or a patient's
 * name, and crash output never dumps a session.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCsvText, parseJsonText, parseNdjsonText, parseSessionRecord } from '@payrule/engine';
import { runCli } from '../../packages/cli/src/index.js';
import { AS_OF, PACKS, payrule, ROOT } from '../cli/run-payrule.js';
import { CSV_HEADER, csvRow, goodSession, line, ndjson } from './bad-inputs.js';
import { fuzz, FUZZ_TIMEOUT } from './support.js';

/** A patient's name and a note's words: neither may appear in any reason or message. */
const NAME = 'Jane Q. Roe';
const NOTE = 'Patient disclosed HIV status and lives with her daughter';

const dir = mkdtempSync(join(tmpdir(), 'payrule-phi-'));

function reasonsOf(read: { rejected: { error: string }[] }): string[] {
    return read.rejected.map(rejection => rejection.error);
}

describe('rejection reasons name the problem, not the data', () => {
    test('values that are not text or a number are described, not shown', () => {
        const parsed = parseSessionRecord(goodSession({
            patient: { name: NAME }, note: [NOTE], lines: [line({ modifiers: { note: NOTE } })], extra: [NAME], provider: [NAME]
        }), 1);
        expect(parsed.ok).toBe(false);
        const error = (parsed as { error: string }).error;
        expect(error).toContain('patient must be text, not an object');
        expect(error).toContain('note must be an object, not a list');
        expect(error).not.toContain(NAME);
        expect(error).not.toContain(NOTE);
    });

    test('a reason names the record by position and id, and the field', () => {
        const read = parseJsonText(JSON.stringify([goodSession({ id: 'S-7', note: { activities: 42 }, lines: [line({ minutes: -5 })] })]));
        expect(read.rejected).toEqual([{ record: 1, id: 'S-7', error: 'claim line 1 (97530): minutes must be a non-negative integer, not -5; note element "activities" must be text, not 42' }]);
    });

    test('a reason never quotes a note or a name put in the wrong field, nor a value longer than a few words', () => {
        // A name in the date field, a note pasted into `discipline` (here 11,200 characters): the
        // reason goes into reports, logs and the audit history, so it gives the text's length only.
        const read = parseJsonText(JSON.stringify([
            goodSession({ date: `${NAME} 1970-01-01` }),
            goodSession({ id: 'S-2', discipline: NOTE.repeat(200) }),
            goodSession({ id: 'S-3', provider: { role: NAME } }),
            goodSession({ id: 'S-4', lines: [line({ minutes: NOTE })] })
        ]));
        expect(reasonsOf(read)).toEqual([
            'date must be an ISO date (YYYY-MM-DD), not text of 22 characters', 'discipline must be PT, OT or SLP, not text of 11200 characters',
            'provider.role must be PT, PTA, OT, OTA, SLP, SLPA or other, not text of 11 characters',
            'claim line 1 (97530): minutes must be a non-negative integer, not text of 56 characters'
        ]);
        for (const reason of reasonsOf(read)) {
            expect(reason).not.toContain(NAME);
            expect(reason).not.toContain(NOTE);
            expect(reason.length).toBeLessThan(300);
        }
    });

    test('a CSV session whose rows disagree on a note element is rejected without quoting the note', () => {
        // The column and the rows, not the two notes.
        const read = parseCsvText(`${CSV_HEADER}\n${csvRow()}\n${csvRow({ code: '97110', minutes: '10', units: '1', note_activities: NOTE })}\n`);
        expect(read.rejected).toEqual([{ record: 2, id: 'S-1', error: 'row 3: note_activities differs from row 2' }]);
    });

    test('a broken NDJSON line is rejected without quoting its text', () => {
        // V8's message here quotes the text around the error (`Unexpected token 'J', ..."activities":
        // Jane Q. Roe"... is not valid JSON`): the reason names the position and what was expected.
        const read = parseNdjsonText(`{"id":"S-1","patient":"P-1","note":{"activities":${NAME} HIV}}\n`);
        expect(reasonsOf(read)).toEqual(['broken JSON: Unexpected character in JSON at position 49: expected a value (text goes in double quotes)']);
    });

    test('a .json file that is not JSON stops the run without quoting its text', async () => {
        // The message on standard error names the file, the line and column, and what was expected.
        writeFileSync(join(dir, 'invalid.json'), `[\n{"id":"S-1",\n"patient":${NAME}}]`);
        const run = await payrule(['check', '--policy', PACKS, '--format', 'json', ...AS_OF, join(dir, 'invalid.json')]);
        expect(run.code).toBe(2);
        expect(run.stderr).not.toContain('Jane');
        expect(run.stderr).toMatch(/invalid\.json is not valid JSON: Unexpected character in JSON at position 25 \(line 3, column 11\): expected a value/);
    });

    test('an NDJSON line broken anywhere (a name pasted in, cut short, a stray quote) is rejected without a word of it', () => {
        const text = JSON.stringify(goodSession({ note: { activities: NOTE } }));
        fc.assert(fc.property(fc.nat(), fc.constantFrom('name', 'cut', 'quote'), (at, how) => {
            const p = at % (text.length + 1);
            const broken = how === 'name' ? text.slice(0, p) + NAME + text.slice(p) : how === 'cut' ? text.slice(0, p) : `${text.slice(0, p)}"${text.slice(p)}`;
            for (const reason of reasonsOf(parseNdjsonText(`${broken}\n`))) expect(reason).not.toMatch(/Jane|Roe|HIV|daughter/);
        }), fuzz(300));
    }, FUZZ_TIMEOUT);

    test('NDJSON lines that break elsewhere (truncated, a stray comma) are rejected with a position only', () => {
        const read = parseNdjsonText(`${JSON.stringify(goodSession({ note: { activities: NOTE } })).slice(0, -30)}\n{"id":"S-2","note":{"activities":"${NOTE}",}}\n`);
        expect(reasonsOf(read)).toEqual([
            expect.stringMatching(/^broken JSON: Unterminated string in JSON at position \d+$/),
            expect.stringMatching(/^broken JSON: Expected double-quoted property name in JSON at position \d+/)
        ]);
        for (const reason of reasonsOf(read)) expect(reason).not.toContain('HIV');
    });
});

describe('the command line never prints a session', () => {
    test('a rejected record shows up in the text report by position, id and reason only', async () => {
        writeFileSync(join(dir, 'rejected.ndjson'), ndjson([goodSession({ note: { activities: NOTE }, lines: [line({ minutes: -1 })], patient: NAME })]));
        const run = await payrule(['check', '--policy', PACKS, ...AS_OF, join(dir, 'rejected.ndjson')]);
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(/S-1/);
        expect(run.stdout + run.stderr).not.toContain(NOTE);
        expect(run.stdout + run.stderr).not.toContain(NAME);
    });

    test('an internal error shows no record, note or name, and no stack, unless PAYRULE_DEBUG asks for them', async () => {
        writeFileSync(join(dir, 'one.json'), JSON.stringify([goodSession({ patient: NAME, note: { activities: NOTE } })]));
        // A writer that fails quoting what it was given, as a bug might: the report holds the session.
        const failing = (env: Record<string, string>) => {
            let stderr = '';
            return runCli(['check', '--policy', PACKS, '--format', 'json', ...AS_OF, join(dir, 'one.json')], {
                stdout: { write: (text: string) => { throw new Error(`cannot write ${text}`); } },
                stderr: { write: (text: string) => { stderr += text; } },
                cwd: ROOT,
                env
            }).then(code => ({ code, stderr }));
        };
        const plain = await failing({});
        expect(plain.code).toBe(2);
        expect(plain.stderr).toMatch(/^payrule: internal error: cannot write /);
        expect(plain.stderr).not.toContain(NAME);
        expect(plain.stderr).not.toContain(NOTE);
        expect(plain.stderr).not.toMatch(/^\s+at /m);
        expect(plain.stderr.split('\n')[0]!.length).toBeLessThan(200);
        const debug = await failing({ PAYRULE_DEBUG: '1' });
        expect(debug.stderr.split('\n')[0]!.length).toBeGreaterThan(plain.stderr.split('\n')[0]!.length);
        expect(debug.stderr).toMatch(/^\s+at /m);
    });

    test('an internal error whose message holds a note cut in the middle shows none of it', async () => {
        const note = `${NOTE}. `.repeat(40);
        let stderr = '';
        const code = await runCli(['check', '--policy', PACKS, ...AS_OF, join(dir, 'one.json')], {
            stdout: { write: () => { throw new Error(`bad note {"activities":"${note}"}`); } },
            stderr: { write: (text: string) => { stderr += text; } },
            cwd: ROOT,
            env: {}
        });
        expect(code).toBe(2);
        expect(stderr).not.toContain('HIV');
    });
});
