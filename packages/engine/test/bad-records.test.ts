import { describe, expect, it } from 'vitest';
import { evaluate, parseCsvText, parseJsonText, parseNdjsonText, type SessionsRead } from '../src/index.js';
import { bundle, payer, rules } from './fixtures.js';

const policy = bundle([payer([rules.units('pooled')])]);
const HEADER = 'session_id,patient,date,payer,discipline,provider_role,code,minutes,units,modifiers,charge';

/** The same records in each format; `null` marks a record only a format can break (broken JSON line, ragged row). */
const cases: { name: string; json: unknown; csv: string[]; error: string }[] = [
    { name: 'valid', json: { id: 'OK', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1, modifiers: ['GP'] }] },
        csv: ['OK,P-1,2026-03-04,medicare,PT,,97110,15,1,GP,'], error: '' },
    { name: 'wrong type', json: { id: 'T', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1, charge: 'ten' }] },
        csv: ['T,P-1,2026-03-04,medicare,PT,,97110,15,1,,ten'], error: 'charge must be a non-negative amount, not "ten"' },
    { name: 'negative minutes', json: { id: 'N', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: -5, units: 1 }] },
        csv: ['N,P-1,2026-03-04,medicare,PT,,97110,-5,1,,'], error: 'minutes must be a non-negative integer, not -5' },
    { name: 'missing field', json: { id: 'M', date: '2026-03-04', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1 }] },
        csv: ['M,,2026-03-04,medicare,PT,,97110,15,1,,'], error: 'missing required field "patient"' },
    { name: 'bad role', json: { id: 'R', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', provider: { role: 'RN' }, lines: [{ code: '97110', minutes: 15, units: 1 }] },
        csv: ['R,P-1,2026-03-04,medicare,PT,RN,97110,15,1,,'], error: 'must be PT, PTA, OT, OTA, SLP, SLPA or other, not "RN"' },
    { name: 'unreal date', json: { id: 'D', patient: 'P-1', date: '2026-02-30', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1 }] },
        csv: ['D,P-1,2026-02-30,medicare,PT,,97110,15,1,,'], error: 'date "2026-02-30" is not a real date' },
    { name: 'unknown payer', json: { id: 'U', patient: 'P-1', date: '2026-03-04', payer: 'aetna', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1 }] },
        csv: ['U,P-1,2026-03-04,aetna,PT,,97110,15,1,,'], error: 'no loaded policy declares payer "aetna"' },
    { name: 'duplicate id', json: { id: 'OK', patient: 'P-2', date: '2026-03-05', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1 }] },
        csv: [], error: 'duplicate session id OK, first seen at record 1' }
];

function check(read: SessionsRead, expectedRejections: number) {
    const report = evaluate(policy, read.sessions, read.rejected);
    expect(report.summary.records).toBe(report.summary.evaluated + report.summary.rejected);
    expect(report.summary.rejected).toBe(expectedRejections);
    expect(report.sessions.map(s => s.id)).toEqual(['OK']);
    return report;
}

