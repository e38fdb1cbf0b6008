/**
 * The impact of a policy change on real sessions: the same sessions evaluated under the old and
 * the new policy, and the findings that appear or disappear (by session and rule), plus the
 * supported units that change.
 */
import type { Finding, Report, SessionResult } from '@payrule/engine';

export interface ImpactFinding {
    session: string;
    patient: string;
    date: string;
    payer: string;
    rule: string;
    severity: string;
    code?: string;
    message: string;
}

export interface UnitsChange {
    session: string;
    code: string;
    old: number;
    new: number;
}

export interface Impact {
    sessions: number;
    rejected: number;
    appeared: ImpactFinding[];
    disappeared: ImpactFinding[];
    units: UnitsChange[];
    /** Sessions with any finding or unit change. */
    sessionsAffected: number;
}

export function impactOf(before: Report, after: Report): Impact {
    const oldSessions = bySession(before.sessions);
    const newSessions = bySession(after.sessions);
    const appeared: ImpactFinding[] = [];
    const disappeared: ImpactFinding[] = [];
    const units: UnitsChange[] = [];
    const affected = new Set<string>();
    for (const [key, next] of newSessions) {
        const old = oldSessions.get(key);
        const oldFindings = old?.findings ?? [];
        const gone = unmatched(oldFindings, next.findings);
        const come = unmatched(next.findings, oldFindings);
        if (old) disappeared.push(...gone.map(finding => describe(old, finding)));
        appeared.push(...come.map(finding => describe(next, finding)));
        for (const code of [...new Set([...Object.keys(old?.units ?? {}), ...Object.keys(next.units)])].sort()) {
            const a = old?.units[code] ?? 0;
            const b = next.units[code] ?? 0;
            if (a !== b) units.push({ session: next.id, code, old: a, new: b });
            if (a !== b) affected.add(key);
        }
        if (gone.length > 0 || come.length > 0) affected.add(key);
    }
    for (const [key, old] of oldSessions) {
        if (newSessions.has(key)) continue;
        disappeared.push(...old.findings.map(finding => describe(old, finding)));
        affected.add(key);
    }
    return { sessions: after.sessions.length, rejected: after.summary.rejected, appeared, disappeared, units, sessionsAffected: affected.size };
}

/** Sessions keyed by id, patient and date (a repeated key gets its occurrence number). */
function bySession(sessions: SessionResult[]): Map<string, SessionResult> {
    const map = new Map<string, SessionResult>();
    for (const session of sessions) {
        const base = `${session.id}\u0000${session.patient}\u0000${session.date}`;
        let key = base;
        for (let n = 2; map.has(key); n++) key = `${base}\u0000${n}`;
        map.set(key, session);
    }
    return map;
}

/** Findings of `from` with no counterpart (same rule, severity, code and line) in `to`. */
function unmatched(from: Finding[], to: Finding[]): Finding[] {
    const pool = to.map(findingKey);
    return from.filter(finding => {
        const index = pool.indexOf(findingKey(finding));
        if (index === -1) return true;
        pool.splice(index, 1);
        return false;
    });
}

function findingKey(finding: Finding): string {
    return [finding.rule, finding.severity, finding.code ?? '', finding.line ?? ''].join('\u0000');
}

function describe(session: SessionResult, finding: Finding): ImpactFinding {
    return {
        session: session.id,
        patient: session.patient,
        date: session.date,
        payer: session.payer,
        rule: finding.rule,
        severity: finding.severity,
        ...(finding.code ? { code: finding.code } : {}),
        message: finding.message
    };
}
