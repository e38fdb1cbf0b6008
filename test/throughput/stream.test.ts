/**
 * The streaming evaluation gives the in-memory report byte for byte: generated sessions (a year
 * of visits with faults, bench/generate.mjs) against the example packs, as NDJSON, CSV and JSON,
 * in one pass and in two, in any order, cut into many small chunks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessions, writeReportStream, type PolicyBundle, type Report, type StreamInput, type StreamOptions } from '@payrule/engine';
import { factsForEntries } from '../../packages/engine/src/evaluate/accrual.js';
import { checkSession } from '../../packages/engine/src/evaluate/check-session.js';
import { CompiledPolicy } from '../../packages/engine/src/evaluate/compiled.js';
import { historyEntry } from '../../packages/engine/src/evaluate/history.js';
import { PayerDirectory } from '../../packages/engine/src/evaluate/payers.js';
import { compileExpr } from '../../packages/engine/src/expr/compile.js';
import { ownerOfText } from '../../packages/engine/src/stream/partition.js';
import { atLine, evaluateExpr, type ExprScope } from '../../packages/engine/src/expr/evaluate.js';
import type { Expr } from '../../packages/engine/src/ir/policy.js';
import { collector, csv, examplePacks, inMemoryReport, ndjson, scratch, sessions, shuffled, type Record_ } from './sessions.js';

let bundle: PolicyBundle;
const files = scratch();
beforeAll(async () => { bundle = await examplePacks(); });
afterAll(() => files.remove());

/** The report as the in-memory route writes it. */
function inMemory(inputs: StreamInput[], options: StreamOptions = {}): Promise<string> {
    return inMemoryReport(bundle, inputs, options.asOf);
}

async function streamed(inputs: StreamInput[], options: StreamOptions = {}, restartable = true) {
    const sink = collector(restartable);
    const outcome = await writeReportStream(bundle, inputs, sink, { chunkBytes: 16 * 1024, ...options });
    return { text: sink.text(), outcome, restarts: sink.restarts };
}

/** A file of the bytes as they are (not text). */
function bytesFile(name: string, bytes: Uint8Array): string {
    const path = join(files.dir, name);
    writeFileSync(path, bytes);
    return path;
}

const byId = (report: Report) => new Map(report.sessions.map(session => [session.id, session]));