describe('every kind of bad record, in every format', () => {
    it('JSON', () => {
        const report = check(parseJsonText(JSON.stringify(cases.map(c => c.json))), cases.length - 1);
        cases.slice(1).forEach((c, index) => expect(report.rejected[index]!.error, c.name).toContain(c.error));
        expect(report.rejected.map(r => r.record)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    });

    it('NDJSON, with a broken line, a blank line, a BOM and CRLF line ends', () => {
        const lines = cases.map(c => JSON.stringify(c.json));
        lines.splice(3, 0, '{"id": "B", "patient": ', '');
        const report = check(parseNdjsonText(`\ufeff${lines.join('\r\n')}\r\n`), cases.length);
        expect(report.rejected.find(r => r.record === 4)!.error).toMatch(/^broken JSON: /);
        expect(report.rejected.map(r => r.record)).toEqual([2, 3, 4, 6, 7, 8, 9, 10]);
        expect(report.rejected.find(r => r.id === 'N')!.error).toBe('claim line 1 (97110): minutes must be a non-negative integer, not -5');
    });

    it('CSV, with a ragged row, a row the parser cannot read, a BOM and CRLF line ends', () => {
        const rows = [HEADER, ...cases.flatMap(c => c.csv), 'G,P-1,2026-03-04,medicare,PT,,97110,15', 'Q,P-1,2026-03-04,"medicare"x,PT,,97110,15,1,,'];
        const report = check(parseCsvText(`\ufeff${rows.join('\r\n')}\r\n`), cases.length);
        expect(report.rejected.find(r => r.id === 'N')!.error).toBe('row 4: minutes must be a non-negative integer, not -5');
        expect(report.rejected.find(r => r.id === 'G')).toEqual({ record: 9, id: 'G', error: 'row 9 has 8 columns; the header has 11' });
        expect(report.rejected.find(r => r.record === 10)!.error).toMatch(/^row 10 is not valid CSV: /);
        expect(report.rejected.find(r => r.id === 'U')!.record).toBe(8);
    });

    it('CSV rows are counted as a spreadsheet shows them: quoted line breaks stay in one row, blank rows count', () => {
        const csv = [
            'session_id,patient,date,payer,discipline,code,minutes,units,note_activities',
            'A,P-1,2026-03-04,medicare,PT,97110,15,1,"Lift box\nwith cues"',
            '',
            'B,P-1,2026-03-04,medicare,PT,97110,x,1,'
        ].join('\n');
        const read = parseCsvText(csv);
        expect(read.sessions[0]!.session.note['activities']).toBe('Lift box\nwith cues');
        expect(read.rejected).toEqual([{ record: 4, id: 'B', error: 'row 4: minutes must be a non-negative integer, not "x"' }]);
    });

    it('CSV: an unclosed quote rejects the row it starts in and its session', () => {
        const csv = [
            'session_id,patient,date,payer,discipline,code,minutes,units',
            'A,P-1,2026-03-04,medicare,PT,97110,15,1',
            'B,P-1,2026-03-04,medicare,PT,97110,15,1',
            'A,P-1,2026-03-04,medicare,PT,"97140,8,1'
        ].join('\n');
        const read = parseCsvText(csv);
        expect(read.sessions.map(s => s.session.id)).toEqual(['B']);
        expect(read.rejected).toMatchObject([{ record: 2, id: 'A', error: expect.stringMatching(/^row 4 is not valid CSV: /) }]);
    });

    it('CSV: after a stray quote, reading starts again on the right row whatever the line ends (lone \\r, quoted line breaks)', () => {
        const rows = [
            'session_id,patient,date,payer,discipline,code,minutes,units,note_activities',
            'A,P-1,2026-03-04,medicare,PT,97110,15,1,"Lift box\r\nwith cues"',
            'C,P-3,2026-03-04,"medicare"x,PT,97110,15,1,',
            'D,P-4,2026-03-04,medicare,PT,97110,15,1,',
            'E,P-5,2026-03-04,medicare,PT,97110,15,1,'
        ];
        for (const [name, end] of [['lone \\r', '\r'], ['\\r\\n', '\r\n'], ['\\n', '\n']] as const) {
            const read = parseCsvText(rows.join(end) + end);
            expect(read.sessions.map(s => s.session.id), name).toEqual(['A', 'D', 'E']);
            expect(read.rejected, name).toEqual([{ record: 3, id: 'C', error: 'row 3 is not valid CSV: a quote in the row does not close where its cell ends' }]);
        }
    });

    it('an amount with a decimal comma is rejected with a hint, in JSON and CSV alike', () => {
        const error = 'charge must be a non-negative amount, not "38,12" (write the cents after a point: 38.12)';
        const json = parseJsonText(JSON.stringify([{ id: 'C', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT', lines: [{ code: '97110', minutes: 15, units: 1, charge: '38,12' }] }]));
        expect(json.rejected).toEqual([{ record: 1, id: 'C', error: `claim line 1 (97110): ${error}` }]);
        const csv = parseCsvText(`${HEADER}\nC,P-1,2026-03-04,medicare,PT,,97110,15,1,,"38,12"\n`);
        expect(csv.rejected).toEqual([{ record: 2, id: 'C', error: `row 2: ${error}` }]);
    });

    it('CSV: columns without a name (an Excel export\'s trailing commas) are ignored; a value in one rejects its session, naming row and column', () => {
        const header = 'session_id,patient,date,payer,discipline,code,minutes,units,modifiers';
        const rows = [
            'A,P-1,2026-03-04,medicare,PT,97110,15,1,GP',
            'B,P-2,2026-03-04,medicare,PT,97110,15,1,GP',
            'B,P-2,2026-03-04,medicare,PT,97140,8,1,GP',
            'C,P-3,2026-03-04,medicare,PT,97110,15,1,GP',
            ',P-4,2026-03-04,medicare,PT,97110,15,1,GP'
        ];
        // Values under the unnamed columns 10 and 11 in rows 3, 4 and 6; row 5 has a comma too many.
        const trailing = [',', ',x', 'y,z', ',,', 'w,'];
        const read = parseCsvText([`${header},,`, ...rows.map((row, index) => `${row},${trailing[index]}`)].join('\n'));
        expect(read.sessions).toEqual(parseCsvText([header, rows[0]].join('\n')).sessions);
        expect(read.rejected).toEqual([
            { record: 3, id: 'B', error: 'row 3 has a value in column 11, which has no name in the header; row 4 has values in columns 10 and 11, which have no name in the header' },
            { record: 5, id: 'C', error: 'row 5 has 12 columns; the header has 11' },
            { record: 6, error: 'row 6 has a value in column 10, which has no name in the header' }
        ]);
        // An unnamed column between named ones is ignored the same way.
        expect(parseCsvText('session_id,,patient,date,payer,discipline,code,minutes,units,modifiers\nA,,P-1,2026-03-04,medicare,PT,97110,15,1,GP\n').sessions)
            .toEqual(read.sessions);
    });

    it('CSV: a stray quote costs its own row only; every row after it is still read', () => {
        const unclosed = 'a quote opens a cell and is never closed';
        const misplaced = 'a quote in the row does not close where its cell ends';
        for (const [broken, quotedLater, reason] of [
            ['C,P-3,2026-03-04,"medicare"x,PT,97110,15,1', true, misplaced],
            // A quote left open reaches the next quote of the file, or the end.
            ['C,P-3,2026-03-04,medicare,PT,"97110,15,1', true, misplaced],
            ['C,P-3,2026-03-04,medicare,PT,"97110,15,1', false, unclosed]
        ] as const) {
            const csv = [
                'session_id,patient,date,payer,discipline,code,minutes,units',
                'A,P-1,2026-03-04,medicare,PT,97110,15,1',
                broken,
                'D,P-4,2026-03-04,medicare,PT,97110,15,1',
                `E,P-5,2026-03-04,medicare,PT,${quotedLater ? '"97110"' : '97110'},15,1`,
                'C,P-3,2026-03-04,medicare,PT,97140,8,1'
            ].join('\n');
            const read = parseCsvText(csv);
            expect(read.sessions.map(s => s.session.id), broken).toEqual(['A', 'D', 'E']);
            expect(read.rejected, broken).toEqual([{ record: 3, id: 'C', error: `row 3 is not valid CSV: ${reason}` }]);
        }
    });
});
