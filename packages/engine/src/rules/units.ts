/**
 * `units`: supported units against billed units, per code. Over-billing is the rule's severity
 * (audit risk), under-billing `underSeverity` (revenue left behind): separate findings.
 * Placeholders: code, billed, supported, minutes (the code's timed minutes), total (timed
 * minutes of the day group), method, difference.
 */
import type { Allocation, UnitSize } from '../units/allocate.js';
import type { HistoryEntry } from '../evaluate/history.js';
import type { UnitsRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { computeDayUnits, lineUnits, type CodeKind, type DayUnits } from '../units/day-units.js';
import { plural } from '../util/text.js';
import { catalogKind, type RuleContext } from './context.js';
import { makeFinding, type FindingParts } from './finding.js';

export function codeKind(context: RuleContext, code: string): CodeKind {
    return catalogKind(context.bundle, code);
}

/** What a rule's results are remembered under in a session's history: objects of the rule's own, made once (this runs for every session). */
interface MemoKeys {
    units: object;
    explained: object;
    supported: object;
    /** The rule's unit length and minimum in an object of one shape for every rule (rules differ in shape). */
    size: UnitSize;
}

const memoKeys = new WeakMap<UnitsRule, MemoKeys>();

function memoKeysOf(rule: UnitsRule): MemoKeys {
    let keys = memoKeys.get(rule);
    if (!keys) memoKeys.set(rule, (keys = { units: {}, explained: {}, supported: {}, size: { unitMinutes: rule.unitMinutes, minimumMinutes: rule.minimumMinutes } }));
    return keys;
}

/** The unit computation for the session's day group (patient, date, discipline, payer id), computed once per group. */
export function dayUnits(rule: UnitsRule, context: RuleContext, explain = false): DayUnits {
    const { entry, history } = context;
    const keys = memoKeysOf(rule);
    return history.memo(explain ? keys.explained : keys.units, () => {
        const sameDate = history.sameDate();
        let group = sameDate;
        if (sameDate.length > 1) {
            // Built with push (units/allocate.ts says why).
            const sameDiscipline: HistoryEntry[] = [];
            for (const other of sameDate) if (other.discipline === entry.discipline) sameDiscipline.push(other);
            group = sameDiscipline;
        }
        return computeDayUnits(group, code => codeKind(context, code), rule.method, keys.size, explain);
    });
}

/** Supported units per code billed in the session (codes the catalog does not know are left out). */
export function supportedByCode(rule: UnitsRule, context: RuleContext): Map<string, number> {
    return context.history.memo(memoKeysOf(rule).supported, () => computeSupported(rule, context));
}

function computeSupported(rule: UnitsRule, context: RuleContext): Map<string, number> {
    const perLine = lineUnits(dayUnits(rule, context), context.entry.id) ?? [];
    const result = new Map<string, number>();
    const lines = context.session.lines;
    for (let index = 0; index < lines.length; index++) {
        const line = lines[index]!;
        const units = perLine[index];
        if (units === null || units === undefined) {
            if (codeKind(context, line.code) !== 'unknown' && !result.has(line.code)) result.set(line.code, 0);
            continue;
        }
        result.set(line.code, (result.get(line.code) ?? 0) + units);
    }
    return result;
}

export function evaluateUnits(rule: UnitsRule, context: RuleContext): Finding[] {
    const { session } = context;
    const day = dayUnits(rule, context);
    const supported = supportedByCode(rule, context);
    const findings: Finding[] = [];
    const unchecked = new Set<string>();
    const done = new Set<string>();
    session.lines.forEach((line, index) => {
        const kind = codeKind(context, line.code);
        if (kind === 'unknown') {
            if (!unchecked.has(line.code)) findings.push(unknownCode(rule, context, line.code, index));
            unchecked.add(line.code);
            return;
        }
        if (kind === 'timed' && line.minutes === undefined) {
            findings.push(missingMinutes(rule, context, line.code, line.units, index));
            unchecked.add(line.code);
        }
    });
    session.lines.forEach((line, index) => {
        if (unchecked.has(line.code) || done.has(line.code)) return;
        done.add(line.code);
        const finding = compareCode(rule, context, day, line.code, supported.get(line.code) ?? 0, index);
        if (finding) findings.push(finding);
    });
    return findings;
}

function compareCode(rule: UnitsRule, context: RuleContext, day: DayUnits, code: string, supported: number, firstLine: number): Finding | undefined {
    let billedUnits = 0;
    for (const line of context.session.lines) if (line.code === code) billedUnits += line.units;
    if (billedUnits === supported) return undefined;
    const lines = context.session.lines.map((line, index) => ({ line, index })).filter(item => item.line.code === code);
    const billed = lines.reduce((sum, item) => sum + item.line.units, 0);
    const over = billed > supported;
    const timed = codeKind(context, code) === 'timed';
    const minutes = lines.reduce((sum, item) => sum + (item.line.minutes ?? 0), 0);
    const total = day.allocation.totalMinutes;
    const values = { code, billed, supported, minutes, total, method: rule.method, difference: Math.abs(billed - supported) };
    if (!timed) return untimedFinding(rule, context, day, code, values, lines.length === 1 ? firstLine : undefined);
    return makeFinding(rule, context, {
        ...(over ? {} : { severity: rule.underSeverity }),
        message: unitsMessage(code, billed, supported, minutes, rule.method, rule.method === 'pooled' && day.allocation.codes.length > 1 ? day.allocation : undefined),
        values,
        ...(lines.length === 1 ? { line: firstLine } : {}),
        code,
        explain: explainCode(context, dayUnits(rule, context, true), code),
        fix: supported === 0 ? `Remove ${code}: the documented time supports no units` : `Bill ${plural(supported, 'unit')} of ${code}`
    });
}

/** `pooled` is the day's allocation when several timed codes share it: the code's share is what counts. */
function unitsMessage(code: string, billed: number, supported: number, minutes: number, method: UnitsRule['method'], pooled: Allocation | undefined): string {
    const head = `${code} billed ${plural(billed, 'unit')}`;
    if (!pooled) return `${head}; ${method === 'pooled' ? `${minutes} timed minutes` : `its ${minutes} minutes`} support ${supported}`;
    return `${head}; the day's ${pooled.totalMinutes} timed minutes support ${plural(pooled.totalUnits, 'unit')} in all, ${supported} of them for ${code}`;
}

/** An untimed code is 1 unit per day: billed otherwise in this session, or again after an earlier session of the day billed it. */
function untimedFinding(rule: UnitsRule, context: RuleContext, day: DayUnits, code: string, values: FindingParts['values'] & { billed: number; supported: number }, line: number | undefined): Finding {
    const { billed, supported } = values;
    const holder = sessionWithTheUnit(context, day, code);
    const head = `${code} billed ${plural(billed, 'unit')}; an untimed code is 1 unit per day`;
    return makeFinding(rule, context, {
        ...(billed > supported ? {} : { severity: rule.underSeverity }),
        message: holder ? `${head}, and session ${holder} already bills it that day` : head,
        values,
        ...(line === undefined ? {} : { line }),
        code,
        explain: [
            `${code} is untimed: 1 unit per day for the patient, whatever the minutes`,
            ...(holder ? [`Session ${holder} (same patient, date, discipline and payer) comes first and has the day's unit`] : [])
        ],
        fix: supported === 0 ? `Remove ${code} from this session: session ${holder ?? 'another'} already bills it that day` : `Bill ${plural(supported, 'unit')} of ${code}`
    });
}

/** The other session of the day whose line of the code has the day's unit (day-units.ts says which). */
function sessionWithTheUnit(context: RuleContext, day: DayUnits, code: string): string | undefined {
    const sameDate = context.history.sameDate();
    for (let position = 0; position < day.sessions.length; position++) {
        const id = day.sessions[position]!;
        if (id === context.entry.id) continue;
        const lines = sameDate.find(other => other.id === id)?.lines ?? [];
        if (lines.some((line, index) => line.code === code && day.perLine[position]![index] === 1)) return id;
    }
    return undefined;
}

function explainCode(context: RuleContext, day: DayUnits, code: string): string[] {
    const steps: string[] = [];
    const others = day.sessions.filter(id => id !== context.entry.id);
    if (others.length > 0 && day.allocation.method === 'pooled') {
        steps.push(`Timed minutes pooled with ${others.length === 1 ? 'session' : 'sessions'} ${others.join(', ')} (same patient, date, discipline and payer)`);
    }
    if (day.allocation.method === 'per-code') return [...steps, ...day.allocation.explain.filter(step => step.startsWith(`${code}:`))];
    return [...steps, ...day.allocation.explain];
}

function unknownCode(rule: UnitsRule, context: RuleContext, code: string, line: number): Finding {
    return makeFinding(rule, context, {
        severity: 'warning',
        ownMessage: true,
        message: `${code} is not in the loaded code catalog: its units were not checked`,
        values: { code },
        line,
        code,
        explain: [`No loaded package declares ${code}, so the engine cannot tell whether it is timed`],
        fix: `Check the code ${code}, or load a catalog that declares it`
    });
}

function missingMinutes(rule: UnitsRule, context: RuleContext, code: string, billed: number, line: number): Finding {
    return makeFinding(rule, context, {
        ownMessage: true,
        message: `${code} is a timed code billed with ${plural(billed, 'unit')} but no minutes`,
        values: { code, billed },
        line,
        code,
        explain: [`${code} is timed: its units come from the minutes documented for it`],
        fix: `Record the minutes of ${code} on the line`
    });
}
