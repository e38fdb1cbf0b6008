import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, misspelledColumns, parseCsvText, parseJsonText, parseNdjsonText, parseSessionRecord, readSessions } from '../src/index.js';

const good = {
    id: 'S-1', claim: 'C-1', patient: 'P-1', date: '2026-03-04', payer: 'medicare', discipline: 'PT',
    provider: { id: '1234567893', role: 'PT' }, diagnoses: ['M54.50'],
    lines: [{ code: '97530', minutes: 38, units: 3, modifiers: ['GP'], allowed: 38.12 }],
    totalMinutes: 45, note: { activities: 'Lift box' }, submitted: '2026-03-10'
};
const reason = (raw: unknown) => {
    const parsed = parseSessionRecord(raw, 1);
    return parsed.ok ? 'valid' : parsed.error;
};

describe('parseSessionRecord', () => {
    it('accepts a complete record', () => {
        const parsed = parseSessionRecord(good, 1);
        expect(parsed.ok && parsed.session).toMatchObject({ id: 'S-1', lines: [{ code: '97530', minutes: 38, units: 3, modifiers: ['GP'] }] });
    });

    it('names what is wrong and where', () => {
        const { claim: _claim, ...noClaim } = good;
        expect(reason(noClaim)).toBe('valid');
        expect(reason({ ...good, patient: undefined })).toBe('missing required field "patient"');
        expect(reason({ ...good, date: '2026-02-30' })).toBe('date "2026-02-30" is not a real date');
        expect(reason({ ...good, date: '03/04/2026' })).toBe('date must be an ISO date (YYYY-MM-DD), not "03/04/2026"');
        expect(reason({ ...good, discipline: 'PX' })).toBe('discipline must be PT, OT or SLP, not "PX"');
        expect(reason({ ...good, provider: { role: 'RN' } })).toContain('provider.role must be PT, PTA, OT, OTA, SLP, SLPA or other');
        expect(reason({ ...good, lines: [] })).toBe('lines must hold at least one claim line');
        expect(reason({ ...good, lines: [{ code: '97530', minutes: -5, units: 3 }] })).toBe('claim line 1 (97530): minutes must be a non-negative integer, not -5');
        // A code field holding something else (a name typed in the wrong column) is not quoted.
        expect(reason({ ...good, lines: [{ code: 'Ana Lee', minutes: -5, units: 3 }] })).toBe('claim line 1: minutes must be a non-negative integer, not -5');
        expect(reason({ ...good, lines: [{ code: 'JONES', minutes: -5, units: 3 }] })).toBe('claim line 1: minutes must be a non-negative integer, not -5');
        expect(reason({ ...good, lines: [{ code: '97530', minutes: '38', units: 3.5 }] })).toBe(
            'claim line 1 (97530): minutes must be a non-negative integer, not "38"; claim line 1 (97530): units must be a non-negative integer, not 3.5');
        expect(reason({ ...good, lines: [{ code: 97530, units: 1, charge: 'ten' }] })).toBe('claim line 1: code must be text, not 97530; claim line 1: charge must be a non-negative amount, not "ten"');
        expect(reason({ ...good, note: { activities: 5 } })).toBe('note element "activities" must be text, not 5');
        expect(reason([good])).toBe('a session must be an object, not a list');
    });

    it('keeps unknown fields in extra without letting keys touch prototypes', () => {
        const raw = JSON.parse('{"__proto__": {"polluted": true}, "clinic": "North"}');
        const parsed = parseSessionRecord({ ...good, ...raw, note: JSON.parse('{"__proto__": "x", "constructor": "y"}') }, 1);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.session.extra?.['clinic']).toBe('North');
        expect(Object.getPrototypeOf(parsed.session.extra)).toBe(Object.prototype);
        expect(Object.hasOwn(parsed.session.note, '__proto__')).toBe(true);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
});

const header = 'session_id,claim,patient,date,payer,discipline,provider_id,provider_role,diagnoses,code,minutes,units,modifiers,charge,allowed,assistant_minutes,total_minutes,submitted,note_activities,clinic';

describe('text readers', () => {
    it('JSON: positions are array index + 1; broken JSON is an input error', () => {
        const read = parseJsonText(JSON.stringify([good, { ...good, id: 'S-2', payer: 7 }, good]));
        expect(read.sessions.map(s => s.record)).toEqual([1]);
        expect(read.rejected).toEqual([
            { record: 2, id: 'S-2', error: 'payer must be text, not 7' },
            { record: 3, id: 'S-1', error: 'duplicate session id S-1, first seen at record 1' }
        ]);
        expect(() => parseJsonText('[{"id": ')).toThrow(InputError);
        expect(() => parseJsonText('{}', 'x.json')).toThrow('x.json must hold a JSON array of sessions');
    });

    it('NDJSON: positions are line numbers, blank lines skipped, broken lines rejected, BOM and CRLF handled', () => {
        const text = `\ufeff${JSON.stringify(good)}\r\n\r\n{"id": "S-2",\r\n${JSON.stringify({ ...good, id: 'S-3', lines: [{ code: '97110', minutes: -1, units: 1 }] })}\r\n`;
        const read = parseNdjsonText(text);
        expect(read.sessions.map(s => [s.session.id, s.record])).toEqual([['S-1', 1]]);
        expect(read.rejected.map(r => r.record)).toEqual([3, 4]);
        expect(read.rejected[0]!.error).toMatch(/^broken JSON: /);
        expect(read.rejected[1]).toMatchObject({ id: 'S-3', error: 'claim line 1 (97110): minutes must be a non-negative integer, not -1' });
    });

    it('CSV: rows sharing a session id form one session, even apart; positions are spreadsheet rows', () => {
        const csv = [
            header,
            'S-1,C-1,P-1,2026-03-04,medicare,PT,1234567893,PT,M54.50,97530,38,3,GP,,38.12,,45,2026-03-10,Lift box,North',
            'S-2,,P-2,2026-03-04,medicare,PT,,,,97110,15,1,GP KX,,,,,,,',
            'S-1,,,,,,,,,97140,7,1,GP;59,,,,,,,'
        ].join('\r\n');
        const read = parseCsvText(`\ufeff${csv}\r\n`);
        expect(read.rejected).toEqual([]);
        expect(read.sessions.map(s => [s.session.id, s.record])).toEqual([['S-1', 2], ['S-2', 3]]);
        const s1 = read.sessions[0]!.session;
        expect(s1.lines.map(l => [l.code, l.modifiers])).toEqual([['97530', ['GP']], ['97140', ['GP', '59']]]);
        expect(s1).toMatchObject({ note: { activities: 'Lift box' }, extra: { clinic: 'North' }, diagnoses: ['M54.50'], totalMinutes: 45 });
        expect(read.sessions[1]!.session.lines[0]!.modifiers).toEqual(['GP', 'KX']);
    });

    it('CSV: a ragged or bad row rejects its whole session, naming the row', () => {
        const csv = [
            header,
            'S-1,,P-1,2026-03-04,medicare,PT,,,,97530,38,3,GP,,,,,,,',
            'S-2,,P-1,2026-03-05,medicare,PT,,,,97530,38,3',
            'S-1,,,,,,,,,97140,abc,1,GP,,,,,,,',
            ',,P-1,2026-03-05,medicare,PT,,,,97530,38,3,GP,,,,,,,',
            'S-3,,P-1,2026-03-06,medicare,PT,,,,97530,38,3,GP,,,,,,,',
            'S-3,,P-9,2026-03-06,medicare,PT,,,,97110,8,1,GP,,,,,,,',
            'S-4,,P-1,2026-02-30,medicare,PT,,,,97530,38,3,GP,,,,,,,'
        ].join('\n');
        const read = parseCsvText(csv);
        expect(read.sessions).toEqual([]);
        expect(read.rejected).toEqual([
            { record: 2, id: 'S-1', error: 'row 4: minutes must be a non-negative integer, not "abc"' },
            { record: 3, id: 'S-2', error: 'row 3 has 12 columns; the header has 20' },
            { record: 5, error: 'row 5: missing required field "session_id"' },
            { record: 6, id: 'S-3', error: 'row 7: patient "P-9" differs from row 6 ("P-1")' },
            { record: 8, id: 'S-4', error: 'date "2026-02-30" is not a real date' }
        ]);
    });

    it('CSV without a session_id column is an input error', () => {
        expect(() => parseCsvText('id,patient\nS-1,P-1\n', 'x.csv')).toThrow('x.csv: the header has no session_id column');
    });
});

describe('misspelledColumns', () => {
    it('names the header cells close to a column Payrule reads, with the column meant', () => {
        const header = ['session_id', 'patient', 'minuts', 'Modifers', 'alowed', 'note-activities', 'Total Minutes', 'Provider-ID', 'payor', 'Note Goals', 'unit'];
        expect(misspelledColumns(header)).toEqual([
            { column: 'minuts', meant: 'minutes' },
            { column: 'Modifers', meant: 'modifiers' },
            { column: 'alowed', meant: 'allowed' },
            { column: 'note-activities', meant: 'note_activities' },
            { column: 'Total Minutes', meant: 'total_minutes' },
            { column: 'Provider-ID', meant: 'provider_id' },
            { column: 'payor', meant: 'payer' },
            { column: 'Note Goals', meant: 'note_Goals' },
            { column: 'unit', meant: 'units' }
        ]);
    });

    it('says nothing of a header without session_id: the reader refuses it, or it is a row of data (a name is no column name)', () => {
        expect(misspelledColumns(['sesion_id', 'patient', 'minuts'])).toEqual([]);
        expect(misspelledColumns(['S-1', 'Dante', '2026-03-04', 'medicare', 'PT', '97110', '38', '3', 'GP'])).toEqual([]);
    });

    it('leaves alone the columns it reads, other columns, unnamed ones, and near names whose column the header has', () => {
        const header = ['Session_ID', 'patient', 'note_activities', 'Note_goals', 'scenario', 'First Name', 'clinic', 'notes', '', 'Date of Birth',
            'authorization_number', 'units', 'unit', 'note-activities', '__proto__', 'constructor'];
        expect(misspelledColumns(header)).toEqual([]);
    });
});

describe('readSessions (files and standard input)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payrule-engine-'));

    it('reads each format by extension, and NDJSON from - on standard input', async () => {
        writeFileSync(join(dir, 'a.json'), JSON.stringify([good]));
        writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify(good)}\n`);
        writeFileSync(join(dir, 'a.csv'), `${header}\nS-1,,P-1,2026-03-04,medicare,PT,,,,97530,38,3,GP,,,,,,,\n`);
        for (const name of ['a.json', 'a.jsonl', 'a.csv']) {
            const read = await readSessions(join(dir, name));
            expect(read.sessions.map(s => s.session.id), name).toEqual(['S-1']);
        }
        const stdin = Readable.from([`${JSON.stringify(good)}\n`, 'oops\n']);
        const read = await readSessions('-', { stdin, file: '<stdin>' });
        expect(read.sessions).toHaveLength(1);
        expect(read.rejected).toMatchObject([{ record: 2, file: '<stdin>' }]);
    });

    it('throws a one-line InputError for missing, unreadable or unknown inputs', async () => {
        mkdirSync(join(dir, 'folder.json'), { recursive: true });
        await expect(readSessions(join(dir, 'missing.json'))).rejects.toThrow(/cannot read .*missing\.json: no such file/);
        await expect(readSessions(join(dir, 'missing.ndjson'))).rejects.toBeInstanceOf(InputError);
        await expect(readSessions(join(dir, 'folder.json'))).rejects.toThrow('it is a folder');
        await expect(readSessions(join(dir, 'a.txt'))).rejects.toThrow('cannot tell the format');
    });
});
