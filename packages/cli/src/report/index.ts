/** The report writers, by the name `--format` takes. Each turns a Report into the text to print. */
import type { Report } from '@payrule/engine';
import { writeJsonReport } from './json.js';
import { writeTextReport, type TextReportOptions } from './text.js';

export type ReportWriterOptions = TextReportOptions;
export type ReportWriter = (report: Report, options: ReportWriterOptions) => string;

export const reportWriters: Record<string, ReportWriter> = {
    text: writeTextReport,
    json: writeJsonReport
};

export const reportFormats = Object.keys(reportWriters);

export { writeJsonReport } from './json.js';
export { writeTextReport, findingLines, DEFAULT_WIDTH, type TextReportOptions } from './text.js';
export { createStyle, wantsColor, type Style } from './style.js';
