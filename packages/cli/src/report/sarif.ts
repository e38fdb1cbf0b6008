/**
 * The SARIF 2.1.0 report, for code-scanning dashboards. Each finding is a result located at its
 * session record (the input file, and the line or row for NDJSON and CSV), with the rule's place
 * in the policy as a related location. Rules are described once, in tool.driver.rules, with the
 * payer's citation. Records that could not be checked, and the run's notices, are tool notifications, not results.
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Report, Rule, SessionResult, Severity, SourceLocation } from '@payrule/engine';
import { payerPolicyFor, recordKind, STANDARD_INPUT, type ReportContext, type SessionSource } from './context.js';

export interface SarifReportOptions {
    context?: ReportContext;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

interface Descriptor {
    id: string;
    name: string;
    shortDescription: { text: string };
    fullDescription?: { text: string };
    help: { text: string };
    defaultConfiguration: { level: Level };
    properties: Record<string, unknown>;
}

export function writeSarifReport(report: Report, options: SarifReportOptions = {}): string {
    const context = options.context;
    const rules = new RuleCatalog(context);
    const artifacts = new ArtifactList();
    for (const input of context?.inputs ?? []) if (input !== STANDARD_INPUT) artifacts.index(input, 'analysisTarget');

    const results = report.sessions.flatMap(session => session.findings.map(finding => {
        const source = context?.sources.get(session.id);
        const ruleIndex = rules.indexFor(session, finding);
        return {
            ruleId: rules.descriptors[ruleIndex]!.id,
            ruleIndex,
            level: LEVEL[finding.severity],
            kind: 'fail',
            message: { text: finding.fix ? `${finding.message}. Fix: ${finding.fix}` : finding.message },
            locations: [recordLocation(session, finding, source, artifacts)],
            relatedLocations: [{
                id: 1,
                message: { text: `Rule ${finding.rule} of the ${session.policy ?? session.payer} policy${finding.citation ? ` (${finding.citation})` : ''}` },
                physicalLocation: policyLocation(finding.source, artifacts)
            }],
            partialFingerprints: { 'payruleFinding/v1': fingerprint(session, finding) },
            properties: {
                sessionId: session.id,
                ...(source?.session.claim !== undefined ? { claim: source.session.claim } : {}),
                patient: session.patient,
                dateOfService: session.date,
                payer: session.payer,
                ...(source?.session.provider?.id !== undefined ? { provider: source.session.provider.id } : {}),
                ...(finding.code !== undefined ? { code: finding.code } : {}),
                ...(finding.line !== undefined ? { claimLine: finding.line + 1 } : {}),
                explanation: finding.explain,
                ...(finding.fix !== undefined ? { fix: finding.fix } : {}),
                ...(finding.citation !== undefined ? { citation: finding.citation } : {}),
                ...(source ? { record: source.record } : {})
            }
        };
    }));

    const rejections = report.rejected.map(rejection => {
        const file = rejection.file ?? (context?.inputs?.length === 1 ? context.inputs[0] : undefined);
        return {
            level: 'error' as const,
            message: { text: `Record ${rejection.record}${rejection.id ? ` (${rejection.id})` : ''} was not checked: ${rejection.error}` },
            ...(file !== undefined && file !== STANDARD_INPUT ? {
                locations: [{ physicalLocation: { artifactLocation: artifacts.location(file, 'analysisTarget'), ...lineRegion(file, rejection.record) } }]
            } : {})
        };
    });

    // What the run could not check (a threshold blind to lines without amounts) bears on every result: a warning of the run.
    const notices = (report.notices ?? []).map(notice => ({ level: 'warning' as const, message: { text: notice.message } }));
    const notifications = [...rejections, ...notices];

    const version = context?.toolVersion;
    const log = {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [{
            tool: {
                driver: {
                    name: 'Payrule',
                    ...(version ? { version, semanticVersion: version } : {}),
                    rules: rules.descriptors
                }
            },
            invocations: [{
                executionSuccessful: true,
                ...(context?.generatedAt ? { endTimeUtc: context.generatedAt } : {}),
                ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {})
            }],
            artifacts: artifacts.list,
            results,
            columnKind: 'unicodeCodePoints',
            properties: {
                policies: report.policies,
                summary: report.summary,
                ...(context?.redacted ? { redacted: true } : {})
            }
        }]
    };
    return `${JSON.stringify(log, null, 2)}\n`;
}

/** The rules of the payer declarations, one descriptor each, ids like `Medicare/units-match`. */
class RuleCatalog {
    readonly descriptors: Descriptor[] = [];
    private readonly byKey = new Map<string, number>();

    constructor(private readonly context: ReportContext | undefined) {
        for (const payer of context?.bundle?.payers ?? []) {
            for (const rule of payer.rules) this.add(payer.name, payer.id, rule.id, rule.severity, describeRule(rule), rule.citation, rule.location, rule.inheritedFrom);
        }
    }

