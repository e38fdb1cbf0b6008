/**
 * The policy compiled for speed: for each rule of each payer declaration, a closure that tells
 * from the session and its facts, without building anything, whether the rule finds something.
 * Most rules find nothing in most sessions; for those that do, the interpreter's own evaluator
 * (rules/) writes the findings, so every word of the report comes from one place. A check never
 * answers "nothing" where the interpreter would find something (it may answer "maybe"), so the
 * result is the interpreter's; check-session.ts stays the reference. test/throughput/stream.test.ts
 * compares the two on generated sessions, and the engine's rule tests (fixtures.ts bothWays) on
 * hand-made ones.
 */
import { compileExpr, type CompiledExpr } from '../expr/compile.js';
import { timedMinutes, type ExprScope } from '../expr/evaluate.js';
import { isTruthy } from '../expr/values.js';
import type {
    AuthorizationRule, ConsistencyRule, Expr, FilingRule, LimitRule, LineRule, PairRule, PayerPolicy, PolicyBundle, Rule, ThresholdRule, UnitsRule
} from '../ir/policy.js';
import type { SessionResult } from '../report/report.js';
import { statedMinutes } from '../rules/consistency.js';
import type { EvaluateOptions, RuleContext } from '../rules/context.js';
import { filingDeadline } from '../rules/filing.js';
import { onClaim } from '../rules/pair.js';
import { upperCased } from '../rules/rule.js';
import { totalAfter } from '../rules/threshold.js';
import { codeKind, supportedByCode } from '../rules/units.js';
import type { Session, SessionLine } from '../sessions/session.js';
import { own } from '../util/records.js';
import { toCents } from '../util/text.js';
import type { SessionFields } from '../stream/session-text.js';
import { sessionFields, sessionResult } from './check-session.js';
import type { HistoryEntry, SessionFacts } from './history.js';

/** Whether the rule may find something in the session (false only when it surely finds nothing). */
type RuleCheck = (context: RuleContext) => boolean;

export class CompiledPolicy {
    /** Per declaration, the check of each of its rules. */
    private readonly checks: RuleCheck[][];

    constructor(private readonly bundle: PolicyBundle) {
        this.checks = bundle.payers.map(payer => payer.rules.map(rule => compileRule(rule, payer)));
    }

    /** The session's result, as checkSession (check-session.ts) gives it. */
    check(session: Session, entry: HistoryEntry, facts: SessionFacts, options: EvaluateOptions): SessionResult {
        return sessionResult(this.fields(session, entry, facts, options));
    }

    /** The same with the per-code numbers as maps (what stream/session-text.ts writes). */
    fields(session: Session, entry: HistoryEntry, facts: SessionFacts, options: EvaluateOptions): SessionFields {
        const checks = this.checks[entry.policy]!;
        return sessionFields(session, entry, this.bundle, facts, options, (index, context) => checks[index]!(context));
    }
}

function compileRule(rule: Rule, payer: PayerPolicy): RuleCheck {
    const index = payer.rules.indexOf(rule);
    switch (rule.kind) {
        case 'units': return unitsCheck(rule);
        case 'limit': return limitCheck(rule, index);
        case 'rule': return lineRuleCheck(rule);
        case 'threshold': return thresholdCheck(rule);
        case 'pair': return pairCheck(rule);
        case 'consistency': return consistencyCheck(rule);
        case 'filing': return filingCheck(rule);
        case 'authorization': return authorizationCheck(rule);
        // Documentation reads the note's words: its evaluator is the check (it builds nothing when all is well).
        case 'documentation': return () => true;
    }
}

/** As evaluateUnits: a code it cannot check, a timed line without minutes, or a code billed otherwise than supported. */
function unitsCheck(rule: UnitsRule): RuleCheck {
    return context => {
        const lines = context.session.lines;
        for (const line of lines) {
            const kind = codeKind(context, line.code);
            if (kind === 'unknown' || (kind === 'timed' && line.minutes === undefined)) return true;
        }
        const supported = supportedByCode(rule, context);
        for (let i = 0; i < lines.length; i++) {
            const code = lines[i]!.code;
            let first = true;
            for (let j = 0; j < i; j++) if (lines[j]!.code === code) first = false;
            if (!first) continue;
            let billed = 0;
            for (const line of lines) if (line.code === code) billed += line.units;
            if (billed !== (supported.get(code) ?? 0)) return true;
        }
        return false;
    };
}

/** As evaluateLimit: the session counts something and the running count passes the limit. */
function limitCheck(rule: LimitRule, index: number): RuleCheck {
    const codes = rule.codes ? new Set(rule.codes) : undefined;
    return context => {
        const lines = context.entry.lines;
        let own = 0;
        if (rule.measure === 'visits') {
            for (const line of lines) if (!codes || codes.has(line.code)) own = 1;
        } else {
            for (const line of lines) if (!codes || codes.has(line.code)) own += line.units;
        }
        if (own === 0) return false;
        return context.history.limitTally(index).before + own > rule.max;
    };
}

