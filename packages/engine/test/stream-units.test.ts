/** The fast pieces of the streaming evaluation against the plain ones they stand in for. */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { countWordsBeyond, words, wordsBeyond } from '../src/rules/documentation.js';
import { cellValue, columnRole } from '../src/sessions/csv-columns.js';
import { assembleSession, assembleSessionPlainly } from '../src/sessions/csv-text.js';
import { byteRecordEnds, readRecords } from '../src/stream/csv-rows.js';
import { parseSessionFast } from '../src/stream/fast-validate.js';
import { IdIndex } from '../src/stream/id-index.js';
import { parseSessionRecord } from '../src/sessions/validate.js';
import { reportFrame, sessionsText, SessionsLayout } from '../src/stream/report-text.js';
import { sessionText, SessionTextWriter } from '../src/stream/session-text.js';
import { EngineFinding } from '../src/report/report.js';
import type { Report, SessionResult } from '../src/index.js';

/** A small deterministic generator (xorshift). */
function random(seed: number): () => number {
    let state = seed >>> 0 || 1;
    return () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 4294967296;
    };
}

describe('note words', () => {
    it('are the Unicode pattern\'s words, whatever the text', () => {
        const next = random(3);
        const alphabet = ['a', 'Z', '0', '9', ' ', '-', '_', '.', ',', '\t', 'é', 'Ä', 'ß', '—', '中', '\u0301', 'İ', '１', 'x'];
        for (let n = 0; n < 3000; n++) {
            const text = Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
            expect(words(text), JSON.stringify(text)).toEqual(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(word => word !== ''));
        }
    });

    it('left beyond the stock phrases are counted as wordsBeyond lists them, up to the number needed', () => {
        const next = random(5);
        const phrases = ['tolerated well', 'Patient tolerated treatment well', 'continue per plan of care', 'good participation', 'café au lait', 'no complaints'];
        const pieces = ['patient', 'Tolerated', 'WELL', 'treatment', 'continue', 'per', 'plan', 'of', 'care', 'good', 'participation', 'no', 'complaints',
            'lift', 'box', '10', 'lb', 'cues', 'café', 'au', 'lait', 'tolerate', 'wells', ' ', ', ', '. ', '-', '\n'];
        for (let n = 0; n < 3000; n++) {
            const text = Array.from({ length: Math.floor(next() * 24) }, () => pieces[Math.floor(next() * pieces.length)]).join(next() < 0.5 ? ' ' : '');
            const enough = 1 + Math.floor(next() * 8);
            expect(countWordsBeyond(text, phrases, enough), JSON.stringify(text)).toBe(Math.min(wordsBeyond(text, phrases).length, enough));
        }
    });
});

describe('the validator\'s fast path', () => {
    it('reads every record as the validator does (values, not key order)', () => {
        const next = random(17);
        const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
        const maybe = <T>(value: T) => (next() < 0.8 ? value : pick([undefined, null, '', ' x ', 7, -1, 1.5, [], {}, 'gp', '2026-02-30'] as unknown[]));
        let fast = 0;
        for (let n = 0; n < 5000; n++) {
            const line = () => ({
                code: maybe(pick(['97530', '97110', 'G0283', ' 97140'])), units: maybe(pick([0, 1, 3])), minutes: maybe(pick([8, 38, undefined])),
                modifiers: maybe(pick([['GP'], ['GP', 'KX'], [], ['gp'], [' GO']])), allowed: maybe(pick([12.5, 0, undefined])),
                ...(next() < 0.2 ? { charge: maybe(40) } : {}), ...(next() < 0.1 ? { assistantMinutes: maybe(5) } : {}), ...(next() < 0.05 ? { color: 'red' } : {})
            });
            const raw: Record<string, unknown> = {
                id: maybe(`S-${n}`), patient: maybe('P-1'), date: maybe(pick(['2026-03-04', '2025-12-31'])), payer: maybe('medicare'),
                discipline: maybe(pick(['PT', 'OT', 'SLP', 'pt'])), lines: maybe(Array.from({ length: 1 + Math.floor(next() * 3) }, line)),
                note: maybe(pick([{ activities: 'Lift 10 lb' }, {}, { activities: null }, JSON.parse('{"__proto__":"x"}') as unknown])),
                ...(next() < 0.5 ? { claim: maybe('C-1') } : {}), ...(next() < 0.5 ? { provider: maybe(pick([{ id: '1', role: 'PT' }, { role: 'PTA' }, { role: '' }, {}])) } : {}),
                ...(next() < 0.5 ? { diagnoses: maybe(pick([['M54.50'], [' M54.50'], [''], []])) } : {}), ...(next() < 0.5 ? { totalMinutes: maybe(45) } : {}),
                ...(next() < 0.5 ? { submitted: maybe('2026-03-10') } : {}), ...(next() < 0.3 ? { authorization: maybe(pick([{ id: 'A', visitsApproved: 12, visitNumber: 3 }, { id: '' }, {}])) } : {}),
                ...(next() < 0.05 ? { scenario: 'x' } : {})
            };
            const text = JSON.stringify(raw);
            const reference = parseSessionRecord(JSON.parse(text), 1);
            const quick = parseSessionFast(JSON.parse(text), 1);
            expect(quick, text).toEqual(reference);
            if (quick.ok && reference.ok) fast++;
        }
        expect(fast).toBeGreaterThan(100);
    });
});