    indexFor(session: SessionResult, finding: Finding): number {
        const declaration = payerPolicyFor(this.context?.bundle, session)?.name ?? session.policy ?? session.payer;
        const known = this.byKey.get(key(declaration, finding.rule));
        if (known !== undefined) return known;
        // No bundle (or a rule it does not know): describe the rule from the finding itself.
        return this.add(declaration, session.payer, finding.rule, finding.severity, `Rule ${finding.rule}`, finding.citation, finding.source);
    }

    private add(declaration: string, payerId: string, ruleId: string, severity: Severity, summary: string,
        citation: string | undefined, location: SourceLocation, inheritedFrom?: string): number {
        const id = `${declaration}/${ruleId}`;
        const where = `${location.file}:${location.line}`;
        this.descriptors.push({
            id,
            name: ruleId,
            shortDescription: { text: summary },
            ...(citation ? { fullDescription: { text: citation } } : {}),
            help: { text: `${summary}. ${citation ? `Source: ${citation}. ` : ''}Written in ${where}.` },
            defaultConfiguration: { level: LEVEL[severity] },
            properties: {
                payer: payerId,
                payerPolicy: declaration,
                ...(citation ? { citation } : {}),
                policyLocation: where,
                ...(inheritedFrom ? { inheritedFrom } : {})
            }
        });
        this.byKey.set(key(declaration, ruleId), this.descriptors.length - 1);
        return this.descriptors.length - 1;
    }
}

function key(declaration: string, ruleId: string): string {
    return `${declaration}\u0000${ruleId}`;
}

/** The rule's own message when it has one, else what kind of rule it is. */
function describeRule(rule: Rule): string {
    if (rule.message) return rule.message;
    switch (rule.kind) {
        case 'units': return `Units billed must match the timed minutes (${rule.method === 'pooled' ? 'minutes pooled per day' : 'minutes counted per code'})`;
        case 'limit': return `At most ${rule.max} ${rule.measure} per ${rule.period}`;
        case 'filing': return `Claims must be filed within ${rule.within.amount} ${rule.within.unit} of the date of service`;
        case 'authorization': return 'Visits need an authorization';
        case 'consistency': return 'Billed minutes must agree with the documented time';
        case 'documentation': return `The note must document ${rule.requires.join(', ')}`;
        case 'pair': return `${rule.codes.join(', ')} billed with ${rule.with.join(', ')}`;
        case 'threshold': return `Allowed amounts over $${rule.amount.toFixed(2)} in a year`;
        default: return `Rule ${rule.id}`;
    }
}

/** Input files and policy files, each listed once; results point at them by index. */
class ArtifactList {
    readonly list: { location: { uri: string }; roles: string[] }[] = [];
    private readonly indexes = new Map<string, number>();

    index(file: string, role: 'analysisTarget' | 'policy'): number {
        let index = this.indexes.get(file);
        if (index === undefined) {
            index = this.list.length;
            this.list.push({ location: { uri: fileUri(file) }, roles: [role] });
            this.indexes.set(file, index);
        }
        return index;
    }

    location(file: string, role: 'analysisTarget' | 'policy') {
        return { uri: fileUri(file), index: this.index(file, role) };
    }
}

function recordLocation(session: SessionResult, finding: Finding, source: SessionSource | undefined, artifacts: ArtifactList) {
    const logical = [{
        name: session.id,
        kind: 'object',
        fullyQualifiedName: finding.line !== undefined ? `${session.id}/lines[${finding.line}]` : session.id
    }];
    if (!source || source.file === STANDARD_INPUT) return { logicalLocations: logical };
    return {
        physicalLocation: { artifactLocation: artifacts.location(source.file, 'analysisTarget'), ...lineRegion(source.file, source.record) },
        logicalLocations: logical
    };
}

/** NDJSON lines and CSV rows are lines of the file; the position in a JSON array is not, so it has no region. */
function lineRegion(file: string, record: number) {
    return recordKind(file) === 'element' ? {} : { region: { startLine: record } };
}

function policyLocation(source: SourceLocation, artifacts: ArtifactList) {
    return {
        artifactLocation: artifacts.location(source.file, 'policy'),
        region: { startLine: source.line, ...(source.column !== undefined ? { startColumn: source.column } : {}) }
    };
}

/** A relative path as a URI reference (POSIX separators, reserved characters escaped); an absolute one as a file: URL. */
export function fileUri(path: string): string {
    if (isAbsolute(path)) return pathToFileURL(path).href;
    return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** Stable across runs for the same session, rule, code and line, so dashboards can track a finding. */
function fingerprint(session: SessionResult, finding: Finding): string {
    return createHash('sha256').update([session.id, finding.rule, finding.code ?? '', finding.line ?? ''].join('\u0000')).digest('hex').slice(0, 32);
}