/** As evaluateLineRule: some line (or the session) where the rule applies fails a clause, or the rule has no clause. */
function lineRuleCheck(rule: LineRule): RuleCheck {
    const where = optional(rule.where);
    const when = optional(rule.when);
    const clauses = rule.clauses.map(clause => ({
        type: clause.type,
        when: clause.type !== 'require' ? optional(clause.when) : undefined,
        condition: clause.type === 'require' ? compileExpr(clause.condition) : undefined,
        modifiers: clause.type !== 'require' ? upperCased(clause.modifiers) : []
    }));
    const carries = (line: SessionLine, wanted: readonly string[]) => line.modifiers.some(modifier => wanted.includes(modifier));
    if (rule.scope === 'session') {
        return context => {
            const scope = context.scope;
            if (!holds(when, scope)) return false;
            if (clauses.length === 0) return true;
            for (const clause of clauses) {
                if (clause.type !== 'require' && !holds(clause.when, scope)) continue;
                if (clause.type === 'require-modifier') {
                    if (!context.session.lines.some(line => carries(line, clause.modifiers))) return true;
                } else if (clause.type === 'forbid-modifier') {
                    if (context.session.lines.some(line => carries(line, clause.modifiers))) return true;
                } else if (!isTruthy(clause.condition!(scope))) {
                    return true;
                }
            }
            return false;
        };
    }
    return context => {
        const base = context.scope;
        const at = { line: undefined as unknown as SessionLine, index: 0 };
        const scope: ExprScope = { session: base.session, line: at, timed: base.timed, supportedUnits: base.supportedUnits };
        const lines = context.session.lines;
        for (let index = 0; index < lines.length; index++) {
            const line = lines[index]!;
            at.line = line;
            at.index = index;
            if (!holds(where, scope) || !holds(when, scope)) continue;
            if (clauses.length === 0) return true;
            for (const clause of clauses) {
                if (clause.type !== 'require' && !holds(clause.when, scope)) continue;
                if (clause.type === 'require-modifier') {
                    if (!carries(line, clause.modifiers)) return true;
                } else if (clause.type === 'forbid-modifier') {
                    if (carries(line, clause.modifiers)) return true;
                } else if (!isTruthy(clause.condition!(scope))) {
                    return true;
                }
            }
        }
        return false;
    };
}

function optional(expr: Expr | undefined): CompiledExpr | undefined {
    return expr ? compileExpr(expr) : undefined;
}

function holds(expr: CompiledExpr | undefined, scope: ExprScope): boolean {
    return expr === undefined || isTruthy(expr(scope));
}

/** As evaluateThreshold: only a session whose running total passes the amount can need a modifier or cross it. */
function thresholdCheck(rule: ThresholdRule): RuleCheck {
    const thresholdCents = toCents(rule.amount);
    return context => rule.disciplines.includes(context.session.discipline) && totalAfter(rule, context) > thresholdCents;
}

/**
 * As evaluatePair: a line of `codes` with a partner of `with` on the date, both on the claim (billed
 * with units); the modifiers are left to the evaluator.
 */
function pairCheck(rule: PairRule): RuleCheck {
    const codes = new Set(rule.codes);
    const partners = new Set(rule.with);
    return context => {
        const lines = context.session.lines;
        if (!lines.some(line => codes.has(line.code) && onClaim(line))) return false;
        return context.history.sameDate().some(other => other.lines.some(line => partners.has(line.code) && onClaim(line)));
    };
}

/** As evaluateConsistency. */
function consistencyCheck(rule: ConsistencyRule): RuleCheck {
    return context => {
        const { session } = context;
        const minutes = timedMinutes(context.scope);
        if (session.totalMinutes !== undefined && minutes > session.totalMinutes + rule.toleranceMinutes) return true;
        if (!rule.element) return false;
        const text = own(session.note, rule.element)?.trim();
        if (!text) return false;
        const stated = statedMinutes(text);
        return stated === undefined || Math.abs(stated - minutes) > rule.toleranceMinutes;
    };
}

/** As evaluateFiling. */
function filingCheck(rule: FilingRule): RuleCheck {
    return context => {
        const compared = context.session.submitted ?? context.options.asOf;
        return compared !== undefined && compared > filingDeadline(context.session.date, rule.within);
    };
}

/** As evaluateAuthorization. */
function authorizationCheck(rule: AuthorizationRule): RuleCheck {
    return context => {
        const authorization = context.session.authorization;
        const visit = context.history.visitOfYear();
        if ((rule.afterVisits === undefined || visit > rule.afterVisits) && !authorization?.id) return true;
        const approved = authorization?.visitsApproved;
        const number = authorization?.visitNumber;
        return approved !== undefined && number !== undefined && number > approved;
    };
}
