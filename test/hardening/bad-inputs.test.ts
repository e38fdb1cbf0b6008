/**
 * The catalogue of bad inputs (README.md lists it with the outcome of each): session files broken
 * the ways exports break them, checked with `payrule check --policy examples/packs --format json`
 * in-process. None crashes: each record lands in `rejected` with its position and a reason, or is
 * evaluated with a finding, or (when the file as a whole cannot be read) the run stops with one
 * line on standard error and exit 2. Nothing is lost: records = evaluated + rejected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCsvText, readSessions, type Report } from '@payrule/engine';
import { AS_OF, expectOneLine, payrule } from '../cli/run-payrule.js';
import { CSV_HEADER, csvRow, deeplyNested, goodSession, line, ndjson } from './bad-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'payrule-bad-inputs-'));

interface Checked {
    code: number;
    stderr: string;
    report?: Report;
    ms: number;
}

async function check(name: string, content: string | Buffer): Promise<Checked> {
    const file = join(dir, name);
    writeFileSync(file, content);
    const started = Date.now();
    const run = await payrule(['check', '--policy', 'examples/packs', '--format', 'json', ...AS_OF, file]);
    const report = run.stdout ? JSON.parse(run.stdout) as Report : undefined;
    if (report) {
        // Nothing is lost, whatever the input.
        expect(report.summary.records).toBe(report.summary.evaluated + report.summary.rejected);
        expect(report.sessions.length + report.rejected.length).toBe(report.summary.records);
    }
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    return { code: run.code, stderr: run.stderr, ms: Date.now() - started, ...(report ? { report } : {}) };
}

const reasons = (report?: Report) => report?.rejected.map(r => `${r.record}:${r.id ?? ''}: ${r.error}`) ?? [];
const rules = (report: Report | undefined, id: string) => report?.sessions.find(s => s.id === id)?.findings.map(f => f.rule) ?? [];

describe('truncated and invalid JSON', () => {
    test('a truncated .json file stops the run with one line naming the file (exit 2)', async () => {
        const run = await check('truncated.json', JSON.stringify([goodSession(), goodSession({ id: 'S-2' })]).slice(0, 150));
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/truncated\.json is not valid JSON: Unterminated string in JSON at position 150$/);
    });

    test('a truncated last NDJSON line is rejected with its line number; the lines before are checked', async () => {
        const run = await check('truncated.ndjson', ndjson([goodSession(), goodSession({ id: 'S-2', patient: 'P-2' })]).slice(0, -40));
        expect(run.code).toBe(1);
        expect(run.report!.summary).toMatchObject({ records: 2, evaluated: 1, rejected: 1 });
        expect(reasons(run.report)).toEqual([expect.stringMatching(/^2:: broken JSON: Unterminated string in JSON at position \d+$/)]);
    });

    test('an NDJSON line that is not JSON is rejected with its line number', async () => {
        const run = await check('invalid-line.ndjson', `${ndjson([goodSession()])}{"id":"S-2",,}\nnot json at all\n`);
        expect(run.report!.summary).toMatchObject({ records: 3, evaluated: 1, rejected: 2 });
        expect(reasons(run.report)).toEqual([expect.stringMatching(/^2:: broken JSON: /), expect.stringMatching(/^3:: broken JSON: /)]);
    });

    test('a .json file holding an object instead of an array stops the run with one line (exit 2)', async () => {
        const run = await check('object.json', JSON.stringify(goodSession()));
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/object\.json must hold a JSON array of sessions$/);
    });

    test('records of a .json array that are not objects are rejected one by one', async () => {
        const run = await check('not-objects.json', JSON.stringify([goodSession(), null, 42, 'S-9', [], true]));
        expect(run.report!.summary).toMatchObject({ records: 6, evaluated: 1, rejected: 5 });
        expect(reasons(run.report)).toEqual([
            '2:: a session must be an object, not null', '3:: a session must be an object, not 42', '4:: a session must be an object, not "S-9"',
            '5:: a session must be an object, not a list', '6:: a session must be an object, not true'
        ]);
    });
});

describe('BOM, CRLF and empty files', () => {
    test('a UTF-8 byte order mark is skipped in .json and .ndjson', async () => {
        for (const [name, content] of [['bom.json', JSON.stringify([goodSession()])], ['bom.ndjson', ndjson([goodSession()])]] as const) {
            const run = await check(name, `\ufeff${content}`);
            expect(run.code, name).toBe(0);
            expect(run.report!.summary, name).toMatchObject({ records: 1, evaluated: 1, rejected: 0 });
        }
    });

    test('a UTF-8 byte order mark is skipped by the CSV readers (parseCsvText, readSessions)', async () => {
        const text = `\ufeff${CSV_HEADER}\n${csvRow()}\n`;
        expect(parseCsvText(text)).toMatchObject({ sessions: [{ session: { id: 'S-1' } }], rejected: [] });
        writeFileSync(join(dir, 'bom-read.csv'), text);
        expect(await readSessions(join(dir, 'bom-read.csv'))).toMatchObject({ sessions: [{ session: { id: 'S-1' } }], rejected: [] });
    });

    test('a CSV file starting with a byte order mark gets no phantom record in `check --format json`', async () => {
        // The streaming reader finds where the data starts as a byte offset past the header: the
        // BOM's 3 bytes count (a decoder that drops it made a phantom record from the header's end).
        const run = await check('bom.csv', `\ufeff${CSV_HEADER}\n${csvRow()}\n${csvRow({ session_id: 'S-2', patient: 'P-2' })}\n`);
        expect(run.code).toBe(0);
        expect(run.report!.summary).toMatchObject({ records: 2, evaluated: 2, rejected: 0, sessionsWithFindings: 0 });
        expect(run.report!.sessions.map(s => s.id)).toEqual(['S-1', 'S-2']);
    });

    test('CRLF line ends read like LF in .ndjson and .csv (no \\r left in values)', async () => {
        const ndjsonRun = await check('crlf.ndjson', ndjson([goodSession(), goodSession({ id: 'S-2', patient: 'P-2' })]).replaceAll('\n', '\r\n'));
        expect(ndjsonRun.code).toBe(0);
        expect(ndjsonRun.report!.summary).toMatchObject({ records: 2, evaluated: 2, rejected: 0, sessionsWithFindings: 0 });
        const csvRun = await check('crlf.csv', `${CSV_HEADER}\r\n${csvRow()}\r\n${csvRow({ session_id: 'S-2', patient: 'P-2' })}\r\n`);
        expect(csvRun.code).toBe(0);
        expect(csvRun.report!.summary).toMatchObject({ records: 2, evaluated: 2, rejected: 0, sessionsWithFindings: 0 });
        expect(csvRun.report!.sessions.map(s => s.patient)).toEqual(['P-0042', 'P-2']);
    });

    test('an empty .ndjson file, or a CSV with only its header, is a run of 0 records (exit 0)', async () => {
        for (const [name, content] of [['empty.ndjson', ''], ['blank-lines.ndjson', '\n\n  \n'], ['header-only.csv', `${CSV_HEADER}\n`]] as const) {
            const run = await check(name, content);
            expect(run.code, name).toBe(0);
            expect(run.report!.summary, name).toMatchObject({ records: 0, evaluated: 0, rejected: 0 });
        }
    });

    test('an empty .json or .csv file stops the run with one line (exit 2)', async () => {
        const json = await check('empty.json', '');
        expect(json.code).toBe(2);
        expect(expectOneLine(json.stderr)).toMatch(/empty\.json is not valid JSON: Unexpected end of JSON input$/);
        const csv = await check('empty.csv', '');
        expect(csv.code).toBe(2);
        expect(expectOneLine(csv.stderr)).toMatch(/empty\.csv has no header row$/);
    });
});

describe('text in another encoding', () => {
    // Read as UTF-8, S-\xe9 and S-\xe8 would both be S-\ufffd: two sessions merged into one, two patients counted as one.
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const sessions = [goodSession({ id: 'S-1' }), goodSession({ id: 'S-\u00e9', patient: 'P-M\u00fcller' }), goodSession({ id: 'S-\u00e8', patient: 'P-M\u00fcller' })];
    const files: [string, Buffer][] = [
        ['latin1.ndjson', latin1(ndjson(sessions))],
        ['latin1.csv', latin1(`${CSV_HEADER}\n${csvRow()}\n${csvRow({ session_id: 'S-\u00e9', patient: 'P-M\u00fcller' })}\n`)],
        ['latin1.json', latin1(JSON.stringify(sessions, null, 2))]
    ];

    test('a session file that is not UTF-8 stops the run, naming the file and the first line that is not (exit 2)', async () => {
        for (const [name, bytes] of files) {
            const line = name.endsWith('.json') ? 'line \\d+' : name.endsWith('.csv') ? 'line 3' : 'line 2';
            // Streamed (--format json) and read whole (the text report) alike.
            const streamed = await check(name, bytes);
            expect(streamed.code, name).toBe(2);
            expect(expectOneLine(streamed.stderr), name).toMatch(new RegExp(`${name.replace('.', '\\.')} is not UTF-8 text: ${line} has characters in another encoding`));
            const whole = await payrule(['check', '--policy', 'examples/packs', ...AS_OF, join(dir, name)]);
            expect(whole.code, name).toBe(2);
            expect(expectOneLine(whole.stderr), name).toMatch(/is not UTF-8 text: line \d+ has characters in another encoding/);
        }
    });

    test('the line named counts line ends as the readers do: an old Mac export (lone \\r) and CRLF alike', async () => {
        const rows = [CSV_HEADER, csvRow(), csvRow({ session_id: 'S-\u00e9', patient: 'P-M\u00fcller' })];
        for (const [name, end] of [['mac.csv', '\r'], ['windows.csv', '\r\n']] as const) {
            const bytes = latin1(`${rows.join(end)}${end}`);
            const streamed = await check(name, bytes);
            expect(expectOneLine(streamed.stderr), name).toMatch(/is not UTF-8 text: line 3 has characters in another encoding/);
            const whole = await payrule(['check', '--policy', 'examples/packs', ...AS_OF, join(dir, name)]);
            expect(expectOneLine(whole.stderr), name).toMatch(/is not UTF-8 text: line 3 has characters in another encoding/);
        }
    });

    test('a CSV whose header alone is not UTF-8 is refused too, naming line 1', async () => {
        const bytes = Buffer.concat([latin1(`${CSV_HEADER},Pr\u00e9nom\n`), Buffer.from(`${csvRow()},Ana\n`)]);
        const streamed = await check('latin1-header.csv', bytes);
        expect(streamed.code).toBe(2);
        expect(expectOneLine(streamed.stderr)).toMatch(/latin1-header\.csv is not UTF-8 text: line 1 has characters in another encoding/);
        const whole = await payrule(['check', '--policy', 'examples/packs', ...AS_OF, join(dir, 'latin1-header.csv')]);
        expect(expectOneLine(whole.stderr)).toMatch(/latin1-header\.csv is not UTF-8 text: line 1 /);
    });

    test('standard input that is not UTF-8 is refused by that name, streamed or read whole', async () => {
        for (const format of ['json', 'text']) {
            const run = await payrule(['check', '--policy', 'examples/packs', '--format', format, ...AS_OF, '-'], { stdin: files[0]![1] });
            expect(run.code, format).toBe(2);
            expect(expectOneLine(run.stderr), format).toMatch(/^payrule: standard input is not UTF-8 text: line 2 has characters in another encoding/);
        }
    });

    test('the same sessions saved as UTF-8 are three sessions', async () => {
        const run = await check('utf8.ndjson', ndjson(sessions));
        expect(run.report!.sessions.map(session => session.id)).toEqual(['S-1', 'S-\u00e9', 'S-\u00e8']);
    });
});

describe('ragged and quoted CSV', () => {
    test('rows with more or fewer cells than the header reject their session, naming the row', async () => {
        const short = csvRow({ session_id: 'S-2' }).split(',').slice(0, 5).join(',');
        const run = await check('ragged.csv', `${CSV_HEADER}\n${csvRow()},extra\n${short}\n${csvRow({ session_id: 'S-3', patient: 'P-3' })}\n`);
        expect(run.report!.summary).toMatchObject({ records: 3, evaluated: 1, rejected: 2 });
        expect(reasons(run.report)).toEqual(['2:S-1: row 2 has 15 columns; the header has 14', '3:S-2: row 3 has 5 columns; the header has 14']);
    });

    test('quoted cells keep their commas, doubled quotes and line breaks', async () => {
        const run = await check('quoted.csv', `${CSV_HEADER}\n${csvRow({ note_activities: 'Lift, carry "10 lb"\nand reach overhead x10' })}\n`);
        expect(run.code).toBe(0);
        expect(run.report!.summary).toMatchObject({ records: 1, evaluated: 1 });
    });

    test('a header ending in empty column names (Excel\'s trailing commas) reads as if they were not there; a value under one rejects its session', async () => {
        const plain = await check('no-trail.csv', `${CSV_HEADER}\n${csvRow()}\n`);
        const clean = await check('trail-clean.csv', `${CSV_HEADER},,\n${csvRow()},,\n`);
        expect(clean.code).toBe(0);
        expect(clean.report!.sessions).toEqual(plain.report!.sessions);
        const run = await check('trail.csv', `${CSV_HEADER},,\n${csvRow()},,\n${csvRow({ session_id: 'S-2', patient: 'P-2' })},,x\n`);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe('');
        expect(run.report!.summary).toMatchObject({ records: 2, evaluated: 1, rejected: 1 });
        expect(reasons(run.report)).toEqual(['3:S-2: row 3 has a value in column 16, which has no name in the header']);
    });

    test('a quote that never closes rejects its session, naming the row', async () => {
        const run = await check('unclosed.csv', `${CSV_HEADER}\n${csvRow()}\n${csvRow({ session_id: 'S-2', patient: 'P-2' }).replace('P-2', '"P-2')}\n`);
        expect(run.report!.summary).toMatchObject({ records: 2, evaluated: 1, rejected: 1 });
        expect(reasons(run.report)).toEqual(['3:S-2: row 3 is not valid CSV: a quote opens a cell and is never closed']);
    });

    test('rows of one session that disagree on a session column reject the session', async () => {
        const run = await check('disagree.csv', `${CSV_HEADER}\n${csvRow()}\n${csvRow({ code: '97110', minutes: '10', units: '1', date: '2026-03-05' })}\n`);
        expect(reasons(run.report)).toEqual(['2:S-1: row 3: date "2026-03-05" differs from row 2 ("2026-03-04")']);
    });
});

describe('wrong types and impossible numbers', () => {
    test('a field of the wrong type rejects the record, naming the field', async () => {
        const run = await check('wrong-types.json', JSON.stringify([
            goodSession({ lines: [line({ minutes: '38' })] }), goodSession({ id: 'S-2', patient: 42 }), goodSession({ id: 'S-3', lines: 'x' }),
            goodSession({ id: 'S-4', lines: [] }), goodSession({ id: 'S-5', discipline: 'PTA' }), goodSession({ id: 'S-6', note: ['a'] }),
            goodSession({ id: 'S-7', lines: [line({ modifiers: 'GP' })] })
        ]));
        expect(reasons(run.report)).toEqual([
            '1:S-1: claim line 1 (97530): minutes must be a non-negative integer, not "38"', '2:S-2: patient must be text, not 42',
            '3:S-3: lines must be a list of claim lines, not "x"', '4:S-4: lines must hold at least one claim line',
            '5:S-5: discipline must be PT, OT or SLP, not "PTA"', '6:S-6: note must be an object, not a list',
            '7:S-7: claim line 1 (97530): modifiers must be a list of text items, not "GP"'
        ]);
    });

    test('negative and fractional minutes are rejected; huge minutes are checked and found over-billed or inconsistent; numbers too large to read exactly are rejected', async () => {
        const run = await check('minutes.json', JSON.stringify([
            goodSession({ lines: [line({ minutes: -5 })] }), goodSession({ id: 'S-2', lines: [line({ minutes: 7.5 })] }),
            goodSession({ id: 'S-3', patient: 'P-3', lines: [line({ minutes: 1e9 })] }), goodSession({ id: 'S-4', patient: 'P-4', lines: [line({ minutes: 1e300 })] }),
            goodSession({ id: 'S-5', patient: 'P-5', lines: [line({ units: 1e300 })] })
        ]).replace('"units":1e+300', '"units":9007199254740993'));
        expect(reasons(run.report)).toEqual([
            '1:S-1: claim line 1 (97530): minutes must be a non-negative integer, not -5', '2:S-2: claim line 1 (97530): minutes must be a non-negative integer, not 7.5',
            '4:S-4: claim line 1 (97530): minutes is too large to be a real count (more than 9,007,199,254,740,991)', '5:S-5: claim line 1 (97530): units is too large to be a real count (more than 9,007,199,254,740,991)'
        ]);
        expect(rules(run.report, 'S-3')).toEqual(expect.arrayContaining(['units-match', 'time-match']));
        const csv = await check('huge.csv', `${CSV_HEADER}\n${csvRow({ minutes: '99999999999999999999' })}\n`);
        expect(reasons(csv.report)).toEqual(['2:S-1: row 2: minutes is too large to be a real count (more than 9,007,199,254,740,991)']);
    });

    test('dates that do not exist are rejected, naming the field; a leap day is a real date', async () => {
        const run = await check('dates.json', JSON.stringify([
            goodSession({ date: '2026-02-30' }), goodSession({ id: 'S-2', date: '2026-13-01' }), goodSession({ id: 'S-3', date: '2025-02-29' }),
            goodSession({ id: 'S-4', date: '2026-3-4' }), goodSession({ id: 'S-5', submitted: '2026-04-31' }), goodSession({ id: 'S-6', date: '2026-03-04T10:00:00Z' }),
            goodSession({ id: 'S-7', date: '2028-02-29' })
        ]));
        expect(reasons(run.report)).toEqual([
            '1:S-1: date "2026-02-30" is not a real date', '2:S-2: date "2026-13-01" is not a real date', '3:S-3: date "2025-02-29" is not a real date',
            '4:S-4: date must be an ISO date (YYYY-MM-DD), not "2026-3-4"', '5:S-5: submitted "2026-04-31" is not a real date',
            '6:S-6: date must be an ISO date (YYYY-MM-DD), not "2026-03-04T10:00:00Z"',
            // A real date, but no Medicare declaration is in force in 2028.
            '7:S-7: no medicare policy is in force on 2028-02-29 (loaded: 2026-01-01 to 2026-12-31; 2025-01-01 to 2025-12-31)'
        ]);
    });
});

describe('unknown codes and modifiers, payers no policy declares, duplicates', () => {
    test('a code the catalog does not know is evaluated with a finding saying its units were not checked', async () => {
        const run = await check('unknown-code.json', JSON.stringify([goodSession({ lines: [line({ code: '99999' })] })]));
        const finding = run.report!.sessions[0]!.findings.find(f => f.rule === 'units-match');
        expect(finding?.message).toBe('99999 is not in the loaded code catalog: its units were not checked');
    });

    test('a modifier no catalog declares gets a finding', async () => {
        // "ZZ" is declared by no loaded package (the catalog, bundle.modifiers): the payer may deny
        // the line, so the biller is told, on the line, with what to do. GP is declared: no finding.
        const run = await check('unknown-modifier.json', JSON.stringify([goodSession({ lines: [line({ modifiers: ['GP', 'ZZ'] })] })]));
        expect(run.code).toBe(0);
        expect(run.report!.sessions[0]!.findings).toEqual([expect.objectContaining({
            rule: 'unknown-modifier', severity: 'warning', line: 0, code: '97530',
            message: 'Modifier ZZ on 97530 is not in the loaded modifier catalog: the payer may not recognise it',
            fix: 'Check the modifier ZZ on 97530: correct it or remove it, or load a catalog that declares it',
            source: expect.objectContaining({ file: 'examples/packs/medicare/medicare.payrule' })
        })]);
    });

    test('an empty code is rejected', async () => {
        const run = await check('empty-code.json', JSON.stringify([goodSession({ lines: [line({ code: ' ' })] })]));
        expect(reasons(run.report)).toEqual(['1:S-1: claim line 1: missing required field "code"']);
    });

    test('a session for a payer no policy declares, or on a date no declaration covers, is rejected with the reason', async () => {
        const run = await check('unknown-payer.json', JSON.stringify([goodSession({ payer: 'blue-cross' }), goodSession({ id: 'S-2', date: '2024-06-01' })]));
        expect(reasons(run.report)).toEqual([
            '1:S-1: no loaded policy declares payer "blue-cross"',
            '2:S-2: no medicare policy is in force on 2024-06-01 (loaded: 2026-01-01 to 2026-12-31; 2025-01-01 to 2025-12-31)'
        ]);
    });

    test('a duplicate session id is rejected, naming where the id was first seen; the first is evaluated', async () => {
        const run = await check('duplicates.ndjson', ndjson([goodSession(), goodSession({ patient: 'P-2' }), goodSession({ id: 'S-2' }), goodSession()]));
        expect(run.report!.sessions.map(s => `${s.id}/${s.patient}`)).toEqual(['S-1/P-0042', 'S-2/P-0042']);
        expect(reasons(run.report)).toEqual(['2:S-1: duplicate session id S-1, first seen at record 1', '4:S-1: duplicate session id S-1, first seen at record 1']);
    });

    test('duplicate ids across two input files name the file of the first', async () => {
        writeFileSync(join(dir, 'first.json'), JSON.stringify([goodSession()]));
        writeFileSync(join(dir, 'second.ndjson'), ndjson([goodSession({ patient: 'P-9' })]));
        const run = await payrule(['check', '--policy', 'examples/packs', '--format', 'json', ...AS_OF, join(dir, 'first.json'), join(dir, 'second.ndjson')]);
        const report = JSON.parse(run.stdout) as Report;
        expect(report.rejected).toEqual([expect.objectContaining({ record: 1, id: 'S-1', error: expect.stringMatching(/^duplicate session id S-1, first seen at record 1 of .*first\.json$/) })]);
    });
});

describe('large and hostile values', () => {
    test('a 10 MB note element is checked in well under a few seconds', async () => {
        const note = { ...(goodSession().note as Record<string, string>), activities: 'Floor-to-counter lift with cues. '.repeat(320_000) };
        expect(note.activities.length).toBeGreaterThan(10_000_000);
        const run = await check('big-note.json', JSON.stringify([goodSession({ note })]));
        expect(run.code).toBe(0);
        expect(run.report!.summary).toMatchObject({ records: 1, evaluated: 1 });
        expect(run.ms).toBeLessThan(5_000);
    });

    test('a value nested 100,000 levels deep is kept as an extra field without a crash', async () => {
        const record = JSON.stringify(goodSession());
        const run = await check('nested.json', `[${record.slice(0, -1)},"deep":${deeplyNested(100_000)}}]`);
        expect(run.code).toBe(0);
        expect(run.report!.summary).toMatchObject({ records: 1, evaluated: 1 });
    });

    test('__proto__ and constructor keys stay data: no prototype pollution, in JSON, NDJSON and CSV', async () => {
        const record = JSON.stringify(goodSession());
        const hostile = `${record.slice(0, -1)},"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},`
            + '"lines":[{"code":"97530","minutes":38,"units":3,"modifiers":["GP"],"__proto__":{"polluted":"yes"},"extra":{"__proto__":{"polluted":"yes"}}}]}';
        const json = await check('proto.json', `[${hostile}]`);
        expect(json.report!.summary).toMatchObject({ records: 1, evaluated: 1 });
        const noteProto = await check('proto-note.ndjson', `${JSON.stringify(goodSession({ id: 'S-2', patient: 'P-2' })).slice(0, -1)},"note":{"__proto__":"lift 10 lb x10 with cues","constructor":"x"}}\n`);
        expect(noteProto.report!.summary).toMatchObject({ records: 1, evaluated: 1 });
        const objectProto = await check('proto-note-object.json', `[${record.slice(0, -1)},"note":{"__proto__":{"polluted":"yes"}}}]`);
        expect(reasons(objectProto.report)).toEqual(['1:S-1: note element "__proto__" must be text, not an object']);
        const csv = await check('proto.csv', `${CSV_HEADER},__proto__,constructor,note___proto__,note_constructor\n${csvRow()},"{""polluted"":1}",x,y,z\n`);
        expect(csv.report!.summary).toMatchObject({ records: 1, evaluated: 1 });
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    });

    test('a binary file posing as NDJSON is refused as text that is not UTF-8, and nothing else happens', async () => {
        const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
        const run = await check('binary.ndjson', bytes);
        expect(run.code).toBe(2);
        expect(expectOneLine(run.stderr)).toMatch(/binary\.ndjson is not UTF-8 text: line \d+ /);
    });
});