describe('the streamed report', () => {
    const year = sessions(3000, 7);

    it('is the in-memory report byte for byte, NDJSON in one pass', async () => {
        const path = files.file('year.ndjson', ndjson(year));
        const { text, outcome } = await streamed([{ path }]);
        expect(outcome.mode).toBe('one-pass');
        expect(text).toBe(await inMemory([{ path }]));
        const report = JSON.parse(text) as Report;
        // The sessions exercise the rules across sessions: KX past the threshold, limits, same-day pooling.
        const rules = new Set(report.sessions.flatMap(session => session.findings.map(finding => finding.rule)));
        for (const rule of ['kx', 'units-match', 'prior-auth', 'skilled-activity', 'discipline-modifier']) expect(rules).toContain(rule);
        // A few lines have no allowed amount: the notice counts them across every part of the run.
        expect(report.notices).toEqual([expect.objectContaining({ kind: 'unpriced-lines', payer: 'medicare', lines: expect.any(Number) })]);
        expect(report.notices![0]!.lines).toBeGreaterThan(0);
    });

    it('is the same in two passes, for CSV and for a JSON array, and with an as-of date', async () => {
        const inputs = [
            files.file('year.csv', csv(year)),
            files.file('year.json', JSON.stringify(year)),
            files.file('two.ndjson', ndjson(year))
        ];
        for (const path of inputs) {
            expect((await streamed([{ path }], {}, false)).text, path).toBe(await inMemory([{ path }]));
            expect((await streamed([{ path }], { asOf: '2026-06-30' })).text, path).toBe(await inMemory([{ path }], { asOf: '2026-06-30' }));
        }
    });

    it('keeps every rejection and duplicate, within an input and across several', async () => {
        const withDuplicates = sessions(2500, 11, true);
        const broken = ndjson(withDuplicates).split('\n');
        broken.splice(40, 0, '{"id": "S-broken", "patient": ');
        broken.splice(90, 0, '', '   ');
        const a = files.file('a.ndjson', broken.join('\n'));
        const b = files.file('b.csv', csv(withDuplicates.slice(1000, 1300)));
        const inputs = [{ path: a, name: 'a.ndjson' }, { path: b, name: 'b.csv' }];
        const { text } = await streamed(inputs);
        expect(text).toBe(await inMemory(inputs));
        const report = JSON.parse(text) as Report;
        expect(report.rejected.some(rejection => /duplicate session id .* of a\.ndjson/.test(rejection.error))).toBe(true);
        expect(report.rejected.some(rejection => rejection.file === 'a.ndjson' && /first seen at record \d+$/.test(rejection.error))).toBe(true);
        expect(report.rejected.some(rejection => rejection.error.startsWith('broken JSON'))).toBe(true);
    });

    it('gives the same findings whatever the order of the input (starting over when it is not in date order)', async () => {
        const ordered = await streamed([{ path: files.file('ordered.ndjson', ndjson(year)) }]);
        const first = byId(JSON.parse(ordered.text) as Report);
        for (const seed of [1, 2]) {
            const path = files.file(`shuffled-${seed}.ndjson`, ndjson(shuffled(year, seed)));
            const run = await streamed([{ path }]);
            expect(run.outcome.mode).toBe('two-pass');
            expect(run.text).toBe(await inMemory([{ path }]));
            const report = JSON.parse(run.text) as Report;
            expect(report.summary).toEqual((JSON.parse(ordered.text) as Report).summary);
            for (const session of report.sessions) expect(session).toEqual(first.get(session.id));
        }
        // Out of order only at the very end: the pass has written most of the report when it starts over.
        const late = [...year];
        late.push(late.splice(10, 1)[0]!);
        const path = files.file('late.ndjson', ndjson(late));
        const run = await streamed([{ path }]);
        expect(run.restarts).toBe(1);
        expect(run.text).toBe(await inMemory([{ path }]));
    });

    it('gives the same findings for the CSV and the NDJSON of the same sessions', async () => {
        const fromNdjson = JSON.parse((await streamed([{ path: files.file('same.ndjson', ndjson(year)) }])).text) as Report;
        const fromCsv = JSON.parse((await streamed([{ path: files.file('same.csv', csv(year)) }])).text) as Report;
        expect(fromCsv.sessions).toEqual(fromNdjson.sessions);
        expect(fromCsv.summary).toEqual(fromNdjson.summary);
    });

    it('reads the CSV it cannot stream (padded cells, rows of a session apart) whole, with the same result', async () => {
        const text = csv(year.slice(0, 400));
        const rows = text.split('\n');
        const padded = files.file('padded.csv', rows.map((row, index) => (index === 5 ? row.replace(',', ', ') : row)).join('\n'));
        const apart = files.file('apart.csv', [...rows.slice(0, 3), ...rows.slice(4, 300), rows[3], ...rows.slice(300)].join('\n'));
        for (const path of [padded, apart]) {
            const run = await streamed([{ path }]);
            expect(run.outcome.mode, path).toBe('memory');
            expect(run.text, path).toBe(await inMemory([{ path }]));
        }
    });

    it('reads NDJSON line ends as the line reader does (BOM, CRLF, lone CR, blank lines, no final line end)', async () => {
        const lines = ndjson(year.slice(0, 200)).split('\n').filter(line => line !== '');
        const text = `\ufeff${lines.slice(0, 50).join('\r\n')}\r\n\r\n${lines.slice(50, 100).join('\n')}\r${lines.slice(100).join('\n')}`;
        const path = files.file('ends.ndjson', text);
        expect((await streamed([{ path }])).text).toBe(await inMemory([{ path }]));
        const empty = files.file('empty.ndjson', '');
        expect((await streamed([{ path: empty }])).text).toBe(await inMemory([{ path: empty }]));
    });
});