describe('the session id index', () => {
    it('finds exactly the ids added, as a Map would', () => {
        const next = random(9);
        const index = new IdIndex();
        const map = new Map<string, number>();
        for (let n = 0; n < 50_000; n++) {
            const draw = next();
            // Latin-1 ids, and ids with wider characters (CJK, a surrogate pair) that are stored two bytes a unit.
            const id = draw < 0.1 ? `ü-${Math.floor(next() * 500)}` : draw < 0.15 ? `患者-${Math.floor(next() * 300)}` : draw < 0.18 ? `S-😀${Math.floor(next() * 200)}` : `S-${Math.floor(next() * 40_000)}`;
            const entry = index.find(id);
            expect(entry >= 0, id).toBe(map.has(id));
            if (entry >= 0) {
                expect(index.value(entry, 1)).toBe(map.get(id));
            } else {
                const added = index.add(id);
                index.setValue(added, 1, n);
                map.set(id, n);
            }
        }
        expect(index.size).toBe(map.size);
        expect(index.find('')).toBe(-1);
    });
});

describe('CSV records', () => {
    const options = { bom: true, trim: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: false, skip_records_with_error: true };

    it('are csv-parse\'s records for regular text, with their ends found from the quotes', () => {
        const next = random(5);
        const cells = ['', 'plain', '97530', 'GP;KX', '"quoted, with comma"', '"with ""quotes"""', '"two\nlines"', '"a\r\nb"', '12.50'];
        for (const crlf of [false, true]) {
            for (let n = 0; n < 300; n++) {
                const rows = Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
                    Array.from({ length: 1 + Math.floor(next() * 5) }, () => cells[Math.floor(next() * cells.length)]).join(','));
                const end = crlf ? '\r\n' : '\n';
                const final = next() < 0.5;
                const text = rows.join(end) + (final ? end : '');
                expect(readRecords(text, crlf), JSON.stringify(text)).toEqual(parse(text, options));
                const { ends } = byteRecordEnds(Buffer.from(text));
                expect(ends.length).toBe(rows.length - 1 + (final ? 1 : 0));
            }
        }
    });

    it('leave what csv-parse would read otherwise to it', () => {
        for (const text of ['a, b\n', 'a,b "c"\n', '"a"b,c\n', 'a,"unclosed\n', 'a\rb\n', ' a,b\n']) expect(readRecords(text, false), text).toBeUndefined();
    });
});

describe('CSV cells', () => {
    it('read as lists and amounts as the patterns read them, whatever the text', () => {
        const next = random(11);
        const alphabet = ['G', 'P', '5', '9', ';', ',', ' ', '\t', '\n', '\r', '\v', '\f', 'é', '\u00a0', '\u2003', '$', '.', '-', '1', 'X'];
        for (let n = 0; n < 20_000; n++) {
            let cell = '';
            for (let k = Math.floor(next() * 9); k > 0; k--) cell += alphabet[Math.floor(next() * alphabet.length)];
            expect(cellValue(cell, 'list'), JSON.stringify(cell)).toEqual(cell.split(/[;,\s]+/).filter(item => item !== ''));
            const amount = cell.replace(/^\$/, '');
            const readable = /^-?\d+(\.\d+)?$/.test(amount) || /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(amount);
            expect(cellValue(cell, 'money'), JSON.stringify(cell)).toBe(readable ? Number(amount.replaceAll(',', '')) : cell);
        }
    });

    it('take a comma in an amount only as a thousands separator: a decimal comma is no amount, not a thousand times more', () => {
        expect(['38.12', '$38.12', '1,250.00', '$12,480.50', '1,234,567'].map(cell => cellValue(cell, 'money'))).toEqual([38.12, 38.12, 1250, 12480.5, 1234567]);
        for (const cell of ['38,12', '1.250,00', '1,2,3', '$12,50.00', '1,2500']) expect(cellValue(cell, 'money'), cell).toBe(cell);
    });
});

