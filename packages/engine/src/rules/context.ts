/** What every rule evaluator sees: the session, the payer declaration in force, and the history of all sessions. */
import type { ExprScope } from '../expr/evaluate.js';
import type { CodeInfo, PayerPolicy, PolicyBundle, Rule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import type { Session } from '../sessions/session.js';
import { own } from '../util/records.js';
import type { History, HistoryEntry } from '../evaluate/history.js';

export interface EvaluateOptions {
    /** ISO date used as "today" by filing rules when a session has no `submitted` date. */
    asOf?: string;
}

export interface RuleContext {
    session: Session;
    entry: HistoryEntry;
    payer: PayerPolicy;
    bundle: PolicyBundle;
    history: History;
    /** The session-level expression scope (line fields read as null). */
    scope: ExprScope;
    options: EvaluateOptions;
}

export type RuleEvaluator<R extends Rule> = (rule: R, context: RuleContext) => Finding[];

export function codeInfo(bundle: PolicyBundle, code: string): CodeInfo | undefined {
    return own(bundle.codes, code);
}

/** The payer declaration a history entry was evaluated under. */
export function payerOf(context: RuleContext, entry: HistoryEntry): PayerPolicy {
    return context.bundle.payers[entry.policy]!;
}
