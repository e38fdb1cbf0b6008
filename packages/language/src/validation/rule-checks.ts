/** Rules: numbers that cannot be meant (a minimum above the unit length, fractional limits) and empty rules. */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import type {
    AuthorizationRule, ConsistencyRule, DocumentationRule, FilingRule, LimitRule, LineRule, PayruleAstType, ThresholdRule, UnitsRule
} from '../generated/ast.js';
import { POLICY_LIMITS } from '../parser/policy-limits.js';

export function ruleChecks(): ValidationChecks<PayruleAstType> {
    return {
        UnitsRule: checkUnits,
        LimitRule: checkLimit,
        ThresholdRule: checkThreshold,
        LineRule: checkLineRule,
        DocumentationRule: checkDocumentation,
        ConsistencyRule: (rule: ConsistencyRule, accept) => { wholeNumber(rule, 'tolerance', rule.tolerance, accept); },
        FilingRule: checkFiling,
        AuthorizationRule: (rule: AuthorizationRule, accept) => {
            wholeNumber(rule, 'afterVisits', rule.afterVisits, accept);
        }
    };
}

function checkUnits(rule: UnitsRule, accept: ValidationAcceptor): void {
    const unit = rule.unitMinutes ?? 15;
    const minimum = rule.minimumMinutes ?? 8;
    if (!wholeNumber(rule, 'unitMinutes', rule.unitMinutes, accept) || !wholeNumber(rule, 'minimumMinutes', rule.minimumMinutes, accept)) return;
    if (unit <= 0) {
        accept('error', 'A unit must last at least 1 minute.', { node: rule, property: 'unitMinutes', code: 'impossible-number' });
    } else if (minimum > unit) {
        accept('error', `The minimum (${minimum} minutes) is longer than a unit (${unit} minutes), so no unit could ever be billed.`,
            { node: rule, property: 'minimumMinutes', code: 'impossible-number' });
    } else if (minimum >= 15 && rule.minimumMinutes !== undefined) {
        accept('warning', `A minimum of ${minimum} minutes means only full units count. The CMS and AMA methods both use 8 minutes for a 15-minute unit.`,
            { node: rule, property: 'minimumMinutes', code: 'unusual-minimum' });
    }
}

function checkLimit(rule: LimitRule, accept: ValidationAcceptor): void {
    if (!wholeNumber(rule, 'max', rule.max, accept)) return;
    const visits = rule.measure?.startsWith('visit') ?? false;
    if (visits && rule.codes) {
        accept('error', 'A visit limit counts visits, not codes: remove the codes or count units.', { node: rule, property: 'codes' });
    }
    if (visits && rule.period === 'visit') {
        accept('error', 'A limit of visits per visit means nothing: choose day, week, month or year.', { node: rule, property: 'period' });
    }
    if (rule.max === 0) {
        accept('warning', 'A limit of 0 means these codes can never be billed. Is that what the payer says?', { node: rule, property: 'max' });
    }
}

function checkThreshold(rule: ThresholdRule, accept: ValidationAcceptor): void {
    // No amount at all is a syntax error, reported as such.
    if (rule.amount !== undefined && !(rule.amount > 0)) {
        accept('error', 'The threshold amount must be more than $0.', { node: rule, property: 'amount', code: 'impossible-number' });
    }
    const seen = new Set<string>();
    for (const discipline of rule.disciplines) {
        if (seen.has(discipline)) accept('warning', `${discipline} is listed twice.`, { node: rule, property: 'disciplines' });
        seen.add(discipline);
    }
}

function checkLineRule(rule: LineRule, accept: ValidationAcceptor): void {
    if (!rule.when && rule.clauses.length === 0) {
        accept('error', "This rule checks nothing: add 'when <condition>' (raise the finding when it holds) or a requirement.",
            { node: rule, property: 'name', code: 'empty-rule' });
    }
}

function checkDocumentation(rule: DocumentationRule, accept: ValidationAcceptor): void {
    if (rule.requires.length === 0 && rule.vague.length === 0 && rule.minLength === undefined) {
        accept('error', "This documentation rule checks nothing: add 'requires <elements>', a 'not vague' clause or a minimum length.",
            { node: rule, property: 'name', code: 'empty-rule' });
    }
    wholeNumber(rule, 'minLength', rule.minLength, accept);
    const seen = new Set<string>();
    rule.requires.forEach((element, index) => {
        if (seen.has(element)) accept('warning', `${element} is required twice.`, { node: rule, property: 'requires', index });
        seen.add(element);
    });
    for (const clause of rule.vague) {
        // Every phrase is looked for in every note: bounded, so a policy cannot make checking a note slow.
        if (clause.phrases.length > POLICY_LIMITS.vaguePhrases) {
            accept('error', `This clause lists ${clause.phrases.length} phrases; a clause may list at most ${POLICY_LIMITS.vaguePhrases}.`,
                { node: clause, property: 'phrases', index: POLICY_LIMITS.vaguePhrases, code: 'too-many-phrases' });
        }
        clause.phrases.forEach((phrase, index) => {
            if (phrase.trim() === '') accept('error', 'An empty phrase would make every note vague.', { node: clause, property: 'phrases', index });
            else if (phrase.length > POLICY_LIMITS.vaguePhraseChars) {
                accept('error', `This phrase has ${phrase.length} characters; a vague phrase may have at most ${POLICY_LIMITS.vaguePhraseChars}.`,
                    { node: clause, property: 'phrases', index, code: 'phrase-too-long' });
            }
        });
    }
}

function checkFiling(rule: FilingRule, accept: ValidationAcceptor): void {
    if (wholeNumber(rule, 'amount', rule.amount, accept) && rule.amount <= 0) {
        accept('error', 'The filing window must be at least 1 day or month.', { node: rule, property: 'amount', code: 'impossible-number' });
    }
}

/** Counts of minutes, units, visits and characters are whole numbers. */
function wholeNumber<N extends LineRule | UnitsRule | LimitRule | DocumentationRule | ConsistencyRule | FilingRule | AuthorizationRule>(
    node: N, property: keyof N & string, value: number | undefined, accept: ValidationAcceptor
): boolean {
    if (value !== undefined && !Number.isInteger(value)) {
        accept('error', `${value} is not a whole number.`, { node, property, code: 'impossible-number' } as never);
        return false;
    }
    return true;
}
