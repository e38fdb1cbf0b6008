/** What every rule evaluator sees: the session, the payer declaration in force, and what the other sessions add up to. */
import type { ExprScope } from '../expr/evaluate.js';
import type { CodeInfo, PayerPolicy, PolicyBundle, Rule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import type { Session } from '../sessions/session.js';
import { own } from '../util/records.js';
import type { HistoryEntry, SessionHistory } from '../evaluate/history.js';

export interface EvaluateOptions {
    /** ISO date used as "today" by filing rules when a session has no `submitted` date. */
    asOf?: string;
}

export interface RuleContext {
    session: Session;
    entry: HistoryEntry;
    payer: PayerPolicy;
    bundle: PolicyBundle;
    /** The session's facts across sessions: same-date sessions, running counts of limits and thresholds. */
    history: SessionHistory;
    /** The session-level expression scope (line fields read as null). */
    scope: ExprScope;
    options: EvaluateOptions;
}

export type RuleEvaluator<R extends Rule> = (rule: R, context: RuleContext) => Finding[];

export function codeInfo(bundle: PolicyBundle, code: string): CodeInfo | undefined {
    return own(bundle.codes, code);
}

/** Whether the catalog has a code as timed, untimed, or not at all; looked up once per code and bundle. */
export function catalogKind(bundle: PolicyBundle, code: string): 'timed' | 'untimed' | 'unknown' {
    let kinds = catalogKinds.get(bundle);
    if (!kinds) catalogKinds.set(bundle, (kinds = new Map()));
    let kind = kinds.get(code);
    if (kind === undefined) {
        const info = codeInfo(bundle, code);
        kind = info === undefined ? 'unknown' : info.timed ? 'timed' : 'untimed';
        if (kinds.size < 100_000) kinds.set(code, kind);
    }
    return kind;
}

/** The catalog's answer to `timed`: true, false, or null for a code it does not have. */
export function catalogTimed(bundle: PolicyBundle, code: string): boolean | null {
    const kind = catalogKind(bundle, code);
    return kind === 'unknown' ? null : kind === 'timed';
}

const catalogKinds = new WeakMap<PolicyBundle, Map<string, 'timed' | 'untimed' | 'unknown'>>();
