/**
 * Facts across sessions, by replaying a patient's sessions with one payer id in date then id
 * order, one date at a time: visits in the year, the running count of every limit in its period,
 * and the allowed amounts accrued per set of disciplines in the year. The state per patient is a
 * few numbers, so a replay never needs more than the sessions of one date at hand: the in-memory
 * evaluation replays whole timelines, the streaming one replays dates as the input reaches them.
 */
import type { Discipline, LimitRule, Period, PolicyBundle } from '../ir/policy.js';
import { periodKey } from '../rules/periods.js';
import { groupKey, own } from '../util/records.js';
import { toCents } from '../util/text.js';
import { compareEntries, type HistoryEntry, type SessionFacts } from './history.js';

interface LimitTracker {
    rule: LimitRule;
    /** The codes counted (every code when undefined). */
    codes: ReadonlySet<string> | undefined;
    /** Position of the rule's period among PayerTrackers.periods. */
    period: number;
}

interface DisciplineSet {
    disciplines: ReadonlySet<Discipline>;
}

/** Which trackers the rules of one declaration read. */
interface PolicyPlan {
    /** Flat pairs: rule position, limit tracker. */
    limits: number[];
    /** Flat pairs: rule position, discipline set; with the rule's disciplines. */
    thresholds: number[];
    thresholdDisciplines: ReadonlySet<Discipline>[];
}

/** For one payer id: every limit of its declarations and every set of disciplines its thresholds accrue over. */
export class PayerTrackers {
    readonly limits: LimitTracker[] = [];
    readonly sets: DisciplineSet[] = [];
    readonly periods: Period[] = [];
    private readonly plans = new Map<number, PolicyPlan>();

    constructor(bundle: PolicyBundle, readonly payerId: string) {
        const setIndex = new Map<string, number>();
        bundle.payers.forEach((payer, policy) => {
            if (payer.id !== payerId) return;
            const plan: PolicyPlan = { limits: [], thresholds: [], thresholdDisciplines: [] };
            payer.rules.forEach((rule, index) => {
                if (rule.kind === 'limit') {
                    plan.limits.push(index, this.limits.length);
                    if (!this.periods.includes(rule.period)) this.periods.push(rule.period);
                    // One shape for every tracker (countLines reads them all for every session).
                    this.limits.push({ rule, codes: rule.codes ? new Set(rule.codes) : undefined, period: this.periods.indexOf(rule.period) });
                } else if (rule.kind === 'threshold') {
                    const key = [...rule.disciplines].sort().join(',');
                    let set = setIndex.get(key);
                    if (set === undefined) {
                        set = this.sets.length;
                        setIndex.set(key, set);
                        this.sets.push({ disciplines: new Set(rule.disciplines) });
                    }
                    plan.thresholds.push(index, set);
                    plan.thresholdDisciplines.push(new Set(rule.disciplines));
                }
            });
            this.plans.set(policy, plan);
        });
    }

    planOf(policy: number): PolicyPlan {
        return this.plans.get(policy) ?? { limits: [], thresholds: [], thresholdDisciplines: [] };
    }

    /**
     * What a session adds to the trackers, known from the session alone (so a worker thread can
     * work it out): per limit the units (or the visit) it counts, then per set of disciplines the
     * allowed cents of its lines, or -1 when the set does not cover its discipline. Only what is
     * not zero, as flat pairs of tracker position and amount: a session counts towards a few of a
     * payer's limits, and a pack may have dozens (one per code with a unit limit).
     */
    countsOf(bundle: PolicyBundle, entry: HistoryEntry): number[] {
        const counts: number[] = [];
        const limits = this.limits;
        for (let slot = 0; slot < limits.length; slot++) {
            const counted = countLines(limits[slot]!, entry);
            if (counted !== 0) counts.push(slot, counted);
        }
        let cents: number | undefined;
        for (let slot = 0; slot < this.sets.length; slot++) {
            const amount = this.sets[slot]!.disciplines.has(entry.discipline) ? (cents ??= allowedCents(bundle, entry)) : -1;
            if (amount !== 0) counts.push(limits.length + slot, amount);
        }
        return counts;
    }
}

/** A session as the replay reads it: its counts (PayerTrackers.countsOf, flat pairs) and, for a date shared with another session, its entry. */
export interface ReplayItem {
    id: string;
    date: string;
    discipline: Discipline;
    policy: number;
    counts: readonly number[];
    /** The entry itself, or how to get it: only read when the patient has several sessions that date. */
    entry: HistoryEntry | (() => HistoryEntry);
}

