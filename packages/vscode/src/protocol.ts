/**
 * The "check sessions" protocol as the extension sees it. The language server defines it in
 * packages/language/src/lsp/check-protocol.ts; the extension keeps its own copy of the few
 * shapes it reads so that its bundle does not pull in the server.
 */
export const CHECK_COMMAND = 'payrule.check';
export const CHECK_SESSIONS_CLIENT_COMMAND = 'payrule.checkSessions';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Location { uri: string; range: Range }

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
    rule: string;
    severity: Severity;
    message: string;
    line?: number;
    code?: string;
    explain?: string[];
    fix?: string;
    citation?: string;
    source: { file: string; line: number; column?: number };
    location?: Location;
    policyLocation?: Location;
}

export interface SessionResult {
    id: string;
    patient: string;
    date: string;
    payer: string;
    policy?: string;
    status: 'ok' | 'findings';
    units: Record<string, number>;
    billed: Record<string, number>;
    findings: Finding[];
    location?: Location;
}

export interface Rejection {
    record: number;
    file?: string;
    id?: string;
    error: string;
    location?: Location;
}

export interface EditorReport {
    format: string;
    policies: { package: string; version?: string; payers: string[] }[];
    sessions: SessionResult[];
    rejected: Rejection[];
    summary: {
        records: number;
        evaluated: number;
        rejected: number;
        sessionsWithFindings: number;
        findings: Record<Severity, number>;
    };
    inputs: { file: string; uri: string; sessions: number }[];
    checked: { policy: string; payer?: string; skipped: number };
}
