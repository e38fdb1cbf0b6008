/**
 * The engine's entry point for sessions in memory: a policy bundle and sessions in, a report out.
 * Phase 1 checks each session's payer and indexes it; each patient's sessions are then replayed
 * in date order for the facts rules across sessions need (limits, thresholds, pairs,
 * authorizations), so results never depend on the input order; phase 2 evaluates each session
 * against its facts. Sessions come out in input order; every record is either evaluated or
 * rejected. Large files go through stream/ instead, which gives the same report byte for byte.
 */
import type { PolicyBundle, Severity } from '../ir/policy.js';
import { REPORT_FORMAT, type Report, type SessionResult } from '../report/report.js';
import type { EvaluateOptions } from '../rules/context.js';
import { InputError } from '../sessions/errors.js';
import type { Rejection, Session } from '../sessions/session.js';
import { isIsoDate } from '../util/dates.js';
import { factsForEntries } from './accrual.js';
import { checkSession } from './check-session.js';
import { historyEntry, type HistoryEntry } from './history.js';
import { PayerDirectory } from './payers.js';
import { UnpricedLines } from './unpriced.js';

export interface SessionInput {
    session: Session;
    record: number;
    file?: string;
}

interface Accepted {
    input: SessionInput;
    entry: HistoryEntry;
}

export function evaluate(policy: PolicyBundle, sessions: Iterable<SessionInput>, rejected: Rejection[], options: EvaluateOptions = {}): Report {
    checkOptions(options);
    const rejections = rejected.map(rejection => ({ ...rejection }));
    const accepted = indexSessions(policy, sessions, rejections);
    const facts = factsForEntries(policy, accepted.map(item => item.entry));
    const results = accepted.map((item, index) => checkSession(item.input.session, item.entry, policy, facts[index]!, options));
    const unpriced = new UnpricedLines(policy);
    for (const item of accepted) unpriced.add(item.entry);
    const notices = unpriced.notices();
    return {
        format: REPORT_FORMAT,
        policies: reportPolicies(policy),
        sessions: results,
        rejected: sortRejections(rejections),
        ...(notices.length > 0 ? { notices } : {}),
        summary: summarize(results, rejections.length)
    };
}

export function checkOptions(options: EvaluateOptions): void {
    if (options.asOf !== undefined && !isIsoDate(options.asOf)) {
        throw new InputError(`the as-of date must be an ISO date (YYYY-MM-DD), not ${JSON.stringify(options.asOf)}`);
    }
}

export function reportPolicies(policy: PolicyBundle): Report['policies'] {
    return policy.packages.map(info => ({ package: info.name, ...(info.version !== undefined ? { version: info.version } : {}), payers: [...info.payers] }));
}

/** Phase 1: duplicates and sessions without a payer declaration in force are rejected; the rest are indexed. */
function indexSessions(policy: PolicyBundle, sessions: Iterable<SessionInput>, rejections: Rejection[]): Accepted[] {
    const payers = new PayerDirectory(policy);
    const firstSeen = new Map<string, SessionInput>();
    const accepted: Accepted[] = [];
    for (const input of sessions) {
        const { session } = input;
        const reject = (error: string) => rejections.push({
            record: input.record, ...(input.file !== undefined ? { file: input.file } : {}), id: session.id, error
        });
        const first = firstSeen.get(session.id);
        if (first) {
            const where = first.file !== undefined && first.file !== input.file ? ` of ${first.file}` : '';
            reject(`duplicate session id ${session.id}, first seen at record ${first.record}${where}`);
            continue;
        }
        firstSeen.set(session.id, input);
        const choice = payers.select(session.payer, session.date);
        if (!choice.ok) {
            reject(choice.error);
            continue;
        }
        accepted.push({ input, entry: historyEntry(session, choice.index) });
    }
    return accepted;
}

/** Rejections by input (in the order inputs first appear) and by position within it. */
export function sortRejections(rejections: Rejection[]): Rejection[] {
    const fileOrder = new Map<string | undefined, number>();
    for (const rejection of rejections) if (!fileOrder.has(rejection.file)) fileOrder.set(rejection.file, fileOrder.size);
    return [...rejections].sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.record - b.record);
}

function summarize(results: SessionResult[], rejected: number): Report['summary'] {
    const findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const result of results) for (const finding of result.findings) findings[finding.severity]++;
    return {
        records: results.length + rejected,
        evaluated: results.length,
        rejected,
        sessionsWithFindings: results.filter(result => result.status === 'findings').length,
        findings
    };
}
