/**
 * The engine's own check of modifiers against the catalog (rule id `unknown-modifier`, severity
 * warning, not declared in any policy): a modifier on a claim line that no loaded package declares
 * (`modifier GP "..."`, the bundle's `modifiers`) and no rule of the payer in force names. A payer
 * may deny or return a line whose modifier it does not recognise; more often it is a typo in the
 * export. When no loaded package declares any modifier, the policies say nothing about which
 * modifiers exist, and nothing is checked. The finding's source is the payer declaration in force.
 */
import type { Expr, PayerPolicy, PolicyBundle } from '../ir/policy.js';
import { EngineFinding, type Finding } from '../report/report.js';
import { isQuotable, plural } from '../util/text.js';
import type { RuleContext } from './context.js';

export const UNKNOWN_MODIFIER_RULE = 'unknown-modifier';

/** Modifiers of the catalog listed in an explanation; a larger catalog is counted, not listed. */
const LISTED = 12;
const NONE: Finding[] = [];

export function evaluateModifierCatalog(context: RuleContext): Finding[] {
    const catalog = catalogOf(context.bundle);
    if (catalog.size === 0) return NONE;
    let known: ReadonlySet<string> | undefined;
    let findings: Finding[] | undefined;
    const lines = context.session.lines;
    for (let index = 0; index < lines.length; index++) {
        const modifiers = lines[index]!.modifiers;
        for (let m = 0; m < modifiers.length; m++) {
            const modifier = modifiers[m]!;
            if (catalog.has(modifier) || modifiers.indexOf(modifier) < m) continue;
            known ??= namedByRules(context.payer);
            if (known.has(modifier)) continue;
            (findings ??= []).push(unknownModifier(context, modifier, index));
        }
    }
    return findings ?? NONE;
}

function unknownModifier(context: RuleContext, text: string, index: number): Finding {
    const { payer, bundle } = context;
    // A modifier is two characters; a longer one is shown by its length (it may be a note in the wrong column).
    const modifier = isQuotable(text) ? text : `(${plural(text.length, 'character')})`;
    const billed = context.session.lines[index]!.code;
    const code = isQuotable(billed) ? billed : `the code of line ${index + 1}`;
    const declared = Object.keys(bundle.modifiers);
    const shown = declared.length <= LISTED ? declared.join(', ') : `${declared.slice(0, LISTED).join(', ')} and ${declared.length - LISTED} more`;
    return new EngineFinding({
        rule: UNKNOWN_MODIFIER_RULE,
        severity: 'warning',
        message: `Modifier ${modifier} on ${code} is not in the loaded modifier catalog: the payer may not recognise it`,
        line: index,
        code: billed,
        explain: [
            `The loaded packages declare ${plural(declared.length, 'modifier')}: ${shown}`,
            `${modifier} is not one of them, and no rule of ${payer.name} names it`,
            'A payer may deny or return a line whose modifier it does not recognise'
        ],
        fix: `Check the modifier ${modifier} on ${code}: correct it or remove it, or load a catalog that declares it`,
        source: payer.location
    });
}

const catalogs = new WeakMap<PolicyBundle, ReadonlySet<string>>();

/** The catalog in capitals, as session modifiers are stored. */
function catalogOf(bundle: PolicyBundle): ReadonlySet<string> {
    let catalog = catalogs.get(bundle);
    if (!catalog) catalogs.set(bundle, (catalog = new Set(Object.keys(bundle.modifiers).map(modifier => modifier.toUpperCase()))));
    return catalog;
}

const named = new WeakMap<PayerPolicy, ReadonlySet<string>>();

/**
 * Modifiers the payer's rules name (required, forbidden, tested in a condition). A policy compiled
 * from sources names only declared ones; a compiled policy written by other means may not.
 */
function namedByRules(payer: PayerPolicy): ReadonlySet<string> {
    let found = named.get(payer);
    if (found) return found;
    const modifiers = new Set<string>();
    const add = (list: readonly string[] | undefined) => list?.forEach(modifier => modifiers.add(modifier.toUpperCase()));
    const exprs: Expr[] = [];
    for (const rule of payer.rules) {
        if (rule.kind === 'threshold' || rule.kind === 'pair') add(rule.modifiers);
        if (rule.kind !== 'rule') continue;
        if (rule.where) exprs.push(rule.where);
        if (rule.when) exprs.push(rule.when);
        for (const clause of rule.clauses) {
            if (clause.type === 'require') exprs.push(clause.condition);
            else add(clause.modifiers);
            if (clause.type !== 'require' && clause.when) exprs.push(clause.when);
        }
    }
    // Expressions walked with a stack: their depth is the policy author's.
    for (let expr = exprs.pop(); expr; expr = exprs.pop()) {
        switch (expr.kind) {
            case 'has-modifier': add(expr.modifiers); break;
            case 'list': exprs.push(...expr.items); break;
            case 'not': exprs.push(expr.operand); break;
            case 'binary': exprs.push(expr.left, expr.right); break;
            case 'in': exprs.push(expr.value, expr.set); break;
            case 'aggregate':
                if (expr.value) exprs.push(expr.value);
                if (expr.where) exprs.push(expr.where);
                break;
            default: break;
        }
    }
    named.set(payer, (found = modifiers));
    return found;
}
