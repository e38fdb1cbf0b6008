/**
 * The CSV report: one row per finding, for a biller's spreadsheet. RFC 4180 (CRLF line ends,
 * fields quoted when they hold a comma, quote or line break, quotes doubled). Records that could
 * not be checked get a row too (severity `rejected`), so none is lost on the way to the sheet.
 *
 * Cells come from session records and policies, so a spreadsheet must never run them: a cell
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` (OWASP's
 * advice against CSV formula injection), and shown as text.
 */
import type { Report } from '@payrule/engine';
import { describeRecord, providerLabel, type ReportContext } from './context.js';

export interface CsvReportOptions {
    context?: ReportContext;
}

export const CSV_COLUMNS = [
    'Session', 'Claim', 'Patient', 'Date of service', 'Payer', 'Provider', 'Severity', 'Rule', 'Code', 'Claim line',
    'Message', 'Why', 'Fix', 'Citation', 'Policy source', 'Input record'
] as const;

export function writeCsvReport(report: Report, options: CsvReportOptions = {}): string {
    const sources = options.context?.sources;
    const rows: string[][] = [[...CSV_COLUMNS]];
    for (const session of report.sessions) {
        const source = sources?.get(session.id);
        for (const finding of session.findings) {
            rows.push([
                session.id,
                source?.session.claim ?? '',
                session.patient,
                session.date,
                session.payer,
                providerLabel(source?.session) ?? '',
                finding.severity,
                finding.rule,
                finding.code ?? '',
                finding.line !== undefined ? String(finding.line + 1) : '',
                finding.message,
                finding.explain.join('; '),
                finding.fix ?? '',
                finding.citation ?? '',
                `${finding.source.file}:${finding.source.line}`,
                source ? describeRecord(source) : ''
            ]);
        }
    }
    for (const rejection of report.rejected) {
        const where = `${rejection.file ?? options.context?.inputs?.[0] ?? 'input'} record ${rejection.record}`;
        rows.push([rejection.id ?? '', '', '', '', '', '', 'rejected', '', '', '', `Not checked: ${rejection.error}`, '', 'Correct the record and check again', '', '', where]);
    }
    return rows.map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Characters a spreadsheet may read as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised against formulas, then quoted as RFC 4180 requires. */
export function csvCell(value: string): string {
    const safe = FORMULA_START.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
