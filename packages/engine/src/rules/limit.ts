/**
 * `limit`: at most `max` units of the codes (or visits) per period, per patient and payer id.
 * Sessions are counted in date order (ties by session id); each session where the running count
 * passes the limit gets a finding asking to reduce by what is over.
 * Placeholders: code (the counted codes), billed (this session's count), count (running count),
 * limit, period, excess.
 */
import type { LimitRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import type { HistoryEntry } from '../evaluate/history.js';
import { listWords, plural } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';
import { periodPhrase } from './periods.js';

interface Tally {
    /** Counted before this session in the period. */
    before: number;
    own: number;
    earlierSessions: number;
}

export function evaluateLimit(rule: LimitRule, context: RuleContext): Finding[] {
    const { entry } = context;
    const own = countIn(rule, entry);
    if (own === 0) return [];
    const tally = tallyFor(rule, context);
    const running = tally.before + own;
    if (running <= rule.max) return [];
    const excess = Math.min(own, running - rule.max);
    return [rule.measure === 'visits' ? visitFinding(rule, context, tally, excess) : unitsFinding(rule, context, tally, excess)];
}

/** Units of the counted codes in a session, or 1 for a visit that counts. */
export function countIn(rule: LimitRule, entry: HistoryEntry): number {
    const counted = entry.lines.filter(line => !rule.codes || rule.codes.includes(line.code));
    if (rule.measure === 'visits') return counted.length > 0 ? 1 : 0;
    return counted.reduce((sum, line) => sum + line.units, 0);
}

/** The running count before the session comes from the patient's timeline (see evaluate/accrual.ts). */
function tallyFor(rule: LimitRule, context: RuleContext): Tally {
    const { before, earlierSessions } = context.history.limitTally(context.payer.rules.indexOf(rule));
    return { before, own: countIn(rule, context.entry), earlierSessions };
}

function codesLabel(rule: LimitRule, context: RuleContext): string {
    if (!rule.codes) return 'all codes';
    const billed = [...new Set(context.session.lines.map(line => line.code).filter(code => rule.codes!.includes(code)))];
    return listWords(billed, 'and');
}

function unitsFinding(rule: LimitRule, context: RuleContext, tally: Tally, excess: number): Finding {
    const { session, entry } = context;
    const code = codesLabel(rule, context);
    const running = tally.before + tally.own;
    const counted = session.lines.map((line, index) => ({ line, index })).filter(item => !rule.codes || rule.codes.includes(item.line.code));
    const explain = [`At most ${plural(rule.max, 'unit')} of ${rule.codes ? listWords(rule.codes) : 'all codes'} per ${rule.period}`];
    if (tally.before > 0) explain.push(`${plural(tally.before, 'unit')} billed earlier ${periodPhrase(rule.period, entry)} (${plural(tally.earlierSessions, 'session')})`);
    explain.push(`This session bills ${tally.own}: ${running} in all, ${excess} over`);
    const single = counted.length === 1 ? counted[0]! : undefined;
    return makeFinding(rule, context, {
        message: `${code} billed ${plural(running, 'unit')} ${periodPhrase(rule.period, entry)}; at most ${rule.max} per ${rule.period}`,
        values: { code, billed: tally.own, count: running, limit: rule.max, period: rule.period, excess },
        ...(single ? { line: single.index, code: single.line.code } : {}),
        explain,
        fix: `Reduce ${code} by ${plural(excess, 'unit')}` + (single ? ` (bill ${single.line.units - excess})` : '')
    });
}

function visitFinding(rule: LimitRule, context: RuleContext, tally: Tally, excess: number): Finding {
    const { entry } = context;
    const visit = tally.before + 1;
    const scope = rule.codes ? ` billing ${listWords(rule.codes)}` : '';
    return makeFinding(rule, context, {
        message: `Visit ${visit}${scope} ${periodPhrase(rule.period, entry)}; at most ${plural(rule.max, 'visit')} per ${rule.period}`,
        values: { code: rule.codes ? listWords(rule.codes) : '', billed: 1, count: visit, limit: rule.max, period: rule.period, excess },
        explain: [
            `At most ${plural(rule.max, 'visit')}${scope} per ${rule.period} for ${entry.payer}`,
            `${plural(tally.before, 'earlier visit')} ${periodPhrase(rule.period, entry)}; this is visit ${visit}`
        ],
        fix: `Reduce by 1 visit: the ${plural(rule.max, 'visit')} allowed per ${rule.period} are used up (bill another payer or obtain an exception)`
    });
}