describe('the work split by patient', () => {
    // Three parts in this thread, as three threads would split it (a thread only differs in where the work runs).
    const parts = { partitions: 3 };
    const year = sessions(3000, 7);

    it('gives the in-memory report byte for byte, in one pass or two, from NDJSON, CSV and a JSON array', async () => {
        const inputs = [
            files.file('split.ndjson', ndjson(year)),
            files.file('split.csv', csv(year)),
            files.file('split.json', JSON.stringify(year)),
            files.file('split-shuffled.ndjson', ndjson(shuffled(year, 4)))
        ];
        for (const path of inputs) {
            const expected = await inMemory([{ path }]);
            const run = await streamed([{ path }], parts);
            expect(run.text, path).toBe(expected);
            expect(run.outcome.mode, path).toBe(path.includes('shuffled') ? 'two-pass' : 'one-pass');
            expect((await streamed([{ path }], parts, false)).text, path).toBe(expected);
            expect((await streamed([{ path }], { ...parts, asOf: '2026-06-30' })).text, path).toBe(await inMemory([{ path }], { asOf: '2026-06-30' }));
        }
    });

    it('keeps every rejection and duplicate, within an input and across several, an id of two patients in two passes', async () => {
        const withDuplicates = sessions(2500, 11, true);
        const broken = ndjson(withDuplicates).split('\n');
        broken.splice(40, 0, '{"id": "S-broken", "patient": ');
        broken.splice(90, 0, '', '   ', '{"id":"S-no-patient","date":"2025-01-02"}', '{"id":"S-bad-date","patient":"P-000001","date":"2025-02-30"}');
        const a = files.file('split-a.ndjson', broken.join('\n'));
        const b = files.file('split-b.csv', csv(withDuplicates.slice(1000, 1300)));
        const c = files.file('split-c.ndjson', ndjson(withDuplicates.slice(1200, 1400)));
        const inputs = [{ path: a, name: 'a.ndjson' }, { path: b, name: 'b.csv' }, { path: c, name: 'c.ndjson' }];
        const run = await streamed(inputs, parts);
        expect(run.outcome.mode).toBe('two-pass');
        expect(run.text).toBe(await inMemory(inputs));
        const report = JSON.parse(run.text) as Report;
        expect(report.rejected.some(rejection => /duplicate session id .* of a\.ndjson/.test(rejection.error))).toBe(true);
        expect(report.rejected.some(rejection => rejection.file === 'a.ndjson' && /first seen at record \d+$/.test(rejection.error))).toBe(true);
        expect(report.rejected.some(rejection => rejection.error.startsWith('broken JSON'))).toBe(true);
    });

    it('finds each line\'s patient in its text, or reads the line, and starts over when the text misled it', async () => {
        const lines = ndjson(year.slice(0, 600)).split('\n').filter(line => line !== '');
        const nestedFirst = (line: string) => {
            const { note, ...rest } = JSON.parse(line) as Record_;
            return JSON.stringify({ note: { patient: 'P-NESTED', ...(note as object) }, ...rest });
        };
        const cases: [name: string, edit: (lines: string[]) => void, restarts: number][] = [
            ['escaped name', all => { all[10] = all[10]!.replace('"patient":"', '"p\\u0061tient":"'); }, 0],
            ['space before the value', all => { all[20] = all[20]!.replace('"patient":"', '"patient": "'); }, 0],
            ['escaped value', all => { all[30] = all[30]!.replace(/"patient":"P-0*(\d)/, '"patient":"P-\\u0030$1'); }, 0],
            // Then with one part in one pass, which groups the date's records by their text too: two passes.
            ['a nested member first', all => { all[440] = nestedFirst(all[440]!); }, 2],
            ['an escaped duplicate after', all => { all[450] = all[450]!.replace(/\}$/, ',"p\\u0061tient":"P-OTHER"}'); }, 2],
            ['an id of two patients', all => { all[500] = all[500]!.replace(/"id":"[^"]*"/, all[5]!.match(/"id":"[^"]*"/)![0]); }, 1]
        ];
        for (const [name, edit, restarts] of cases) {
            const edited = [...lines];
            edit(edited);
            expect(edited, name).not.toEqual(lines);
            const path = files.file('misleading.ndjson', `${edited.join('\n')}\n`);
            const expected = await inMemory([{ path }]);
            const run = await streamed([{ path }], parts);
            expect(run.text, name).toBe(expected);
            expect(run.restarts, name).toBe(restarts);
            // In two passes from the start, to an output that cannot start over.
            expect((await streamed([{ path }], parts, false)).text, name).toBe(expected);
        }
    });

    it('reads the CSV it cannot stream whole, whichever part finds it', async () => {
        const rows = csv(year.slice(0, 400)).split('\n');
        const apart = files.file('split-apart.csv', [...rows.slice(0, 3), ...rows.slice(4, 300), rows[3], ...rows.slice(300)].join('\n'));
        // The moved row now names another patient: its session is in two parts.
        const moved = rows[3]!.split(',');
        moved[2] = 'P-ELSEWHERE';
        const apartAcross = files.file('split-apart-across.csv', [...rows.slice(0, 3), ...rows.slice(4, 300), moved.join(','), ...rows.slice(300)].join('\n'));
        for (const path of [apart, apartAcross]) {
            const run = await streamed([{ path }], parts);
            expect(run.outcome.mode, path).toBe('memory');
            expect(run.text, path).toBe(await inMemory([{ path }]));
        }
    });

    it('reads CSV as the reader does: line ends, quoted cells, blank rows and rows without an id among a session\'s', async () => {
        const rows = csv(year.slice(0, 600)).split('\n').filter(row => row !== '');
        const at = rows.findIndex((row, index) => index > 100 && row.split(',')[0] === rows[index + 1]?.split(',')[0]);
        // Some patients quoted, and some ids: a session's rows then have its id in other bytes.
        const quoted = rows.map((row, index) => (index % 7 === 3 ? row.replace(/^([^,]*,[^,]*,)([^,]*)/, '$1"$2"') : index % 5 === 2 ? row.replace(/^([^,]*)/, '"$1"') : row));
        quoted.splice(at + 1, 0, ',,,,', '', `,C-1,${rows[at]!.split(',')[2]},2025-01-01`);
        for (const [name, text] of [['split-rows.csv', quoted.join('\n')], ['split-crlf.csv', `${quoted.join('\r\n')}\r\n`]] as const) {
            const path = files.file(name, text);
            const run = await streamed([{ path }], parts);
            expect(run.outcome.mode, name).toBe('one-pass');
            expect(run.text, name).toBe(await inMemory([{ path }]));
        }
    });

    it('reads a header ending in unnamed columns as the reader does: ignored, and a value under one rejecting its session', async () => {
        const rows = csv(year.slice(0, 600)).split('\n').filter(row => row !== '');
        // Excel's trailing commas, a value under them here and there; one row without an id among a session's has one too.
        const trailing = rows.map((row, index) => (index === 0 ? `${row},,` : `${row},${index % 50 === 7 ? 'x' : ''},${index % 80 === 11 ? 'y' : ''}`));
        const at = rows.findIndex((row, index) => index > 100 && row.split(',')[0] === rows[index + 1]?.split(',')[0]);
        trailing.splice(at + 1, 0, `${rows[at]!.replace(/^[^,]*/, '')},,z`);
        for (const [name, text] of [['unnamed.csv', `${trailing.join('\n')}\n`], ['unnamed-crlf.csv', trailing.join('\r\n')]] as const) {
            const path = files.file(name, text);
            const expected = await inMemory([{ path }]);
            const rejected = (JSON.parse(expected) as Report).rejected.map(rejection => rejection.error);
            expect(rejected, name).toContain(`row ${at + 2} has a value in column ${rows[0]!.split(',').length + 2}, which has no name in the header`);
            expect(rejected.filter(error => /^row \d+ has a value in column \d+, which has no name in the header/.test(error)).length, name).toBeGreaterThan(10);
            for (const options of [{}, parts]) {
                const run = await streamed([{ path }], options);
                expect(run.outcome.mode, name).toBe('one-pass');
                expect(run.text, name).toBe(expected);
            }
        }
    });

    it('gives the reference report for small inputs that once misled it', async () => {
        const session = (id: string, patient: string, date: string, code: string, extra = '') =>
            `{"id":"${id}",${extra}"patient":"${patient}","date":"${date}","payer":"medicare","discipline":"PT","lines":[{"code":"${code}","minutes":10,"units":1}]}\n`;
        const header = 'session_id,patient,date,payer,discipline,code,minutes,units\n';
        const cases: [name: string, inputs: StreamInput[]][] = [
            // The first "patient" member is a note's: the date's sessions are grouped by what they are.
            ['nested patient first', [{ path: files.file('m-nested.ndjson', session('S1', 'A', '2026-03-02', '97110', '"note":{"patient":"B"},') + session('S2', 'B', '2026-03-02', '97140')) }]],
            // A quoted cell with a comma before the id: the row is read whole.
            ['quoted comma', [{ path: files.file('m-quoted.csv', `claim,${header}"C,1",S1,A,2026-03-02,medicare,PT,97110,10,1\n"C,1",S2,B,2026-03-02,medicare,PT,97110,10,1\n`) }]],
            // One CSV session id in two files, two patients: the later is a duplicate.
            ['csv id in two files', [
                { path: files.file('m-a.csv', `${header}X,A,2026-03-02,medicare,PT,97110,10,1\n`), name: 'a.csv' },
                { path: files.file('m-b.csv', `${header}X,B,2026-03-03,medicare,PT,97110,10,1\n`), name: 'b.csv' }
            ]],
            // A patient whose text is not ASCII is owned by that text, whoever reads it.
            ['patient not ASCII', [{ path: files.file('m-utf8.ndjson', session('S1', 'P\u00e9', '2026-03-02', '97110') + session('S2', 'P\ufffd', '2026-03-02', '97140')) }]],
            // Inputs without names: their rejections in input order.
            ['unnamed inputs', [
                { path: files.file('m-u1.ndjson', session('S1', 'A', '2026-03-02', '97110') + session('S1', 'A', '2026-03-02', '97110')) },
                { path: files.file('m-u2.ndjson', `${session('S2', 'A', '2026-03-02', '97110')}{"broken\n`) }
            ]]
        ];
        for (const [name, inputs] of cases) {
            const expected = await inMemory(inputs);
            for (const partitions of [1, 2, 3]) {
                expect((await streamed(inputs, { partitions })).text, `${name}, ${partitions} parts`).toBe(expected);
                expect((await streamed(inputs, { partitions }, false)).text, `${name}, ${partitions} parts, two passes`).toBe(expected);
            }
        }
        // Bytes that are no UTF-8 (FF) would read as U+FFFD, one patient with P\ufffd: the file is refused, read whole or in parts.
        const notUtf8 = [{ path: bytesFile('m-not-utf8.ndjson', Buffer.concat([
            Buffer.from(session('S1', 'P@', '2026-03-02', '97110')).map(byte => (byte === 0x40 ? 0xff : byte)), Buffer.from(session('S2', 'P\ufffd', '2026-03-02', '97140'))
        ])) }];
        await expect(inMemory(notUtf8)).rejects.toThrow(/m-not-utf8\.ndjson is not UTF-8 text: line 1 /);
        for (const partitions of [1, 2]) await expect(streamed(notUtf8, { partitions })).rejects.toThrow(/m-not-utf8\.ndjson is not UTF-8 text: line 1 /);
    });

    it('cuts CSV between sessions (or after a whole row) and keeps one pass where ids only look alike', async () => {
        const header = 'session_id,patient,date,payer,discipline,code,minutes,units,modifiers,pad\n';
        const row = (id: string, patient: string, date: string, pad = '') => `${id},${patient},${date},medicare,PT,97110,10,1,GP,${pad}\n`;
        // A session longer than eight chunks, then one whose row spans where eight chunks end.
        let long = '';
        while (long.length + 2 * row('X', 'A', '2026-03-02').length < 8 * 2048 - 20) long += row('X', 'A', '2026-03-02');
        long += row('X', 'A', '2026-03-02', 'p'.repeat(8 * 2048 - 20 - long.length - row('X', 'A', '2026-03-02').length));
        long += row('Y', 'B', '2026-03-03', 'q') + row('Z', 'C', '2026-03-04') + row('Z', 'C', '2026-03-04');
        // A blank row and a row without an id among a session's rows, wherever the cut falls.
        const blank = `${row('X', 'A', '2026-03-02')}\n,A,2026-03-02\n${row('X', 'A', '2026-03-02').replace('97110', '97140')}${row('Y', 'B', '2026-03-03')}`;
        // An NDJSON session whose id a later CSV session has (read after the first input ended).
        const later = [`${JSON.stringify({ id: 'X', patient: 'A', date: '2026-03-02', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 10, units: 1, modifiers: ['GP'] }] })}\n`,
            `${header}${row('Y', 'B', '2026-03-03')}${Array.from({ length: 10 }, (_, i) => row(`F${i}`, 'B', '2026-03-04')).join('')}${row('X', 'A', '2026-03-05')}`];
        // A CSV session rejected (no such discipline) whose id a valid one in another file has.
        const invalid = [`${header}X,A,2026-03-02,medicare,XX,97110,10,1,GP,\n`, `${header}${row('X', 'B', '2026-03-03')}`];
        const cases: [name: string, inputs: StreamInput[], chunkBytes: number, mode: string][] = [
            ['long session', [{ path: files.file('c-long.csv', header + long) }], 2048, 'one-pass'],
            ['blank row', [{ path: files.file('c-blank.csv', header + blank) }], 40, 'one-pass'],
            ['id again later', [{ path: files.file('c-later.ndjson', later[0]!), name: 'a' }, { path: files.file('c-later.csv', later[1]!), name: 'b' }], 64, 'one-pass'],
            ['rejected first', [{ path: files.file('c-rejected-a.csv', invalid[0]!), name: 'a' }, { path: files.file('c-rejected-b.csv', invalid[1]!), name: 'b' }], 2048, 'one-pass']
        ];
        for (const [name, inputs, chunkBytes, mode] of cases) {
            const expected = await inMemory(inputs);
            for (const partitions of [1, 2, 3]) {
                const run = await streamed(inputs, { partitions, chunkBytes });
                expect(run.text, `${name}, ${partitions} parts`).toBe(expected);
                expect(run.outcome.mode, `${name}, ${partitions} parts`).toBe(mode);
            }
        }
    });

    it('keeps one pass when a part has none of the records for a long while', async () => {
        // Two patients of two parts: the first's next record comes 80 chunks after its first.
        const [lone, bulk] = ['P-1', 'P-2', 'P-3', 'P-4'].filter((patient, _, all) => ownerOfText(patient, 2) !== ownerOfText(all[0]!, 2) || patient === all[0]);
        const lines = ndjson(year.slice(0, 600)).split('\n').filter(line => line !== '');
        const as = (line: string, patient: string) => line.replace(/"patient":"[^"]*"/, `"patient":"${patient}"`);
        const path = files.file('idle-part.ndjson', `${lines.map((line, index) => as(line, index === 0 || index === lines.length - 1 ? lone! : bulk!)).join('\n')}\n`);
        const run = await streamed([{ path }], { partitions: 2, chunkBytes: 4096 });
        expect(run.outcome.mode).toBe('one-pass');
        expect(run.restarts).toBe(0);
        expect(run.text).toBe(await inMemory([{ path }]));
    });

    it('reads NDJSON line ends as the line reader does', async () => {
        const lines = ndjson(year.slice(0, 200)).split('\n').filter(line => line !== '');
        const text = `\ufeff${lines.slice(0, 50).join('\r\n')}\r\n\r\n${lines.slice(50, 100).join('\n')}\r${lines.slice(100).join('\n')}`;
        const path = files.file('split-ends.ndjson', text);
        expect((await streamed([{ path }], parts)).text).toBe(await inMemory([{ path }]));
    });
});

describe('the compiled checks', () => {
    it('give the interpreter\'s result for every session', async () => {
        const records = sessions(2000, 5, true);
        const read = await readSessions(files.file('compiled.ndjson', ndjson(records)));
        const payers = new PayerDirectory(bundle);
        const admitted = read.sessions.flatMap(item => {
            const choice = payers.select(item.session.payer, item.session.date);
            return choice.ok ? [{ session: item.session, entry: historyEntry(item.session, choice.index) }] : [];
        });
        const facts = factsForEntries(bundle, admitted.map(item => item.entry));
        const compiled = new CompiledPolicy(bundle);
        for (const [asOf, options] of [[undefined, {}], ['2026-06-30', { asOf: '2026-06-30' }]] as const) {
            admitted.forEach((item, index) => {
                expect(compiled.check(item.session, item.entry, facts[index]!, options), `${item.session.id} ${asOf}`)
                    .toEqual(checkSession(item.session, item.entry, bundle, facts[index]!, options));
            });
        }
    });

    it('compile every condition of the example packs to what the interpreter evaluates', async () => {
        const read = await readSessions(files.file('conditions.ndjson', ndjson(sessions(300, 9))));
        const conditions: Expr[] = [];
        const collect = (expr: Expr | undefined) => { if (expr) conditions.push(expr); };
        for (const payer of bundle.payers) {
            for (const rule of payer.rules) {
                if (rule.kind !== 'rule') continue;
                collect(rule.where);
                collect(rule.when);
                for (const clause of rule.clauses) collect(clause.type === 'require' ? clause.condition : clause.when);
            }
        }
        expect(conditions.length).toBeGreaterThan(5);
        for (const { session } of read.sessions) {
            const scope: ExprScope = { session, timed: code => bundle.codes[code]?.timed ?? null, supportedUnits: index => index };
            const scopes = [scope, ...session.lines.map((line, index) => atLine(scope, line, index))];
            for (const expr of conditions) for (const at of scopes) expect(compileExpr(expr)(at)).toEqual(evaluateExpr(expr, at));
        }
    });
});

export type { Record_ };
