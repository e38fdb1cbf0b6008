/**
 * PHI: what Payrule says about a record it rejects, and what it prints when it fails, names the
 * record by position and id only. A rejection reason may quote a short value that shows what is
 * wrong ("minutes must be a non-negative integer, not -5"), never a note's text or a patient's
 * name, and crash output never dumps a session.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCsvText, parseJsonText, parseNdjsonText, parseSessionRecord } from '@payrule/engine';
import { runCli } from '../../packages/cli/src/index.js';
import { AS_OF, PACKS, payrule, ROOT } from '../cli/run-payrule.js';
import { CSV_HEADER, csvRow, goodSession, line, ndjson } from './bad-inputs.js';

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
        expect(read.rejected).toEqual([{ record: 1, id: 'S-7', error: 'line 0: minutes must be a non-negative integer, not -5; note element "activities" must be text, not 42' }]);
    });

    test.fails('ENGINE: a reason never quotes a note or a name put in the wrong field, nor a value longer than a few words', () => {
        // engine/src/util/text.ts describeValue() quotes any string in full: a name in the date
        // field, a note pasted into `discipline` (here 10,000 characters), all go into the reason
        // and from there into reports, logs and the audit history.
        const read = parseJsonText(JSON.stringify([
            goodSession({ date: `${NAME} 1970-01-01` }),
            goodSession({ id: 'S-2', discipline: NOTE.repeat(200) }),
            goodSession({ id: 'S-3', provider: { role: NAME } }),
            goodSession({ id: 'S-4', lines: [line({ minutes: NOTE })] })
        ]));
        for (const reason of reasonsOf(read)) {
            expect(reason).not.toContain(NAME);
            expect(reason).not.toContain(NOTE);
            expect(reason.length).toBeLessThan(300);
        }
    });

    test.fails('ENGINE: a CSV session whose rows disagree on a note element is rejected without quoting the note', () => {
        // engine/src/sessions/csv-text.ts assembleSession(): "row 3: note_activities \"...\" differs
        // from row 2 (\"...\")" quotes both notes in full.
        const read = parseCsvText(`${CSV_HEADER}\n${csvRow()}\n${csvRow({ code: '97110', minutes: '10', units: '1', note_activities: NOTE })}\n`);
        expect(read.rejected).toHaveLength(1);
        expect(read.rejected[0]!.error).not.toContain(NOTE);
    });

    test.fails('ENGINE: a broken NDJSON line is rejected without quoting its text', () => {
        // engine/src/sessions/json-text.ts ndjsonLineItem(): the reason is "broken JSON: " + the
        // JSON.parse message, and V8 quotes the text around the error: `Unexpected token 'J',
        // ..."activities":Jane Q. Roe"... is not valid JSON`.
        const read = parseNdjsonText(`{"id":"S-1","patient":"P-1","note":{"activities":${NAME} HIV}}\n`);
        expect(read.rejected).toHaveLength(1);
        expect(read.rejected[0]!.error).not.toContain('Jane');
    });

    test.fails('ENGINE: a .json file that is not JSON stops the run without quoting its text', async () => {
        // engine/src/sessions/json-text.ts jsonTextItems(): the InputError quotes V8's message, and
        // the CLI prints it on standard error.
        writeFileSync(join(dir, 'invalid.json'), `[{"id":"S-1","patient":${NAME}}]`);
        const run = await payrule(['check', '--policy', PACKS, '--format', 'json', ...AS_OF, join(dir, 'invalid.json')]);
        expect(run.code).toBe(2);
        expect(run.stderr).not.toContain('Jane');
    });

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
