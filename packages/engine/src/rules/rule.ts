/**
 * `rule`: general requirements over each line (scope `line`, lines chosen by `where`) or over the
 * session. The rule applies when `when` holds; each clause then requires or forbids modifiers or
 * requires a condition. A rule without clauses raises its finding whenever `when` holds. On the
 * session scope a required modifier must be on some line, and a forbidden one on none.
 * Placeholders: code, modifier (the modifiers the clause names, "GP or GO"), condition (the
 * clause's text), and any session or line field by name (`{discipline}`, `{minutes}`).
 */
import { atLine, holds, type ExprScope } from '../expr/evaluate.js';
import { becauseLine, describeFacts } from '../expr/facts.js';
import type { Clause, LineRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import type { SessionLine } from '../sessions/session.js';
import { listWords } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

export function evaluateLineRule(rule: LineRule, context: RuleContext): Finding[] {
    if (rule.scope === 'session') return holds(rule.when, context.scope) ? checkSession(rule, context) : [];
    const findings: Finding[] = [];
    context.session.lines.forEach((line, index) => {
        const scope = atLine(context.scope, line, index);
        if (!holds(rule.where, scope) || !holds(rule.when, scope)) return;
        findings.push(...checkLine(rule, context, scope, line, index));
    });
    return findings;
}

function checkLine(rule: LineRule, context: RuleContext, scope: ExprScope, line: SessionLine, index: number): Finding[] {
    if (rule.clauses.length === 0) return [conditionFinding(rule, context, scope, index, line.code)];
    const findings: Finding[] = [];
    for (const clause of rule.clauses) {
        if (clause.type !== 'require' && !holds(clause.when, scope)) continue;
        const finding = clauseFinding(rule, context, scope, clause, line, index);
        if (finding) findings.push(finding);
    }
    return findings;
}

function checkSession(rule: LineRule, context: RuleContext): Finding[] {
    if (rule.clauses.length === 0) return [conditionFinding(rule, context, context.scope)];
    const findings: Finding[] = [];
    for (const clause of rule.clauses) {
        if (clause.type !== 'require' && !holds(clause.when, context.scope)) continue;
        if (clause.type === 'require-modifier') {
            // On the session, one line carrying the modifier is enough.
            const present = context.session.lines.some(line => hasAny(line, clause.modifiers));
            if (!present) findings.push(missingModifier(rule, context, clause, context.scope));
        } else if (clause.type === 'forbid-modifier') {
            context.session.lines.forEach((line, index) => {
                const finding = clauseFinding(rule, context, atLine(context.scope, line, index), clause, line, index);
                if (finding) findings.push(finding);
            });
        } else if (!holds(clause.condition, context.scope)) {
            findings.push(unmet(rule, context, clause, context.scope));
        }
    }
    return findings;
}

/** Modifiers are compared in capitals: records store them so, policies may not. */
function hasAny(line: SessionLine, modifiers: readonly string[]): boolean {
    const wanted = upperCased(modifiers);
    return line.modifiers.some(modifier => wanted.includes(modifier));
}

function matching(line: SessionLine, modifiers: readonly string[]): string[] {
    const wanted = upperCased(modifiers);
    return line.modifiers.filter(modifier => wanted.includes(modifier));
}

const upper = new WeakMap<readonly string[], readonly string[]>();

/** A clause's modifiers in capitals, worked out once per clause. */
export function upperCased(modifiers: readonly string[]): readonly string[] {
    let wanted = upper.get(modifiers);
    if (!wanted) upper.set(modifiers, (wanted = modifiers.map(modifier => modifier.toUpperCase())));
    return wanted;
}

function clauseFinding(rule: LineRule, context: RuleContext, scope: ExprScope, clause: Clause, line: SessionLine, index: number): Finding | undefined {
    if (clause.type === 'require-modifier') {
        return hasAny(line, clause.modifiers) ? undefined : missingModifier(rule, context, clause, scope, line, index);
    }
    if (clause.type === 'forbid-modifier') {
        const found = matching(line, clause.modifiers);
        if (found.length === 0) return undefined;
        const modifier = listWords(found, 'and');
        return makeFinding(rule, context, {
            message: `${line.code} carries ${modifier}, which this payer does not allow here`,
            values: { code: line.code, modifier },
            line: index,
            code: line.code,
            explain: [...becauseLine([rule.whereText, rule.whenText, clause.whenText], [rule.where, rule.when, clause.when], scope),
                `Rule ${rule.id} does not allow ${listWords(clause.modifiers)} here`],
            fix: `Remove ${modifier} from ${line.code}`
        });
    }
    return holds(clause.condition, scope) ? undefined : unmet(rule, context, clause, scope, line, index);
}

type ModifierClause = Extract<Clause, { type: 'require-modifier' }>;

function missingModifier(rule: LineRule, context: RuleContext, clause: ModifierClause, scope: ExprScope, line?: SessionLine, index?: number): Finding {
    const modifiers = clause.modifiers;
    const modifier = listWords(modifiers);
    const one = modifiers.length === 1 ? modifier : `one of ${modifier}`;
    const subject = line ? line.code : 'The session';
    return makeFinding(rule, context, {
        message: `${subject} needs modifier ${modifier}`,
        values: { code: line?.code ?? '', modifier },
        ...(line && index !== undefined ? { line: index, code: line.code } : {}),
        explain: [
            ...becauseLine([rule.whereText, rule.whenText, clause.whenText], [rule.where, rule.when, clause.when], scope),
            line ? `So ${line.code} needs ${one}; it has ${line.modifiers.length > 0 ? listWords(line.modifiers, 'and') : 'no modifier'}`
                : `So a line of the session needs ${one}`
        ],
        fix: line ? `Append ${one} to ${line.code}` : `Append ${one} to the line it belongs on`
    });
}

function unmet(rule: LineRule, context: RuleContext, clause: Extract<Clause, { type: 'require' }>, scope: ExprScope, line?: SessionLine, index?: number): Finding {
    const condition = clause.text.trim() || 'a condition';
    const facts = describeFacts([clause.condition], scope);
    return makeFinding(rule, context, {
        message: `${line ? `${line.code}: ` : ''}requires ${condition}`,
        values: { code: line?.code ?? '', condition },
        ...(line && index !== undefined ? { line: index, code: line.code } : {}),
        explain: [
            ...becauseLine([rule.whereText, rule.whenText], [rule.where, rule.when], scope),
            `Rule ${rule.id} requires ${condition}, which does not hold${facts ? ` (here: ${facts})` : ''}`
        ]
    });
}

function conditionFinding(rule: LineRule, context: RuleContext, scope: ExprScope, index?: number, code?: string): Finding {
    return makeFinding(rule, context, {
        message: code ? `${code}: rule ${rule.id} applies` : `Rule ${rule.id} applies to this session`,
        values: { code: code ?? '' },
        ...(index !== undefined && code !== undefined ? { line: index, code } : {}),
        explain: becauseLine([rule.whereText, rule.whenText], [rule.where, rule.when], scope)
    });
}