export function replayItem(bundle: PolicyBundle, trackers: PayerTrackers, entry: HistoryEntry): ReplayItem {
    return { id: entry.id, date: entry.date, discipline: entry.discipline, policy: entry.policy, counts: trackers.countsOf(bundle, entry), entry };
}

/** Trackers per payer id, built once per bundle. */
export class HistoryTrackers {
    private readonly byPayer = new Map<string, PayerTrackers>();

    constructor(readonly bundle: PolicyBundle) {}

    forPayer(payerId: string): PayerTrackers {
        let trackers = this.byPayer.get(payerId);
        if (!trackers) this.byPayer.set(payerId, (trackers = new PayerTrackers(this.bundle, payerId)));
        return trackers;
    }
}

/** The running state of one patient with one payer id. */
export class TimelineReplay {
    private visitYear = '';
    private visits = 0;
    /*
     * The running state by tracker slot, as ReplayItem.counts numbers them (the limits, then the
     * sets of disciplines), in three arrays rather than one per kind: a replay is read once per
     * session of a patient, among thousands of patients, and each object is a trip to memory.
     */
    /** Per slot, the period its amount is for: a limit's period key, a set's year. */
    private readonly periodOf: string[];
    /** Per slot, the amount so far in that period: a limit's count, a set's allowed cents. */
    private readonly amounts: number[];
    /** Per limit, the sessions so far in its period that counted anything. */
    private readonly limitSessions: number[];

    constructor(private readonly trackers: PayerTrackers) {
        const slots = trackers.limits.length + trackers.sets.length;
        this.periodOf = new Array<string>(slots).fill('');
        this.amounts = new Array<number>(slots).fill(0);
        this.limitSessions = new Array<number>(trackers.limits.length).fill(0);
    }

    /** The payer id whose trackers this replay keeps. */
    get payerId(): string {
        return this.trackers.payerId;
    }

    /**
     * Facts for each session of one date (all the patient's sessions with this payer id on the
     * date, in id order), then counts them. Dates must come in order.
     */
    addDate(block: readonly ReplayItem[]): SessionFacts[] {
        let sameDate: HistoryEntry[] | undefined;
        if (block.length > 1) {
            // Built with push, as the day's units read it (units/allocate.ts says why).
            sameDate = [];
            for (const item of block) sameDate.push(typeof item.entry === 'function' ? item.entry() : item.entry);
        }
        const facts: SessionFacts[] = [];
        for (const entry of block) {
            const keys = this.periodKeys(entry);
            facts.push(this.factsOf(entry, keys, sameDate));
            this.add(entry, keys);
        }
        return facts;
    }

    /** The entry's period key for each period the limits use (PayerTrackers.periods), in one array reused from session to session. */
    private readonly keys: string[] = [];

    private periodKeys(entry: ReplayItem): readonly string[] {
        const periods = this.trackers.periods;
        for (let i = 0; i < periods.length; i++) this.keys[i] = periodKeyOf(periods[i]!, entry);
        return this.keys;
    }

    private factsOf(entry: ReplayItem, keys: readonly string[], sameDate: HistoryEntry[] | undefined): SessionFacts {
        const year = entry.date.slice(0, 4);
        const plan = this.trackers.planOf(entry.policy);
        const limits: number[] = [];
        for (let i = 0; i < plan.limits.length; i += 2) {
            const slot = plan.limits[i + 1]!;
            // Only what is not zero: a rule without a tally counted nothing before.
            if (this.periodOf[slot] !== keys[this.trackers.limits[slot]!.period]) continue;
            const before = this.amounts[slot]!;
            const earlier = this.limitSessions[slot]!;
            if (before !== 0 || earlier !== 0) limits.push(plan.limits[i]!, before, earlier);
        }
        const thresholds: number[] = [];
        const firstSet = this.trackers.limits.length;
        for (let i = 0; i < plan.thresholds.length; i += 2) {
            if (!plan.thresholdDisciplines[i / 2]!.has(entry.discipline)) continue;
            const slot = firstSet + plan.thresholds[i + 1]!;
            if (this.periodOf[slot] === year && this.amounts[slot] !== 0) thresholds.push(plan.thresholds[i]!, this.amounts[slot]!);
        }
        const visitOfYear = this.visitYear === year ? this.visits + 1 : 1;
        // One shape for every session's facts (a property left out for most would make two).
        return sameDate ? { sameDate, visitOfYear, limits, thresholds } : { sameDate: undefined, visitOfYear, limits, thresholds };
    }

