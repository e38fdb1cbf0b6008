import { describe, expect, it } from 'vitest';
import { writeJsonReport } from '../src/report/index.js';
import { sampleReport } from './sample-report.js';

describe('json report', () => {
    it('is the report itself, two-space indented, with a trailing newline', () => {
        const report = sampleReport();
        const text = writeJsonReport(report);
        expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
        expect(JSON.parse(text)).toEqual(report);
    });

    it('keeps the field names DATA.md fixes', () => {
        const parsed = JSON.parse(writeJsonReport(sampleReport()));
        expect(Object.keys(parsed)).toEqual(['format', 'policies', 'sessions', 'rejected', 'summary']);
        expect(parsed.format).toBe('payrule-report/1');
        expect(Object.keys(parsed.summary)).toEqual(['records', 'evaluated', 'rejected', 'sessionsWithFindings', 'findings']);
    });
});
