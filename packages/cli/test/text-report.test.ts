import { describe, expect, it } from 'vitest';
import { writeTextReport } from '../src/report/index.js';
import { cleanReport, sampleReport } from './sample-report.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('text report', () => {
    const text = writeTextReport(sampleReport(), { color: false });

    it('groups findings under a session header', () => {
        expect(text).toContain('S-2026-0001  patient P-0042  2026-03-04  medicare');
    });

    it('says what is wrong, why, and what to do', () => {
        expect(text).toMatch(/^ {2}ERROR {4}97530 billed 2 units; 38 timed minutes support 3$/m);
        expect(text).toMatch(/^ {11}why: 38 total timed minutes -> 3 units \(38-52 minutes\)$/m);
        expect(text).toMatch(/^ {16}97530 carries all 38 timed minutes$/m);
        expect(text).toMatch(/^ {11}fix: Bill 3 units of 97530$/m);
    });

    it('cites the rule, the claim line, the payer text and the policy source', () => {
        expect(text).toContain('rule units-match | claim line 1 (97530) | Pub 100-04 Ch 5 s20.2');
        expect(text).toContain('examples/packs/medicare/medicare.payrule:14');
    });

    it('lists errors before warnings within a session', () => {
        expect(text.indexOf('ERROR')).toBeLessThan(text.indexOf('WARNING'));
    });

    it('summarises clean sessions in one line instead of listing them', () => {
        expect(text).toContain('2 sessions without findings');
        expect(text).not.toContain('S-2026-0002');
    });

    it('lists rejected records with record number, file, id and reason', () => {
        expect(text).toContain('record 4 in sessions.csv (S-2026-0004): row 4: minutes must be a non-negative integer');
    });

    it('closes with a summary and a verdict', () => {
        expect(text).toMatch(/^ {2}records read +4$/m);
        expect(text).toMatch(/^ {2}evaluated +3$/m);
        expect(text).toMatch(/^ {2}rejected +1$/m);
        expect(text).toMatch(/^ {2}sessions with findings +1$/m);
        expect(text).toMatch(/^ {2}findings +1 error, 1 warning, 0 info$/m);
        expect(text.trimEnd().split('\n').at(-1)).toBe('NOT READY: fix 1 error in 1 session and correct 1 rejected record, then check again.');
    });

    it('names the policies checked against', () => {
        expect(text.split('\n')[0]).toBe('Checked against: cpt.therapy 2026.1.0, cms.medicare 2026.1.0 (medicare)');
    });

    it('keeps lines within 100 columns', () => {
        for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    });

    it('has no ANSI codes when colour is off, and colours severities when on', () => {
        expect(text).not.toMatch(ANSI);
        const coloured = writeTextReport(sampleReport(), { color: true });
        expect(coloured).toMatch(ANSI);
        expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text);
    });

    it('says a clean run is ready', () => {
        const clean = writeTextReport(cleanReport());
        expect(clean).toContain('2 sessions without findings');
        expect(clean.trimEnd().split('\n').at(-1)).toBe('READY: no errors or warnings in 2 sessions.');
    });

    it('asks for review when there are only warnings', () => {
        const report = sampleReport();
        report.sessions[0]!.findings = report.sessions[0]!.findings.filter(f => f.severity === 'warning');
        report.rejected = [];
        report.summary = { ...report.summary, rejected: 0, records: 3, findings: { error: 0, warning: 1, info: 0 } };
        expect(writeTextReport(report).trimEnd().split('\n').at(-1)).toBe('REVIEW: no errors, but 1 warning to review before billing.');
    });

    it('shows the run\'s notices before the summary, and asks for review of a run with nothing else to fix', () => {
        const report = cleanReport();
        const message = 'All 3 lines that count toward the medicare thresholds (kx) have no allowed amount, and the policy has no fee for their codes.';
        report.notices = [{ kind: 'unpriced-lines', payer: 'medicare', lines: 3, of: 3, message }];
        const text = writeTextReport(report, { width: 200 });
        expect(text).toContain(`Notices (what this check could not see): 1\n  ${message}\n\nSummary`);
        expect(text.trimEnd().split('\n').at(-1)).toBe('REVIEW: no errors, but 1 notice to review before billing.');
        // Errors come first: the verdict names what blocks billing.
        const failing = sampleReport();
        failing.notices = report.notices;
        expect(writeTextReport(failing).trimEnd().split('\n').at(-1)).toMatch(/^NOT READY: fix 1 error/);
    });

    it('wraps long messages under their label', () => {
        const report = sampleReport();
        report.sessions[0]!.findings[1]!.message = 'word '.repeat(40).trim();
        const lines = writeTextReport(report, { width: 60 }).split('\n');
        const first = lines.findIndex(line => line.startsWith('  ERROR'));
        expect(lines[first]!.length).toBeLessThanOrEqual(60);
        expect(lines[first + 1]).toMatch(/^ {11}word/);
    });
});
