/** The report (DATA.md §2). Field names are fixed: other programs read them. */
import type { Severity, SourceLocation } from '../ir/policy.js';

export const REPORT_FORMAT = 'payrule-report/1';

export interface Finding {
    /** The rule's id as declared in the policy. */
    rule: string;
    severity: Severity;
    message: string;
    /** Index into the session's lines, when the finding is about one line. */
    line?: number;
    code?: string;
    /** How the finding was reached, step by step, in plain words. */
    explain: string[];
    /** A suggested correction written for a biller, when one is clear. */
    fix?: string;
    /** The rule's citation of the payer's text. */
    citation?: string;
    source: SourceLocation;
}

/**
 * A finding as the engine makes it: every key of Finding in its order, undefined where absent
 * (JSON leaves those out, so its text is that of a plain object with the keys present). One shape
 * for every finding keeps the code that reads them monomorphic, and the report text writes one
 * without asking for its keys (stream/session-text.ts).
 */
export class EngineFinding implements Finding {
    rule: string;
    severity: Severity;
    message: string;
    line: number | undefined;
    code: string | undefined;
    explain: string[];
    fix: string | undefined;
    citation: string | undefined;
    source: SourceLocation;

    constructor(finding: Finding) {
        this.rule = finding.rule;
        this.severity = finding.severity;
        this.message = finding.message;
        this.line = finding.line;
        this.code = finding.code;
        this.explain = finding.explain;
        this.fix = finding.fix;
        this.citation = finding.citation;
        this.source = finding.source;
    }
}

export interface SessionResult {
    id: string;
    patient: string;
    date: string;
    payer: string;
    /** Which payer declaration (name) applied on the date of service. */
    policy?: string;
    status: 'ok' | 'findings';
    units: Record<string, number>;
    billed: Record<string, number>;
    findings: Finding[];
}

export interface Report {
    format: typeof REPORT_FORMAT;
    policies: { package: string; version?: string; payers: string[] }[];
    sessions: SessionResult[];
    rejected: { record: number; file?: string; id?: string; error: string }[];
    /** What the run could not check and no finding says: present only when there is one. */
    notices?: Notice[];
    summary: {
        records: number;
        evaluated: number;
        rejected: number;
        sessionsWithFindings: number;
        findings: Record<Severity, number>;
    };
}

/**
 * Something about the whole run a biller needs to know, that no session's findings show:
 * `unpriced-lines`, lines a payer's thresholds counted as $0.00 (evaluate/unpriced.ts).
 */
export interface Notice {
    kind: 'unpriced-lines';
    payer: string;
    /** Lines the notice is about, of those it considered. */
    lines: number;
    of: number;
    message: string;
}