describe('CSV rows assembled into a session', () => {
    it('give the plain assembly\'s record and problems', () => {
        const next = random(11);
        // Two unnamed columns last, as Excel writes them: both assemblies leave them out.
        const header = ['session_id', 'patient', 'date', 'code', 'minutes', 'units', 'modifiers', 'allowed', 'provider_id', 'provider_role',
            'authorization_id', 'total_minutes', 'note_activities', 'note___proto__', 'note_goals', 'scenario', '__proto__', 'diagnoses', '', ''];
        const roles = header.map(columnRole);
        const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
        for (let n = 0; n < 2000; n++) {
            const rows = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, index) => ({
                row: index + 2,
                cells: header.map(name => (next() < 0.25 ? '' : name === 'minutes' || name === 'units' || name === 'total_minutes'
                    ? pick(['12', '-3', 'x', '0']) : name === 'allowed' ? pick(['$1,200.50', '3.5', 'n/a']) : pick([`${name}-a`, `${name}-b`, 'GP;KX'])))
            }));
            expect(assembleSession(rows, roles)).toEqual(assembleSessionPlainly(rows, roles));
            const fast = assembleSession(rows, roles).raw;
            const plain = assembleSessionPlainly(rows, roles).raw;
            expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
        }
    });
});

describe('the report text', () => {
    const session = (id: string): SessionResult => ({
        id, patient: 'P-1', date: '2026-03-04', payer: 'medicare', policy: 'Medicare', status: 'findings', units: { 97530: 3, G0283: 1 }, billed: { 97530: 2 },
        findings: [{ rule: 'units-match', severity: 'error', message: 'a "quoted" message\nwith a line', explain: ['one', 'two'], source: { file: 'x.payrule', line: 3 } }]
    });

    it('is JSON.stringify(report, null, 2), sessions written in pieces', () => {
        for (const count of [0, 1, 5]) {
            const sessions = Array.from({ length: count }, (_, i) => session(`S-${i}`));
            const report: Report = {
                format: 'payrule-report/1', policies: [{ package: 'p', version: '1', payers: ['medicare'] }], sessions,
                rejected: [{ record: 3, id: 'x', error: 'bad' }],
                // Notices come before the summary when there are any.
                ...(count === 5 ? { notices: [{ kind: 'unpriced-lines' as const, payer: 'medicare', lines: 2, of: 5, message: 'two "lines"' }] } : {}),
                summary: { records: count + 1, evaluated: count, rejected: 1, sessionsWithFindings: count, findings: { error: count, warning: 0, info: 0 } }
            };
            const { head, tail } = reportFrame(report);
            const layout = new SessionsLayout();
            const pieces = [sessions.slice(0, 2), sessions.slice(2, 2), sessions.slice(2)].map(part => layout.next(sessionsText(part), part.length));
            expect(head + pieces.join('') + layout.close() + tail).toBe(JSON.stringify(report, null, 2));
        }
    });

    it('writes sessions as JSON.stringify does, whatever their findings hold, several through one writer', () => {
        // Text of every kind JSON treats apart: quotes, backslashes, control characters, lone surrogates, U+2028, non-ASCII, emoji.
        const unit = fc.constantFrom('a', 'Z', '7', ' ', '"', '\\', '\u0001', '\u001f', '\n', '\ud800', '\udfff', '\u2028', 'é', '中', '😀');
        const text = fc.oneof(fc.string({ unit }), fc.string({ unit: 'binary' }));
        // Values JSON writes as they are, as null, or leaves out; one long enough to make the writer's buffer grow.
        const odd = fc.oneof(fc.jsonValue(), text, fc.constant(undefined), fc.constant(() => 0), fc.constant(Symbol('s')), fc.constant(-0),
            fc.constant(Number.NaN), fc.constant(1e21), fc.constant('\u0001'.repeat(20_000)), fc.constant('中'.repeat(30_000)));
        const finding = fc.record({
            rule: text, severity: fc.constantFrom('error', 'warning', 'info'), message: text,
            explain: fc.array(odd), source: fc.record({ file: text, line: fc.nat() }), extra: fc.dictionary(text, odd)
        });
        const session = fc.record({ id: text, patient: text, findings: fc.array(finding, { maxLength: 3 }) });
        const writer = new SessionTextWriter();
        fc.assert(fc.property(fc.array(session, { minLength: 1, maxLength: 4 }), sessions => {
            const all = sessions.map(({ id, patient, findings }) => ({
                id, patient, date: '2026-03-04', payer: 'medicare', status: findings.length > 0 ? 'findings' as const : 'ok' as const,
                units: new Map<string, number>(), billed: new Map<string, number>(), findings: findings as never
            }));
            for (const fields of all) writer.add(fields);
            const expected = JSON.stringify({ sessions: all.map(fields => ({ ...fields, units: {}, billed: {} })) }, null, 2);
            expect(expected).toContain(Buffer.from(writer.take()).toString('utf8'));
        }), { seed: 42, numRuns: Number(process.env['PAYRULE_FUZZ_RUNS'] ?? 200) });
    });

    it('writes the engine\'s findings as JSON.stringify does, whichever keys they leave out, a rule\'s location shared by findings of any citation', () => {
        const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', 'é', '😀') });
        const absent = fc.constantFrom(undefined, () => 0);
        const optional = <T>(value: fc.Arbitrary<T>) => fc.oneof(value, absent);
        // A few locations, shared by the findings of a run as a rule's location is, one of them odd (no file, keys in another order).
        const locations = [{ file: 'a.payrule', line: 3, column: 5 }, { file: 'b "x".payrule', line: 9 }, { column: 2, line: 1, file: 'c' }];
        const finding = fc.record({
            rule: optional(text), severity: fc.constantFrom('error', 'warning', 'info'), message: optional(text), line: optional(fc.oneof(fc.nat(), fc.constant(-0), fc.constant(Number.NaN))),
            code: optional(text), explain: optional(fc.array(text, { maxLength: 2 })), fix: optional(text), citation: optional(fc.constantFrom('Pub 100-02', 'LCD "L1"', '')),
            source: fc.oneof(fc.constantFrom(...locations), absent)
        }).map(parts => new EngineFinding(parts as never));
        const session = fc.record({ id: text, findings: fc.array(fc.oneof(finding, fc.constant(undefined)), { maxLength: 3 }) });
        const writer = new SessionTextWriter();
        fc.assert(fc.property(fc.array(session, { minLength: 1, maxLength: 4 }), sessions => {
            const all = sessions.map(({ id, findings }) => ({
                id, patient: 'P-1', date: '2026-03-04', payer: 'medicare', status: 'findings' as const,
                units: new Map([['97530', 2]]), billed: new Map([['97530', 2]]), findings: findings as never
            }));
            for (const fields of all) writer.add(fields);
            const plain = all.map(fields => ({ ...fields, units: { 97530: 2 }, billed: { 97530: 2 } }));
            expect(JSON.stringify({ sessions: plain }, null, 2)).toContain(Buffer.from(writer.take()).toString('utf8'));
        }), { seed: 7, numRuns: Number(process.env['PAYRULE_FUZZ_RUNS'] ?? 200) });
    });

    it('writes billed numbers that differ from the supported ones, or come in another order, as they are', () => {
        const cases: [string, number][][][] = [
            [[['97530', 2]], [['97530', 3]]], [[['97530', 2], ['97110', 1]], [['97110', 1], ['97530', 2]]],
            [[['X', 1], ['G0283', 1]], [['G0283', 1], ['X', 1]]], [[['97530', 2]], [['97530', 2], ['97110', 1]]], [[], [['97530', 1]]]
        ];
        for (const [units, billed] of cases) {
            const fields = { id: 'S-1', patient: 'P-1', date: '2026-03-04', payer: 'medicare', status: 'ok' as const, units: new Map(units), billed: new Map(billed), findings: [] };
            const expected = JSON.stringify({ sessions: [{ ...fields, units: Object.fromEntries(units!), billed: Object.fromEntries(billed!) }] }, null, 2);
            expect(expected).toContain(sessionText(fields));
        }
    });

    it('orders a session\'s per-code numbers as JSON.stringify does, for few codes and for many', () => {
        const keySets = [
            ['97530'], ['97530', '97110'], ['G0283', '97530', '97012', '0', '01'], ['__proto__', '97140', 'X'],
            ['97750', '97116', '97140', 'G0283', '97110', '97012', '97530', '4294967295', '4294967294', '97112', '007']
        ];
        for (const keys of keySets) {
            const units = new Map(keys.map((key, i) => [key, i + 1]));
            const fields = { id: 'S-1', patient: 'P-1', date: '2026-03-04', payer: 'medicare', status: 'ok' as const, units, billed: new Map(units), findings: [] };
            const plain: Record<string, number> = {};
            for (const [key, value] of units) Object.defineProperty(plain, key, { value, enumerable: true, writable: true, configurable: true });
            const expected = JSON.stringify({ sessions: [{ ...fields, units: plain, billed: plain }] }, null, 2);
            const text = sessionText(fields);
            expect(expected).toContain(text);
        }
    });
});
