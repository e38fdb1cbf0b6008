/**
 * How the editor describes Payrule's things to a biller: codes, modifiers, code sets, payers and
 * rules, in the words hover and completion show. One place, so both say the same.
 */
import { unitRange, unitsFor } from '@payrule/engine';
import { AstUtils } from 'langium';
import {
    isAuthorizationRule, isConsistencyRule, isDocumentationRule, isFilingRule, isLimitRule, isLineRule, isPairRule,
    isThresholdRule, isUnitsRule, type CodeDecl, type CodeSet, type EngineRule, type ModifierDecl, type Payer, type PolicyFile, type PolicyRule,
    type UnitsRule
} from '../generated/ast.js';
import { expandCodeDecls } from '../validation/rule-conditions.js';
import { inheritedRules, rulesInForce } from '../workspace/payer-inheritance.js';

/**
 * Text a pack wrote (summaries, meanings, messages, citations, documentation comments) as
 * Markdown that shows it literally: a pack cannot add links, images or HTML to the editor's
 * hovers, whatever the client would render.
 */
export function literal(text: string | undefined): string {
    // A document still being typed may lack the text the grammar requires.
    return (text ?? '').replace(/[\\`*_[\]<>&|#!]/g, char => (char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '&' ? '&amp;' : `\\${char}`));
}

/** "timed" or "untimed", with what it means for billing. */
export function codeKindText(code: CodeDecl): string {
    return code.kind === 'timed' ? 'timed: billed in units of minutes' : 'untimed: one unit per day';
}

/** "timed · PT, OT": the short line completion shows next to a code. */
export function codeDetail(code: CodeDecl): string {
    return [code.kind, code.disciplines.join(', ')].filter(Boolean).join(' · ');
}

export function codeMarkdown(code: CodeDecl): string {
    const disciplines = code.disciplines.length > 0 ? ` · ${code.disciplines.join(', ')}` : '';
    return `**${code.name}** · ${codeKindText(code)}${disciplines}\n\n${literal(code.summary)}${packageLine(code)}`;
}

export function modifierMarkdown(modifier: ModifierDecl): string {
    return `**Modifier ${modifier.name}**\n\n${literal(modifier.meaning)}${packageLine(modifier)}`;
}

export function codeSetMarkdown(set: CodeSet): string {
    const codes = expandCodeDecls(set.members).map(code => String(code.name));
    const shown = codes.length > 40 ? `${codes.slice(0, 40).join(', ')}, … (${codes.length - 40} more)` : codes.join(', ');
    return `**Code set ${set.name}** · ${codes.length} ${codes.length === 1 ? 'code' : 'codes'}\n\n${shown || '_matches no code_'}${packageLine(set)}`;
}

export function payerMarkdown(payer: Payer, documentation?: string): string {
    const lines = [`**payer ${payer.name}** · id ${(payer.payerId ?? '').includes('`') ? literal(`"${payer.payerId}"`) : `\`"${payer.payerId}"\``}${payer.base ? ` · extends ${payer.base.$refText}` : ''}`];
    if (payer.effective) lines.push(`Effective ${payer.effective.from}${payer.effective.through ? ` through ${payer.effective.through}` : ' onwards'}`);
    if (documentation) lines.push(literal(documentation.trim()));
    const inForce = rulesInForce(payer);
    const inherited = inForce.filter(entry => entry.declaredIn !== payer).length;
    lines.push(`${inForce.length} rules in force${inherited > 0 ? ` (${inherited} inherited)` : ''}`);
    return lines.join('\n\n') + packageLine(payer);
}

/** A rule's kind, id and severity, what it checks, its message and its citation. */
export function ruleMarkdown(rule: PolicyRule): string {
    const payer = rule.$container;
    const overridden = rule.override ? inheritedRules(payer).find(entry => entry.rule.name === rule.name) : undefined;
    const lines = [`**${ruleKeyword(rule)} ${rule.name}** · ${rule.severity} · ${payer.name}${overridden ? ` · overrides ${overridden.declaredIn.name}'s rule` : ''}`];
    const summary = ruleSummary(rule);
    if (summary) lines.push(summary);
    if (rule.message) lines.push(`> ${literal(rule.message)}`);
    lines.push(rule.citation ? `Source: ${literal(rule.citation)}` : '_No source cited._');
    if (isUnitsRule(rule)) lines.push(unitsTable(rule));
    return lines.join('\n\n');
}

/** One of Payrule's own checks, which a test may expect though no policy declares it. */
export function engineRuleMarkdown(rule: EngineRule): string {
    return `**${rule.name}** · ${rule.severity} · Payrule's own check\n\n${literal(rule.summary)}\n\n`
        + 'No policy declares this rule: Payrule makes the finding itself. A test can expect it, or expect it not to fire, like any rule.';
}

/** The keyword a rule is written with: `units`, `limit`, `rule`, ... */
export function ruleKeyword(rule: PolicyRule): string {
    if (isUnitsRule(rule)) return 'units';
    if (isLimitRule(rule)) return 'limit';
    if (isLineRule(rule)) return 'rule';
    if (isThresholdRule(rule)) return 'threshold';
    if (isPairRule(rule)) return 'pair';
    if (isDocumentationRule(rule)) return 'documentation';
    if (isConsistencyRule(rule)) return 'consistency';
    if (isFilingRule(rule)) return 'filing';
    if (isAuthorizationRule(rule)) return 'authorization';
    return 'rule';
}

/** One sentence on what the rule checks. */
export function ruleSummary(rule: PolicyRule): string | undefined {
    if (isUnitsRule(rule)) return unitMethodText(rule);
    if (isLimitRule(rule)) {
        const codes = rule.codes ? ` of ${rule.codes.codes.map(c => c.$refText).join(', ')}` : '';
        return `At most ${rule.max} ${rule.measure}${codes} per ${rule.period} per patient.`;
    }
    if (isThresholdRule(rule)) {
        const modifiers = rule.modifiers.length > 0 ? `; from then on lines need ${rule.modifiers.map(m => m.$refText).join(' or ')}` : '';
        return `Once allowed amounts for ${rule.disciplines.join(' and ')} this calendar year exceed ${money(rule.amount)}${modifiers}.`;
    }
    if (isPairRule(rule)) {
        const codes = rule.codes?.codes.map(c => c.$refText).join(', ');
        const other = rule.with?.codes.map(c => c.$refText).join(', ');
        return rule.never
            ? `${codes} may not be billed with ${other} on the same date.`
            : `${codes} billed with ${other} on the same date needs ${rule.modifiers.map(m => m.$refText).join(' or ')}.`;
    }
    if (isDocumentationRule(rule)) {
        return rule.requires.length > 0 ? `The note must contain ${rule.requires.join(', ')}.` : 'Checks the wording of the note.';
    }
    if (isFilingRule(rule)) return `Claims must be filed within ${rule.amount} ${rule.unit} of the date of service.`;
    if (isAuthorizationRule(rule)) {
        return rule.afterVisits !== undefined ? `Prior authorization is needed after ${rule.afterVisits} visits per calendar year.` : 'Visits must stay within the authorization.';
    }
    if (isConsistencyRule(rule)) return 'Billed minutes must agree with the documented total time.';
    return undefined;
}

export function unitMethodText(rule: UnitsRule): string {
    const unit = rule.unitMinutes ?? 15;
    const minimum = rule.minimumMinutes ?? 8;
    return rule.method === 'pooled'
        ? `Pooled (CMS 8-minute rule): the timed minutes of a patient's day are added up per discipline and the total becomes units: ${unit}-minute units, one more unit once the remainder reaches ${minimum} minutes. Untimed codes are one unit each.`
        : `Per code (AMA "substantial portion"): each timed code's minutes become units on their own: ${unit}-minute units, one more unit once the remainder reaches ${minimum} minutes. Untimed codes are one unit each.`;
}

/** The minutes-to-units chart of a units rule: "8-22 minutes → 1 unit", ... */
export function unitsTable(rule: Pick<UnitsRule, 'unitMinutes' | 'minimumMinutes'>, rows = 8): string {
    const unit = rule.unitMinutes ?? 15;
    const minimum = rule.minimumMinutes ?? 8;
    const lines = ['| Minutes | Units |', '|---|---|'];
    const firstBillable = Math.min(minimum, unit);
    if (firstBillable > 1 && unitsFor(firstBillable - 1, unit, minimum) === 0) lines.push(`| 0-${firstBillable - 1} | 0 |`);
    for (let units = 1; units <= rows; units++) lines.push(`| ${unitRange(units, unit, minimum).replace(' minutes', '')} | ${units} |`);
    return lines.join('\n');
}

/** Short help for the words that start a payer member, shown by completion. */
export const KEYWORD_HELP: Record<string, string> = {
    units: 'How minutes become units: `units <id> error pooled` (CMS 8-minute rule) or `per-code` (substantial portion).',
    limit: 'A unit or visit limit: `limit <id> error 97530 at most 6 units per day`.',
    rule: 'Requirements on lines or the session: `rule <id> error on every line where code in therapy require modifier GP when discipline is PT`.',
    threshold: 'A yearly allowed-amount threshold: `threshold <id> error when allowed this calendar year for PT and SLP exceeds $2,480.00 require modifier KX`.',
    pair: 'Codes billed together on one date: `pair <id> error 97530 with 97164 needs modifier 59 or XU` (or `not allowed`).',
    documentation: 'Required note elements: `documentation <id> error for 97530 requires activities, patient-response`.',
    consistency: 'Billed minutes agree with the documented time: `consistency <id> warning stated in total-timed-minutes tolerance 0 minutes`.',
    filing: 'Timely filing: `filing <id> error within 12 months of date of service`.',
    authorization: 'Prior authorization: `authorization <id> error after 12 visits per calendar year`.',
    without: 'Drops a rule inherited from the base payer: `without kx`.',
    override: 'Replaces the inherited rule with the same id: `override limit mue-97530 error 97530 at most 4 units per day`.',
    fees: 'Allowed amounts by code, used when a line has no `allowed` amount: `fees { 97530 $36.12, 97110 $31.00 }`.',
    effective: 'The dates this payer declaration applies to: `effective 2026-01-01 through 2026-12-31`.',
    source: 'Where the rule comes from: `source "Pub 100-04 Ch 5 s20.2"`. Reports show it with every finding.'
};

function packageLine(node: CodeDecl | CodeSet | ModifierDecl | Payer): string {
    const root = AstUtils.findRootNode(node) as PolicyFile;
    return root.name ? `\n\n_${root.name}${root.version ? ` ${root.version}` : ''}_` : '';
}

/** "$2,480.00" */
export function money(amount: number): string {
    return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
