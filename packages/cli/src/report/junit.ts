/**
 * The JUnit XML report, for CI dashboards: a test suite per input file, a test case per session
 * (it fails with one <failure> per error finding; warnings and information go to its output), and
 * a test case in error per record that could not be checked.
 */
import type { Finding, Report, SessionResult } from '@payrule/engine';
import { describeRecord, providerLabel, type ReportContext, type SessionSource } from './context.js';
import { escapeMarkup, escapeXmlAttribute } from './markup.js';

export interface JunitReportOptions {
    context?: ReportContext;
}

interface Suite {
    name: string;
    cases: string[];
    tests: number;
    failures: number;
    errors: number;
}

export function writeJunitReport(report: Report, options: JunitReportOptions = {}): string {
    const context = options.context;
    const fallback = context?.inputs?.length === 1 ? context.inputs[0]! : 'sessions';
    const suites = new Map<string, Suite>();
    const suite = (name: string) => {
        let found = suites.get(name);
        if (!found) suites.set(name, found = { name, cases: [], tests: 0, failures: 0, errors: 0 });
        return found;
    };
    for (const input of context?.inputs ?? []) suite(input);

    for (const session of report.sessions) {
        const source = context?.sources.get(session.id);
        const target = suite(source?.file ?? fallback);
        const errors = session.findings.filter(finding => finding.severity === 'error');
        target.tests++;
        if (errors.length > 0) target.failures++;
        target.cases.push(sessionCase(session, source, errors));
    }
    for (const rejection of report.rejected) {
        const target = suite(rejection.file ?? fallback);
        target.tests++;
        target.errors++;
        const name = `record ${rejection.record}${rejection.id ? ` (${rejection.id})` : ''}`;
        target.cases.push(`    <testcase name="${escapeXmlAttribute(name)}" classname="rejected" time="0">\n`
            + `      <error message="${escapeXmlAttribute(rejection.error)}" type="rejected-record">${escapeMarkup(`Not checked: ${rejection.error}. Correct the record and check again.`)}</error>\n`
            + '    </testcase>');
    }

    const all = [...suites.values()];
    const total = (field: 'tests' | 'failures' | 'errors') => all.reduce((sum, s) => sum + s[field], 0);
    const timestamp = context?.generatedAt ? ` timestamp="${escapeXmlAttribute(context.generatedAt.replace(/\.\d+Z$|Z$/, ''))}"` : '';
    const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="payrule check" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="0" time="0">`
    ];
    all.forEach((s, index) => {
        lines.push(`  <testsuite name="${escapeXmlAttribute(s.name)}" id="${index}" tests="${s.tests}" failures="${s.failures}" errors="${s.errors}" skipped="0" time="0"${timestamp}>`);
        if (report.policies.length > 0) {
            lines.push('    <properties>');
            for (const policy of report.policies) {
                const value = `${policy.package}${policy.version ? ` ${policy.version}` : ''}`;
                lines.push(`      <property name="policy" value="${escapeXmlAttribute(value)}"/>`);
            }
            lines.push('    </properties>');
        }
        lines.push(...s.cases);
        lines.push('  </testsuite>');
    });
    lines.push('</testsuites>');
    return `${lines.join('\n')}\n`;
}

function sessionCase(session: SessionResult, source: SessionSource | undefined, errors: Finding[]): string {
    const attributes = [
        `name="${escapeXmlAttribute(session.id)}"`,
        `classname="${escapeXmlAttribute(session.payer)}"`,
        ...(source ? [`file="${escapeXmlAttribute(source.file)}"`, `line="${source.record}"`] : []),
        'time="0"'
    ];
    const body: string[] = errors.map(finding =>
        `      <failure message="${escapeXmlAttribute(finding.message)}" type="${escapeXmlAttribute(finding.rule)}">${escapeMarkup(findingText(finding))}</failure>`);
    const others = session.findings.filter(finding => finding.severity !== 'error');
    const header = [`Session ${session.id}`, `patient ${session.patient}`, `date of service ${session.date}`, `payer ${session.payer}`];
    if (source?.session.claim) header.push(`claim ${source.session.claim}`);
    const provider = providerLabel(source?.session);
    if (provider) header.push(`provider ${provider}`);
    if (source) header.push(describeRecord(source));
    const out = [header.join(', '), ...others.map(finding => `${finding.severity.toUpperCase()}: ${findingText(finding)}`)];
    body.push(`      <system-out>${escapeMarkup(out.join('\n\n'))}</system-out>`);
    return `    <testcase ${attributes.join(' ')}>\n${body.join('\n')}\n    </testcase>`;
}

/** The finding as a biller reads it: what, why, what to do, and the rule behind it. */
function findingText(finding: Finding): string {
    const lines = [finding.message];
    for (const step of finding.explain) lines.push(`why: ${step}`);
    if (finding.fix) lines.push(`fix: ${finding.fix}`);
    const reference = [`rule ${finding.rule}`];
    if (finding.line !== undefined) reference.push(`claim line ${finding.line + 1}${finding.code ? ` (${finding.code})` : ''}`);
    if (finding.citation) reference.push(finding.citation);
    reference.push(`${finding.source.file}:${finding.source.line}`);
    lines.push(reference.join(' | '));
    return lines.join('\n');
}
