/** The report writers, by the name `--format` takes. Each turns a Report into the text to print. */
import type { Report } from '@payrule/engine';
import type { ReportContext } from './context.js';
import { writeCsvReport } from './csv.js';
import { writeHtmlReport } from './html.js';
import { writeJsonReport } from './json.js';
import { writeJunitReport } from './junit.js';
import { writeSarifReport } from './sarif.js';
import { writeTextReport, type TextReportOptions } from './text.js';

export interface ReportWriterOptions extends TextReportOptions {
    /** Where each session came from, the policy, the run's time and money: for the formats that show them. */
    context?: ReportContext;
}
export type ReportWriter = (report: Report, options: ReportWriterOptions) => string;

export const reportWriters: Record<string, ReportWriter> = {
    text: writeTextReport,
    json: writeJsonReport,
    html: writeHtmlReport,
    csv: writeCsvReport,
    sarif: writeSarifReport,
    junit: writeJunitReport
};

export const reportFormats = Object.keys(reportWriters);

export { writeJsonReport } from './json.js';
export { writeTextReport, findingLines, DEFAULT_WIDTH, type TextReportOptions } from './text.js';
export { writeHtmlReport, type HtmlReportOptions } from './html.js';
export { writeCsvReport, csvCell, CSV_COLUMNS, type CsvReportOptions } from './csv.js';
export { writeSarifReport, SARIF_SCHEMA, type SarifReportOptions } from './sarif.js';
export { writeJunitReport, type JunitReportOptions } from './junit.js';
export { computeRevenueAtRisk, formatDollars, VALUATION_NOTE, type RevenueAtRisk, type UnitGap } from './money.js';
export { Redactor, redactRun, loadRedactKey, isNameField, REDACT_KEY_VARIABLE } from './redact.js';
export { describeRecord, STANDARD_INPUT, type ReportContext, type SessionSource } from './context.js';
export { createStyle, wantsColor, type Style } from './style.js';
