import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, writeCsvReport } from '../src/report/csv.js';
import { sampleReport } from './sample-report.js';

describe('csv cells', () => {
    it('prefix a quote to cells a spreadsheet would read as a formula', () => {
        expect(csvCell('=1+1')).toBe('\'=1+1');
        expect(csvCell('+1')).toBe('\'+1');
        expect(csvCell('-1')).toBe('\'-1');
        expect(csvCell('@SUM(A1)')).toBe('\'@SUM(A1)');
        expect(csvCell('\tx')).toBe('\'\tx');
        expect(csvCell('\rx')).toBe('"\'\rx"');
        expect(csvCell('a=b')).toBe('a=b');
        expect(csvCell('97530')).toBe('97530');
        expect(csvCell('')).toBe('');
    });

    it('quote cells with commas, quotes or line breaks, doubling the quotes (RFC 4180)', () => {
        expect(csvCell('a,b')).toBe('"a,b"');
        expect(csvCell('say "hi"')).toBe('"say ""hi"""');
        expect(csvCell('two\nlines')).toBe('"two\nlines"');
        expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    });
});

describe('csv report', () => {
    it('writes a header, a row per finding and a row per rejected record, with CRLF line ends', () => {
        const text = writeCsvReport(sampleReport());
        const lines = text.split('\r\n');
        expect(lines.at(-1)).toBe('');
        expect(lines[0]).toBe(CSV_COLUMNS.join(','));
        expect(lines).toHaveLength(1 + 2 + 1 + 1);
        expect(lines[2]).toMatch(/^S-2026-0001,,P-0042,2026-03-04,medicare,,error,units-match,97530,1,97530 billed 2 units; 38 timed minutes support 3,/);
        expect(lines[3]).toMatch(/^S-2026-0004,,,,,,rejected,,,,Not checked: row 4: minutes must be a non-negative integer,/);
    });
});
