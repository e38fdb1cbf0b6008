/** The history's answers as text for a terminal or a ticket, and the findings as CSV for a spreadsheet. */
import { csvCell } from '../report/csv.js';
import { count } from '../report/layout.js';
import type { Changes, FindingQuery, RunInfo, StoredFinding, Trend } from './queries.js';

const SEVERITY_LABEL = { error: 'ERROR', warning: 'WARNING', info: 'INFO' } as const;

/** "#3 2026-03-21 14:02 UTC". */
export function runLabel(run: RunInfo): string {
    return `#${run.run} ${readableTime(run.recordedAt)}`;
}

function readableTime(iso: string): string {
    const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function policiesText(run: RunInfo): string {
    return run.policies.map(p => `${p.package}${p.version ? ` ${p.version}` : ''} (sha256 ${p.sha256.slice(0, 12)})`).join(', ');
}

function inputsText(run: RunInfo): string {
    return run.inputs.map(input => `${input.path}${input.sha256 ? ` (sha256 ${input.sha256.slice(0, 12)})` : ''}`).join(', ');
}

export function runsText(runs: RunInfo[]): string {
    if (runs.length === 0) return 'The history has no runs yet.\n';
    const lines: string[] = [];
    for (const run of runs) {
        const { summary } = run;
        lines.push(`Run ${runLabel(run)}  Payrule ${run.toolVersion}${run.redacted ? '  (patients redacted)' : ''}${run.asOf ? `  as of ${run.asOf}` : ''}`);
        lines.push(`  inputs:   ${inputsText(run)}`);
        lines.push(`  policies: ${policiesText(run)}`);
        lines.push(`  ${summary.evaluated} checked, ${summary.rejected} rejected, ${summary.sessionsWithFindings} with findings: `
            + `${count(summary.findings.error, 'error')}, ${count(summary.findings.warning, 'warning')}, ${count(summary.findings.info, 'info')}`);
    }
    return `${lines.join('\n')}\n`;
}

/** What was asked, in words: "patient P-0042, dates of service 2026-03-01 to 2026-03-31". */
export function describeQuery(query: FindingQuery): string {
    const parts: string[] = [];
    if (query.patient !== undefined) parts.push(`patient ${query.patient}`);
    if (query.claim !== undefined) parts.push(`claim ${query.claim}`);
    if (query.from !== undefined && query.to !== undefined) parts.push(`dates of service ${query.from} to ${query.to}`);
    else if (query.from !== undefined) parts.push(`dates of service from ${query.from}`);
    else if (query.to !== undefined) parts.push(`dates of service through ${query.to}`);
    if (query.run !== undefined) parts.push(`run #${query.run}`);
    else if (query.latest) parts.push('the latest run');
    return parts.length > 0 ? parts.join(', ') : 'every run';
}

function findingLine(finding: StoredFinding): string[] {
    const where = [finding.rule];
    if (finding.line !== undefined) where.push(`claim line ${finding.line + 1}${finding.code ? ` (${finding.code})` : ''}`);
    else if (finding.code) where.push(finding.code);
    const lines = [`    ${SEVERITY_LABEL[finding.severity].padEnd(8)} ${finding.message}`, `             ${where.join(', ')}${finding.citation ? ` | ${finding.citation}` : ''}`];
    if (finding.fix) lines.push(`             fix: ${finding.fix}`);
    return lines;
}

function sessionHeader(finding: StoredFinding): string {
    const parts = [finding.sessionId, `patient ${finding.patient}`, finding.dateOfService, finding.payer];
    if (finding.claim) parts.push(`claim ${finding.claim}`);
    if (finding.provider) parts.push(`provider ${finding.provider}`);
    return `  ${parts.join('  ')}`;
}

/** Findings grouped by run, then by session. */
function findingsByRun(findings: StoredFinding[], runs: Map<number, RunInfo>): string[] {
    const lines: string[] = [];
    let run: number | undefined;
    let session: string | undefined;
    for (const finding of findings) {
        if (finding.run !== run) {
            run = finding.run;
            session = undefined;
            const info = runs.get(run);
            lines.push('', info ? `Run ${runLabel(info)}: ${inputsText(info)}` : `Run #${run}`);
        }
        if (finding.sessionId !== session) {
            session = finding.sessionId;
            lines.push(sessionHeader(finding));
        }
        lines.push(...findingLine(finding));
    }
    return lines;
}

export function findingsText(query: FindingQuery, findings: StoredFinding[], runs: Map<number, RunInfo>): string {
    const runCount = new Set(findings.map(f => f.run)).size;
    const head = findings.length === 0
        ? `No findings recorded for ${describeQuery(query)}.`
        : `Findings for ${describeQuery(query)}: ${count(findings.length, 'finding')} in ${count(runCount, 'run')}.`;
    return `${[head, ...findingsByRun(findings, runs)].join('\n')}\n`;
}

export const FINDINGS_CSV_COLUMNS = ['Run', 'Recorded at', 'Session', 'Claim', 'Patient', 'Date of service', 'Payer', 'Provider', 'Severity',
    'Rule', 'Code', 'Claim line', 'Message', 'Fix', 'Citation', 'Policy source', 'Input record'];

export function findingsCsv(findings: StoredFinding[]): string {
    const rows = [FINDINGS_CSV_COLUMNS, ...findings.map(f => [
        String(f.run), f.recordedAt, f.sessionId, f.claim ?? '', f.patient, f.dateOfService, f.payer, f.provider ?? '', f.severity, f.rule,
        f.code ?? '', f.line !== undefined ? String(f.line + 1) : '', f.message, f.fix ?? '', f.citation ?? '', f.policySource ?? '', f.inputRecord ?? ''
    ])];
    return rows.map(row => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const DIMENSION_TITLE = { payer: 'payer', code: 'code', rule: 'rule', provider: 'provider' } as const;

/** One table per dimension: a row per value, a column per run (oldest first), and the change over the last run. */
export function trendsText(runs: RunInfo[], trends: Trend[]): string {
    if (runs.length === 0) return 'The history has no runs to compare yet.\n';
    const lines = [`Findings across ${count(runs.length, 'run')}: ${runs.map(runLabel).join(', ')}`];
    for (const trend of trends) {
        lines.push('', `By ${DIMENSION_TITLE[trend.dimension]}`);
        if (trend.values.length === 0) {
            lines.push('  no findings');
            continue;
        }
        const labelWidth = Math.min(40, Math.max(DIMENSION_TITLE[trend.dimension].length, ...trend.values.map(v => v.value.length))) + 2;
        const columnWidth = Math.max(6, ...runs.map(run => `#${run.run}`.length)) + 2;
        lines.push(`  ${''.padEnd(labelWidth)}${runs.map(run => `#${run.run}`.padStart(columnWidth)).join('')}${runs.length > 1 ? '  change' : ''}`);
        for (const value of trend.values) {
            const counts = value.counts.map(c => c.findings);
            const label = value.value.length > 40 ? `${value.value.slice(0, 39)}…` : value.value;
            let change = '';
            if (counts.length > 1) {
                const delta = counts[counts.length - 1]! - counts[counts.length - 2]!;
                change = `  ${delta > 0 ? `+${delta}` : delta < 0 ? String(delta) : '='}`;
            }
            lines.push(`  ${label.padEnd(labelWidth)}${counts.map(c => String(c).padStart(columnWidth)).join('')}${change}`);
        }
    }
    return `${lines.join('\n')}\n`;
}

export function changesText(changes: Changes): string {
    const lines = [`Run ${runLabel(changes.run)}: ${inputsText(changes.run)}`];
    if (!changes.previous) {
        lines.push(`First run of these inputs: nothing to compare with. All ${count(changes.new.length, 'finding')} are new.`);
    } else {
        lines.push(`Compared with the previous run of the same input, ${runLabel(changes.previous)}:`);
        lines.push(`  ${count(changes.new.length, 'new finding')}, ${count(changes.resolved.length, 'resolved finding')}, ${changes.unchanged} still open`);
        const policyChanged = policiesText(changes.run) !== policiesText(changes.previous);
        if (policyChanged) lines.push(`  The policies changed: before ${policiesText(changes.previous)}; now ${policiesText(changes.run)}`);
        const inputsChanged = inputsText(changes.run) !== inputsText(changes.previous);
        lines.push(inputsChanged ? '  The input files changed since the previous run.' : '  The input files are the same as in the previous run.');
    }
    const section = (title: string, findings: StoredFinding[]) => {
        if (findings.length === 0) return;
        lines.push('', title);
        let session: string | undefined;
        for (const finding of findings) {
            if (finding.sessionId !== session) {
                session = finding.sessionId;
                lines.push(sessionHeader(finding));
            }
            lines.push(...findingLine(finding));
        }
    };
    section(changes.previous ? 'New since the previous run' : 'Findings', changes.new);
    section('Resolved since the previous run', changes.resolved);
    return `${lines.join('\n')}\n`;
}
