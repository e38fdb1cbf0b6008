/**
 * The report as a biller reads it: one block per session with its findings, why each applied,
 * the suggested fix and the rule's source; rejected records at the end. Plain text for the
 * "Payrule sessions" output channel. No VS Code API here, so it is tested on its own.
 */
import type { EditorReport, Finding, SessionResult, Severity } from './protocol.js';

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

export function reportText(report: EditorReport, policyName: string): string {
    const lines: string[] = [];
    const inputs = report.inputs.map(input => input.file).join(', ') || 'no session file';
    const payer = report.checked.payer ? ` for payer "${report.checked.payer}"` : '';
    lines.push(`Payrule check: ${policyName} against ${inputs}${payer}`);
    if (report.checked.skipped > 0) lines.push(`${plural(report.checked.skipped, 'session')} billed to other payers left out`);
    lines.push(summaryLine(report), '');
    // What the check could not see bears on every session below: before them.
    for (const notice of report.notices ?? []) lines.push(`Notice: ${notice.message}`, '');
    const withFindings = report.sessions.filter(session => session.findings.length > 0);
    for (const session of withFindings) lines.push(...sessionBlock(session), '');
    const clean = report.sessions.length - withFindings.length;
    if (clean > 0) lines.push(`${plural(clean, 'session')} without findings: ${report.sessions.filter(s => s.findings.length === 0).map(s => s.id).join(', ')}`, '');
    if (report.rejected.length > 0) {
        lines.push('Records that could not be checked:');
        for (const rejection of report.rejected) {
            lines.push(`  ${rejection.file ? `${rejection.file} ` : ''}record ${rejection.record}${rejection.id ? ` (${rejection.id})` : ''}: ${rejection.error}`);
        }
        lines.push('');
    }
    return lines.join('\n');
}

/** "65 records: 64 checked, 1 rejected · 26 sessions with findings · 33 errors, 5 warnings, 1 info" */
export function summaryLine(report: EditorReport): string {
    const { summary } = report;
    const counts = (['error', 'warning', 'info'] as const).map(severity => plural(summary.findings[severity] ?? 0, severity === 'info' ? 'info' : severity, severity === 'info' ? 'info' : undefined));
    return `${plural(summary.records, 'record')}: ${summary.evaluated} checked, ${summary.rejected} rejected · `
        + `${plural(summary.sessionsWithFindings, 'session')} with findings · ${counts.join(', ')}`;
}

function sessionBlock(session: SessionResult): string[] {
    const header = `${session.id}  patient ${session.patient}  ${session.date}  ${session.payer}${session.policy ? ` (${session.policy})` : ''}`;
    const lines = [header];
    const units = unitsLine(session);
    if (units) lines.push(`  ${units}`);
    for (const finding of session.findings) lines.push(...findingBlock(finding));
    return lines;
}

function unitsLine(session: SessionResult): string | undefined {
    const codes = [...new Set([...Object.keys(session.units), ...Object.keys(session.billed)])].sort();
    if (codes.length === 0) return undefined;
    return `units supported / billed: ${codes.map(code => `${code} ${session.units[code] ?? '-'}/${session.billed[code] ?? '-'}`).join(', ')}`;
}

function findingBlock(finding: Finding): string[] {
    const where = finding.line !== undefined ? ` (line ${finding.line + 1}${finding.code ? `, ${finding.code}` : ''})` : finding.code ? ` (${finding.code})` : '';
    const lines = [`  ${LABEL[finding.severity]} ${finding.rule}: ${finding.message}${where}`];
    for (const step of finding.explain ?? []) lines.push(`      why: ${step}`);
    if (finding.fix) lines.push(`      fix: ${finding.fix}`);
    const source = `${finding.source.file}:${finding.source.line}`;
    lines.push(`      source: ${finding.citation ? `${finding.citation} — ` : ''}${source}`);
    return lines;
}

function plural(count: number, noun: string, invariant?: string): string {
    return `${count} ${invariant ?? (count === 1 ? noun : `${noun}s`)}`;
}
