/** Phase 2 for one session: every rule of its payer declaration, with the session's facts across sessions. */
import type { ExprScope } from '../expr/evaluate.js';
import type { PayerPolicy, PolicyBundle, UnitsRule } from '../ir/policy.js';
import type { Finding, SessionResult } from '../report/report.js';
import { codeInfo, type EvaluateOptions, type RuleContext } from '../rules/context.js';
import { evaluateRule } from '../rules/index.js';
import { evaluateModifierCatalog } from '../rules/modifier-catalog.js';
import { dayUnits, supportedByCode } from '../rules/units.js';
import type { Session } from '../sessions/session.js';
import { recordOf } from '../util/records.js';
import { SessionHistory, type HistoryEntry, type SessionFacts } from './history.js';

export function checkSession(session: Session, entry: HistoryEntry, bundle: PolicyBundle, facts: SessionFacts, options: EvaluateOptions): SessionResult {
    const payer = bundle.payers[entry.policy]!;
    const history = new SessionHistory(entry, facts);
    // The first units rule defines what `supportedUnits` and the report's `units` mean.
    const unitsRule = unitsRuleOf(payer);
    const context = { session, entry, payer, bundle, history, options } as RuleContext;
    const scope: ExprScope = {
        session,
        timed: code => codeInfo(bundle, code)?.timed ?? null,
        supportedUnits: index => (unitsRule ? dayUnits(unitsRule, context).perLine.get(entry.id)?.[index] ?? null : null)
    };
    context.scope = scope;
    const ranked: { finding: Finding; rule: number }[] = [];
    const rules = payer.rules;
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
        for (const finding of evaluateRule(rules[ruleIndex]!, context)) ranked.push({ finding, rule: ruleIndex });
    }
    // The engine's own check of the modifier catalog, after the payer's rules.
    for (const finding of evaluateModifierCatalog(context)) ranked.push({ finding, rule: rules.length });
    // Line order first (session-wide findings after the lines), then the payer's rule order; sort is stable.
    if (ranked.length > 1) ranked.sort((a, b) => (a.finding.line ?? Infinity) - (b.finding.line ?? Infinity) || a.rule - b.rule);
    const findings = ranked.map(item => item.finding);
    return {
        id: session.id,
        patient: session.patient,
        date: session.date,
        payer: session.payer,
        policy: payer.name,
        status: findings.length > 0 ? 'findings' : 'ok',
        units: unitsRule ? recordOf(supportedByCode(unitsRule, context)) : {},
        billed: billedByCode(session),
        findings
    };
}

const unitsRules = new WeakMap<PayerPolicy, UnitsRule | null>();

function unitsRuleOf(payer: PayerPolicy): UnitsRule | undefined {
    let rule = unitsRules.get(payer);
    if (rule === undefined) unitsRules.set(payer, (rule = payer.rules.find((candidate): candidate is UnitsRule => candidate.kind === 'units') ?? null));
    return rule ?? undefined;
}

function billedByCode(session: Session): Record<string, number> {
    const billed = new Map<string, number>();
    for (const line of session.lines) billed.set(line.code, (billed.get(line.code) ?? 0) + line.units);
    return recordOf(billed);
}
