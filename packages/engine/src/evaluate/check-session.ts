/**
 * Phase 2 for one session: every rule of its payer declaration, with the session's facts across
 * sessions. The one place a session's result is put together: the reference asks every rule,
 * the compiled policy (compiled.ts) only the rules its checks say may find something.
 */
import type { ExprScope } from '../expr/evaluate.js';
import type { PayerPolicy, PolicyBundle, UnitsRule } from '../ir/policy.js';
import type { Finding, SessionResult } from '../report/report.js';
import { catalogTimed, type EvaluateOptions, type RuleContext } from '../rules/context.js';
import { evaluateRule } from '../rules/index.js';
import { evaluateModifierCatalog } from '../rules/modifier-catalog.js';
import { dayUnits, supportedByCode } from '../rules/units.js';
import type { Session } from '../sessions/session.js';
import type { SessionFields } from '../stream/session-text.js';
import { recordOf } from '../util/records.js';
import { sortSmall } from '../util/small-sort.js';
import { lineUnits } from '../units/day-units.js';
import { SessionHistory, type HistoryEntry, type SessionFacts } from './history.js';

/** Whether rule `index` of the declaration may find something in the session (false only when it surely finds nothing). */
export type MayFind = (index: number, context: RuleContext) => boolean;

const EVERY_RULE: MayFind = () => true;

export function checkSession(session: Session, entry: HistoryEntry, bundle: PolicyBundle, facts: SessionFacts, options: EvaluateOptions): SessionResult {
    return sessionResult(sessionFields(session, entry, bundle, facts, options));
}

/** The session's result with the per-code numbers as maps (what stream/session-text.ts writes). */
export function sessionFields(
    session: Session, entry: HistoryEntry, bundle: PolicyBundle, facts: SessionFacts, options: EvaluateOptions, mayFind: MayFind = EVERY_RULE
): SessionFields {
    const payer = bundle.payers[entry.policy]!;
    const history = new SessionHistory(entry, facts);
    // The first units rule defines what `supportedUnits` and the report's `units` mean.
    const unitsRule = unitsRuleOf(payer);
    const context = { session, entry, payer, bundle, history, options } as RuleContext;
    const scope: ExprScope = {
        session,
        timed: code => catalogTimed(bundle, code),
        supportedUnits: index => (unitsRule ? lineUnits(dayUnits(unitsRule, context), entry.id)?.[index] ?? null : null)
    };
    context.scope = scope;
    let ranked: { finding: Finding; rule: number }[] | undefined;
    const rules = payer.rules;
    for (let index = 0; index < rules.length; index++) {
        if (!mayFind(index, context)) continue;
        for (const finding of evaluateRule(rules[index]!, context)) (ranked ??= []).push({ finding, rule: index });
    }
    // The engine's own check of the modifier catalog, after the payer's rules.
    for (const finding of evaluateModifierCatalog(context)) (ranked ??= []).push({ finding, rule: rules.length });
    // Line order first (session-wide findings after the lines), then the payer's rule order; sort is stable.
    if (ranked && ranked.length > 1) sortSmall(ranked, (a, b) => (a.finding.line ?? Infinity) - (b.finding.line ?? Infinity) || a.rule - b.rule);
    // From [] and push, not map: one kind of list with findings or without (units/allocate.ts says why).
    const findings: Finding[] = [];
    if (ranked) for (const item of ranked) findings.push(item.finding);
    return {
        id: session.id,
        patient: session.patient,
        date: session.date,
        payer: session.payer,
        policy: payer.name,
        status: findings.length > 0 ? 'findings' : 'ok',
        units: unitsRule ? supportedByCode(unitsRule, context) : new Map(),
        billed: billedByCode(session),
        findings
    };
}

/** The report's form of a session's result: per-code numbers as records. */
export function sessionResult(fields: SessionFields): SessionResult {
    return {
        id: fields.id, patient: fields.patient, date: fields.date, payer: fields.payer, ...(fields.policy !== undefined ? { policy: fields.policy } : {}),
        status: fields.status, units: recordOf(fields.units), billed: recordOf(fields.billed), findings: [...fields.findings]
    };
}

const unitsRules = new WeakMap<PayerPolicy, UnitsRule | null>();

function unitsRuleOf(payer: PayerPolicy): UnitsRule | undefined {
    let rule = unitsRules.get(payer);
    if (rule === undefined) unitsRules.set(payer, (rule = payer.rules.find((candidate): candidate is UnitsRule => candidate.kind === 'units') ?? null));
    return rule ?? undefined;
}

function billedByCode(session: Session): Map<string, number> {
    const billed = new Map<string, number>();
    for (const line of session.lines) billed.set(line.code, (billed.get(line.code) ?? 0) + line.units);
    return billed;
}
