/**
 * `extends` names one declaration, whatever the dates. A payer in force 2025-07-01 through
 * 2026-06-30 that extends Medicare (2026) takes Medicare's 2026 rules for its 2025 dates too,
 * while another declaration of payer id "medicare" (Medicare2025) holds the rules for those dates:
 * a contract year that straddles the base's years silently uses the wrong year's KX amount for
 * half of it. A payer wholly outside its base's dates (Medicare2025 extends Medicare, with its
 * own KX) is the construct used on purpose, and is left alone unless another declaration of the
 * base's id covers its dates.
 */
import { addDays, isIsoDate } from '@payrule/engine';
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import type { Payer, PayruleAstType } from '../generated/ast.js';
import type { PayruleScopeProvider } from '../references/payrule-scope-provider.js';
import type { PayruleServices } from '../payrule-module.js';

/** A range of dates, both ends included; an end undefined: open on that side (a payer without `effective` applies at all times). */
interface DateRange {
    from?: string;
    through?: string;
}

export function baseDateChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const scopes = services.references.ScopeProvider as PayruleScopeProvider;
    return {
        Payer: (payer: Payer, accept: ValidationAcceptor) => {
            const base = payer.base?.ref;
            const own = rangeOf(payer);
            const inherited = base && rangeOf(base);
            // Another declaration of the payer's own id is this payer's other years, not a base it misses.
            if (!base || !own || !inherited || base.payerId === payer.payerId) return;
            for (const gap of outside(own, inherited)) {
                const others = scopes.payersVisibleFrom(payer).filter(other => other !== base && other !== payer && other.payerId === base.payerId
                    && overlaps(rangeOf(other), gap));
                if (others.length === 0) continue;
                const before = gap.through !== undefined && inherited.from !== undefined && gap.through < inherited.from;
                const advice = payer.effective
                    ? `split ${payer.name} where ${base.name}'s dates ${before ? 'begin' : 'end'}, each part extending the declaration for its dates.`
                    : `give ${payer.name} ${base.name}'s dates (effective ...) and declare it again for the other periods, each extending the declaration for its dates.`;
                const message = `${payer.name} (${payer.effective ? describe(own) : 'no effective dates: all dates'}) extends ${base.name} (${describe(inherited)}), `
                    + `so for ${describe(gap)} it uses ${base.name}'s rules, not those of ${others.map(other => other.name).join(' or ')}, which payer id "${base.payerId}" has for those dates. `
                    + `To follow each period's rules, ${advice}`;
                if (payer.effective) accept('warning', message, { node: payer.effective, code: 'base-dates' });
                else accept('warning', message, { node: payer, property: 'base', code: 'base-dates' });
            }
        }
    };
}

/** A payer's effective range (all dates without `effective`), unless its dates do not read (those mistakes have their own errors). */
function rangeOf(payer: Payer): DateRange | undefined {
    const effective = payer.effective;
    if (!effective) return {};
    if (!isIsoDate(effective.from)) return undefined;
    if (effective.through === undefined) return { from: effective.from };
    if (!isIsoDate(effective.through) || effective.through < effective.from) return undefined;
    return { from: effective.from, through: effective.through };
}

/** The parts of `range` before and after `within`. */
function outside(range: DateRange, within: DateRange): DateRange[] {
    const parts: DateRange[] = [];
    if (within.from !== undefined && (range.from === undefined || range.from < within.from)) {
        const through = addDays(within.from, -1);
        parts.push({ ...(range.from !== undefined ? { from: range.from } : {}), through: range.through !== undefined && range.through < through ? range.through : through });
    }
    if (within.through !== undefined && (range.through === undefined || range.through > within.through)) {
        const from = addDays(within.through, 1);
        parts.push({ from: range.from !== undefined && range.from > from ? range.from : from, ...(range.through !== undefined ? { through: range.through } : {}) });
    }
    return parts;
}

function overlaps(a: DateRange | undefined, b: DateRange): boolean {
    if (!a) return false;
    return (a.through === undefined || b.from === undefined || a.through >= b.from) && (b.through === undefined || a.from === undefined || b.through >= a.from);
}

function describe(range: DateRange): string {
    if (range.from === undefined) return range.through === undefined ? 'all dates' : `dates through ${range.through}`;
    return range.through === undefined ? `dates from ${range.from} on` : `${range.from} through ${range.through}`;
}
