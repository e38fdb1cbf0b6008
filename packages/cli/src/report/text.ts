/**
 * The text report, written for billers and compliance staff rather than programmers: for each
 * session with findings, what is wrong, why (minutes, thresholds, citation), and what to do.
 * Clean sessions are counted, not listed; a summary and a one-line verdict close the report.
 */
import type { Finding, Report, SessionResult, Severity } from '@payrule/engine';
import { count, hanging } from './layout.js';
import { createStyle, type Style } from './style.js';
import { verdictOf } from './verdict.js';

export interface TextReportOptions {
    /** ANSI colours (severity labels, verdict); off unless asked for. */
    color?: boolean;
    /** Columns to wrap at; the default keeps the report readable in a terminal or a ticket. */
    width?: number;
}

export const DEFAULT_WIDTH = 100;

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];
const SEVERITY_LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
/** Findings are indented under their session, label first, text aligned after the widest label. */
const FINDING_INDENT = '  ';
const TEXT_COLUMN = FINDING_INDENT.length + 'WARNING'.length + 2;
/** "why:" and "fix:" sit in the text column; their text aligns after them. */
const DETAIL_COLUMN = TEXT_COLUMN + 'why: '.length;
/** Summary labels are padded so the numbers line up. */
const SUMMARY_LABEL_WIDTH = 'sessions with findings'.length + 2;

export function writeTextReport(report: Report, options: TextReportOptions = {}): string {
    const style = createStyle(options.color ?? false);
    const width = options.width ?? DEFAULT_WIDTH;
    const blocks: string[][] = [
        policiesBlock(report, style, width),
        ...report.sessions.filter(hasFindings).map(session => sessionBlock(session, style, width)),
        cleanSessionsBlock(report, style),
        rejectedBlock(report, style, width),
        noticesBlock(report, style, width),
        summaryBlock(report, style),
        verdictBlock(report, style, width)
    ];
    return blocks.filter(block => block.length > 0).map(block => block.join('\n')).join('\n\n') + '\n';
}

function hasFindings(session: SessionResult): boolean {
    return session.findings.length > 0;
}

/** Which policies the sessions were checked against, so a reader can tell which year's rules applied. */
function policiesBlock(report: Report, style: Style, width: number): string[] {
    if (report.policies.length === 0) return [];
    const names = report.policies.map(p => {
        const version = p.version ? ` ${p.version}` : '';
        const payers = p.payers.length > 0 ? ` (${p.payers.join(', ')})` : '';
        return `${p.package}${version}${payers}`;
    });
    const label = 'Checked against: ';
    return hanging(label, label.length, names.join(', '), width).map(line => style.dim(line));
}

function sessionBlock(session: SessionResult, style: Style, width: number): string[] {
    const header = `${style.heading(session.id)}  patient ${session.patient}  ${session.date}  ${session.payer}`;
    return [header, ...bySeverity(session.findings).flatMap(finding => findingLines(finding, style, width))];
}

/** Errors first, then warnings, then information; the policy's order within each. */
function bySeverity(findings: Finding[]): Finding[] {
    return SEVERITY_ORDER.flatMap(severity => findings.filter(f => f.severity === severity));
}

/** One finding: what is wrong, why, what to do, and where the rule comes from. */
export function findingLines(finding: Finding, style: Style, width: number): string[] {
    const label = FINDING_INDENT + style.severity[finding.severity](SEVERITY_LABEL[finding.severity].padEnd(TEXT_COLUMN - FINDING_INDENT.length));
    const lines = hanging(label, TEXT_COLUMN, finding.message, width);
    finding.explain.forEach((step, i) => lines.push(...detail(i === 0 ? 'why:' : '', step, width)));
    if (finding.fix) lines.push(...detail('fix:', finding.fix, width));
    lines.push(...hanging(' '.repeat(TEXT_COLUMN), TEXT_COLUMN, referenceText(finding), width, style.dim));
    return lines;
}

/** A "why:" or "fix:" line, its text wrapped to stay aligned after the label. */
function detail(label: string, text: string, width: number): string[] {
    return hanging(' '.repeat(TEXT_COLUMN) + label.padEnd(DETAIL_COLUMN - TEXT_COLUMN), DETAIL_COLUMN, text, width);
}

/** The rule id, the claim line, the payer's citation and the policy source: what an auditor asks for. */
function referenceText(finding: Finding): string {
    const parts = [`rule ${finding.rule}`];
    if (finding.line !== undefined) parts.push(`claim line ${finding.line + 1}${finding.code ? ` (${finding.code})` : ''}`);
    if (finding.citation) parts.push(finding.citation);
    parts.push(`${finding.source.file}:${finding.source.line}`);
    return parts.join(' | ');
}

function cleanSessionsBlock(report: Report, style: Style): string[] {
    const clean = report.sessions.filter(session => !hasFindings(session)).length;
    if (clean === 0) return [];
    const noun = clean === 1 ? 'session' : 'sessions';
    return [style.good(`${clean} ${noun} without findings`)];
}

/** Records that could not be checked at all: where they are and why, so they can be corrected. */
function rejectedBlock(report: Report, style: Style, width: number): string[] {
    if (report.rejected.length === 0) return [];
    const lines = [style.heading(`Rejected records (not checked; correct them and check again): ${report.rejected.length}`)];
    for (const rejection of report.rejected) {
        const where = `record ${rejection.record}${rejection.file ? ` in ${rejection.file}` : ''}`;
        const id = rejection.id ? ` (${rejection.id})` : '';
        lines.push(...hanging(FINDING_INDENT, FINDING_INDENT.length + 2, `${where}${id}: ${rejection.error}`, width));
    }
    return lines;
}

/** What the run could not check and no finding says (a threshold counting lines without amounts). */
function noticesBlock(report: Report, style: Style, width: number): string[] {
    const notices = report.notices ?? [];
    if (notices.length === 0) return [];
    const lines = [style.heading(`Notices (what this check could not see): ${notices.length}`)];
    for (const notice of notices) lines.push(...hanging(FINDING_INDENT, FINDING_INDENT.length + 2, notice.message, width).map(line => style.caution(line)));
    return lines;
}

function summaryBlock(report: Report, style: Style): string[] {
    const { summary } = report;
    const row = (label: string, value: string) => `${FINDING_INDENT}${label.padEnd(SUMMARY_LABEL_WIDTH)}${value}`;
    const findings = SEVERITY_ORDER.map(severity => count(summary.findings[severity] ?? 0, severity)).join(', ');
    return [
        style.heading('Summary'),
        row('records read', String(summary.records)),
        row('evaluated', String(summary.evaluated)),
        row('rejected', String(summary.rejected)),
        row('sessions with findings', String(summary.sessionsWithFindings)),
        row('findings', findings)
    ];
}

/** One line a biller can act on: ready to bill, review first, or not ready (and what blocks it). */
function verdictBlock(report: Report, style: Style, width: number): string[] {
    const verdict = verdictOf(report);
    const paint = (text: string, look: typeof style.good) => hanging('', 0, text, width).map(line => look(line));
    switch (verdict.look) {
        case 'nothing': return paint('Nothing to check: no session records were read.', style.caution);
        case 'bad': return paint(`NOT READY: ${verdict.todo}, then check again.`, style.bad);
        case 'review': return paint(`REVIEW: no errors, but ${verdict.todo} to review before billing.`, style.caution);
        case 'good': return paint(`READY: no errors or warnings in ${count(report.summary.evaluated, 'session')}.`, style.good);
    }
}