    private add(entry: ReplayItem, keys: readonly string[]): void {
        const year = entry.date.slice(0, 4);
        if (this.visitYear !== year) {
            this.visitYear = year;
            this.visits = 0;
        }
        this.visits++;
        // Each limit's tally starts again in a new period, whether or not this session counts towards it.
        const limits = this.trackers.limits;
        for (let slot = 0; slot < limits.length; slot++) {
            const key = keys[limits[slot]!.period]!;
            if (this.periodOf[slot] !== key) {
                this.periodOf[slot] = key;
                this.amounts[slot] = 0;
                this.limitSessions[slot] = 0;
            }
        }
        const counts = entry.counts;
        for (let i = 0; i < counts.length; i += 2) {
            const slot = counts[i]!;
            const amount = counts[i + 1]!;
            if (slot < limits.length) {
                this.amounts[slot]! += amount;
                if (amount > 0) this.limitSessions[slot]!++;
                continue;
            }
            // A set's yearly amount: -1 when the set does not cover the session's discipline.
            if (amount < 0) continue;
            if (this.periodOf[slot] !== year) {
                this.periodOf[slot] = year;
                this.amounts[slot] = 0;
            }
            this.amounts[slot]! += amount;
        }
    }
}

/** What limit.ts countIn gives: units of the counted codes, or 1 for a visit that counts. */
function countLines(tracker: LimitTracker, entry: HistoryEntry): number {
    const { codes } = tracker;
    if (tracker.rule.measure === 'visits') {
        if (!codes) return entry.lines.length > 0 ? 1 : 0;
        for (const line of entry.lines) if (codes.has(line.code)) return 1;
        return 0;
    }
    let units = 0;
    for (const line of entry.lines) if (!codes || codes.has(line.code)) units += line.units;
    return units;
}

/** Where a line's amount comes from: its `allowed`, else the declaration's fee for its code, else nowhere (counted as $0.00). */
export function amountSource(fees: Readonly<Record<string, number>>, line: { code: string; allowed?: number }): 'allowed' | 'fee' | 'none' {
    return line.allowed !== undefined ? 'allowed' : own(fees, line.code) !== undefined ? 'fee' : 'none';
}

/**
 * A line's amount is its `allowed` (what the payer allows for the whole line), else the
 * declaration's fee for the code times the line's units (a fee schedule prices one unit), else 0;
 * in whole cents.
 */
export function lineCents(fees: Readonly<Record<string, number>>, line: { code: string; units: number; allowed?: number }): number {
    if (line.allowed !== undefined) return toCents(line.allowed);
    const fee = own(fees, line.code);
    return fee !== undefined ? toCents(fee) * line.units : 0;
}

function allowedCents(bundle: PolicyBundle, entry: HistoryEntry): number {
    const fees = bundle.payers[entry.policy]!.fees;
    let cents = 0;
    for (const line of entry.lines) cents += lineCents(fees, line);
    return cents;
}

const weekKeys = new Map<string, string>();

function periodKeyOf(period: Period, entry: { id: string; date: string }): string {
    if (period !== 'week') return periodKey(period, entry);
    // Weeks take date arithmetic: remembered per date (a year of dates is a few hundred).
    let key = weekKeys.get(entry.date);
    if (key === undefined) {
        key = periodKey('week', entry);
        if (weekKeys.size > 10_000) weekKeys.clear();
        weekKeys.set(entry.date, key);
    }
    return key;
}

/** Facts for every entry (aligned with the list), each patient's timeline replayed once. */
export function factsForEntries(bundle: PolicyBundle, entries: readonly HistoryEntry[]): SessionFacts[] {
    const trackers = new HistoryTrackers(bundle);
    const timelines = new Map<string, number[]>();
    entries.forEach((entry, index) => {
        const key = groupKey(entry.patient, entry.payer);
        const timeline = timelines.get(key);
        if (timeline) timeline.push(index);
        else timelines.set(key, [index]);
    });
    const facts: SessionFacts[] = new Array<SessionFacts>(entries.length);
    for (const timeline of timelines.values()) {
        timeline.sort((a, b) => compareEntries(entries[a]!, entries[b]!));
        const payerTrackers = trackers.forPayer(entries[timeline[0]!]!.payer);
        const replay = new TimelineReplay(payerTrackers);
        for (let start = 0; start < timeline.length;) {
            let end = start + 1;
            while (end < timeline.length && entries[timeline[end]!]!.date === entries[timeline[start]!]!.date) end++;
            const block = timeline.slice(start, end);
            replay.addDate(block.map(index => replayItem(bundle, payerTrackers, entries[index]!))).forEach((fact, k) => { facts[block[k]!] = fact; });
            start = end;
        }
    }
    return facts;
}
