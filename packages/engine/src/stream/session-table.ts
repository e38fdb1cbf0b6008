/**
 * The two-pass evaluation's index of a part's admitted sessions (partition.ts): what the replay
 * of each patient's timeline reads of a session, kept in typed arrays and byte buffers rather
 * than an object or a string per session, so a million sessions in any order take some 200 MB
 * where strings per session took most of a gigabyte. Then the facts the replay gives each
 * session, as numbers by session, which the second pass takes out one after another.
 */
import type { Discipline, PolicyBundle } from '../ir/policy.js';
import { HistoryTrackers, TimelineReplay, type ReplayItem } from '../evaluate/accrual.js';
import { groupKey } from '../util/records.js';
import { compareIds, type HistoryEntry, type SessionFacts } from '../evaluate/history.js';
import { headEntry, type SessionHead } from './codec.js';

const DISCIPLINES: readonly Discipline[] = ['PT', 'OT', 'SLP'];

/**
 * Lists grow by blocks, not by doubling: no copy as they grow, and never twice the memory they
 * need (a doubled array holds up to half its size unused, and the one it replaced until collected).
 */
const BLOCK = 1 << 16;
const BLOCK_BITS = 16;

/** A growable list of 32-bit integers. */
export class Int32List {
    private readonly blocks: Int32Array[] = [];
    length = 0;

    push(value: number): void {
        if ((this.length & (BLOCK - 1)) === 0 && this.length >>> BLOCK_BITS === this.blocks.length) this.blocks.push(new Int32Array(BLOCK));
        this.blocks[this.length >>> BLOCK_BITS]![this.length & (BLOCK - 1)] = value;
        this.length++;
    }

    get(index: number): number {
        return this.blocks[index >>> BLOCK_BITS]![index & (BLOCK - 1)]!;
    }

    set(index: number, value: number): void {
        this.blocks[index >>> BLOCK_BITS]![index & (BLOCK - 1)] = value;
    }
}

/** A growable list of numbers. */
class Float64List {
    private readonly blocks: Float64Array[] = [];
    length = 0;

    push(value: number): void {
        if (this.length % BLOCK === 0 && this.length / BLOCK === this.blocks.length) this.blocks.push(new Float64Array(BLOCK));
        this.blocks[Math.floor(this.length / BLOCK)]![this.length % BLOCK] = value;
        this.length++;
    }

    get(index: number): number {
        return this.blocks[Math.floor(index / BLOCK)]![index % BLOCK]!;
    }
}

/** Texts as UTF-8 bytes in blocks of a megabyte (a text never spans two), read back by position. */
class TextList {
    private static readonly BLOCK_BYTES = 1 << 20;
    private readonly blocks: Buffer[] = [];
    /** The position of each block's first text. */
    private readonly firsts: number[] = [];
    private used = 0;
    /** Where each text ends in its block (it starts where the one before it in the block ends). */
    private readonly ends = new Int32List();

    push(text: string): void {
        const most = text.length * 3;
        const last = this.blocks[this.blocks.length - 1];
        if (!last || this.used + most > last.length) {
            this.blocks.push(Buffer.allocUnsafe(Math.max(TextList.BLOCK_BYTES, most)));
            this.firsts.push(this.ends.length);
            this.used = 0;
        }
        this.used += this.blocks[this.blocks.length - 1]!.write(text, this.used, 'utf8');
        this.ends.push(this.used);
    }

    get(index: number): string {
        // The last block whose first text is not after this one.
        let low = 0;
        let high = this.firsts.length - 1;
        while (low < high) {
            const middle = (low + high + 1) >>> 1;
            if (this.firsts[middle]! <= index) low = middle;
            else high = middle - 1;
        }
        const block = low;
        const start = this.firsts[block] === index ? 0 : this.ends.get(index - 1);
        return this.blocks[block]!.toString('utf8', start, this.ends.get(index));
    }
}

/** Admitted sessions of a two-pass run, by admission order (their index). */
export class SessionTable {
    /** Patient and payer id of each timeline, by timeline number. */
    private readonly timelineParts: [patient: string, payer: string][] = [];
    private readonly timelineOf = new Map<string, number>();
    private readonly dateTexts: string[] = [];
    private readonly dateOf = new Map<string, number>();
    private readonly timeline = new Int32List();
    private readonly date = new Int32List();
    private readonly policy = new Int32List();
    private readonly discipline = new Int32List();
    /** Each session's counts (PayerTrackers.countsOf: pairs of position and amount), one session after another; `countsEnd` says where each ends. */
    private readonly countSlots = new Int32List();
    private readonly countValues = new Float64List();
    private readonly countsEnd = new Int32List();
    /**
     * Each session's id and its lines as the head's JSON text (the lines are read only for a
     * patient with several sessions on a date), as one text: the id's length, a colon, the id, the
     * lines. An id that UTF-8 cannot hold as it is (a lone surrogate) is kept as JSON text, marked `j`.
     */
    private readonly texts = new TextList();
    /** Sessions added and then not admitted after all (few): left out of the timelines. */
    private readonly excluded = new Set<number>();

    get size(): number {
        return this.policy.length;
    }

    /** Adds an admitted session; returns its index. */
    add(head: SessionHead): number {
        const key = groupKey(head[1], head[3]);
        let timeline = this.timelineOf.get(key);
        if (timeline === undefined) {
            timeline = this.timelineParts.length;
            this.timelineOf.set(key, timeline);
            this.timelineParts.push([head[1], head[3]]);
        }
        let date = this.dateOf.get(head[2]);
        if (date === undefined) {
            date = this.dateTexts.length;
            this.dateOf.set(head[2], date);
            this.dateTexts.push(head[2]);
        }
        this.timeline.push(timeline);
        this.date.push(date);
        this.policy.push(head[5]);
        this.discipline.push(DISCIPLINES.indexOf(head[4]));
        const counts = head[6];
        for (let i = 0; i < counts.length; i += 2) {
            this.countSlots.push(counts[i]!);
            this.countValues.push(counts[i + 1]!);
        }
        this.countsEnd.push(this.countSlots.length);
        const id = head[0];
        if (isWellFormed(id)) this.texts.push(`${id.length}:${id}${head[7]}`);
        else {
            const json = JSON.stringify(id);
            this.texts.push(`j${json.length}:${json}${head[7]}`);
        }
        return this.size - 1;
    }

    exclude(index: number): void {
        this.excluded.add(index);
    }

    /**
     * Each timeline (one patient with one payer id) as its sessions' indices in date then id
     * order: a counting sort by timeline, then each timeline's few sessions sorted by date.
     */
    *timelines(): Generator<Int32Array> {
        const size = this.size;
        const timelines = this.timelineParts.length;
        const starts = new Int32Array(timelines + 1);
        for (let i = 0; i < size; i++) if (this.excluded.size === 0 || !this.excluded.has(i)) starts[this.timeline.get(i) + 1]!++;
        for (let t = 0; t < timelines; t++) starts[t + 1]! += starts[t]!;
        const order = new Int32Array(size);
        const next = starts.slice(0, timelines);
        for (let i = 0; i < size; i++) if (this.excluded.size === 0 || !this.excluded.has(i)) order[next[this.timeline.get(i)]!++] = i;
        // Dates compare as text (YYYY-MM-DD): their rank among the dates seen.
        const byText = this.dateTexts.map((_, index) => index).sort((a, b) => (this.dateTexts[a]! < this.dateTexts[b]! ? -1 : 1));
        const rank = new Int32Array(this.dateTexts.length);
        byText.forEach((date, position) => { rank[date] = position; });
        for (let t = 0; t < timelines; t++) {
            const sessions = order.subarray(starts[t]!, starts[t + 1]!);
            if (sessions.length === 0) continue;
            sessions.sort((a, b) => rank[this.date.get(a)]! - rank[this.date.get(b)]! || compareIds(this.idAndLines(a).id, this.idAndLines(b).id));
            yield sessions;
        }
    }

    dateOfSession(index: number): number {
        return this.date.get(index);
    }

    payerOf(index: number): string {
        return this.timelineParts[this.timeline.get(index)]![1];
    }

    /** What the replay reads of a session. */
    replayItem(index: number): ReplayItem {
        const date = this.dateTexts[this.date.get(index)]!;
        const policy = this.policy.get(index);
        const discipline = DISCIPLINES[this.discipline.get(index)]!;
        const { id, lines } = this.idAndLines(index);
        const counts: number[] = [];
        for (let at = index === 0 ? 0 : this.countsEnd.get(index - 1); at < this.countsEnd.get(index); at++) counts.push(this.countSlots.get(at), this.countValues.get(at));
        return {
            id, date, discipline, policy, counts,
            entry: () => {
                const [patient, payer] = this.timelineParts[this.timeline.get(index)]!;
                return headEntry([id, patient, date, payer, discipline, policy, [], lines]);
            }
        };
    }

    private idAndLines(index: number): { id: string; lines: string } {
        const text = this.texts.get(index);
        const colon = text.indexOf(':');
        const json = text.startsWith('j');
        const end = colon + 1 + Number(text.slice(json ? 1 : 0, colon));
        const id = text.slice(colon + 1, end);
        return { id: json ? JSON.parse(id) as string : id, lines: text.slice(end) };
    }
}

/**
 * The facts of every session of a two-pass run, by session index: per session its visit of the
 * year and where its limit and threshold numbers start (most sessions have a few or none), and the
 * same-date sessions of the few that have them.
 */
export class FactsTable {
    private readonly visit: Int32Array;
    private readonly at: Float64Array;
    private readonly limits: Int32Array;
    private readonly thresholds: Int32Array;
    private readonly numbers = new Float64List();
    private readonly sameDate = new Map<number, HistoryEntry[]>();

    constructor(size: number) {
        this.visit = new Int32Array(size);
        this.at = new Float64Array(size);
        this.limits = new Int32Array(size);
        this.thresholds = new Int32Array(size);
    }

    set(index: number, facts: SessionFacts): void {
        this.visit[index] = facts.visitOfYear;
        this.at[index] = this.numbers.length;
        this.limits[index] = facts.limits.length;
        this.thresholds[index] = facts.thresholds.length;
        for (const value of facts.limits) this.numbers.push(value);
        for (const value of facts.thresholds) this.numbers.push(value);
        if (facts.sameDate) this.sameDate.set(index, facts.sameDate);
    }

    /** The facts of a session (its same-date sessions are let go: each is read once). */
    get(index: number): SessionFacts {
        let from = this.at[index]!;
        const limits: number[] = [];
        for (let i = 0; i < this.limits[index]!; i++) limits.push(this.numbers.get(from++));
        const thresholds: number[] = [];
        for (let i = 0; i < this.thresholds[index]!; i++) thresholds.push(this.numbers.get(from++));
        const sameDate = this.sameDate.get(index);
        this.sameDate.delete(index);
        // One shape for every session's facts, as the replay makes them.
        return { sameDate, visitOfYear: this.visit[index]!, limits, thresholds };
    }
}

/** Each patient's timeline replayed once, one date at a time, into the facts of every session of the table. */
export function replayTimelines(policy: PolicyBundle, table: SessionTable): FactsTable {
    const facts = new FactsTable(table.size);
    const trackers = new HistoryTrackers(policy);
    for (const timeline of table.timelines()) {
        const replay = new TimelineReplay(trackers.forPayer(table.payerOf(timeline[0]!)));
        for (let start = 0; start < timeline.length;) {
            const date = table.dateOfSession(timeline[start]!);
            let end = start + 1;
            while (end < timeline.length && table.dateOfSession(timeline[end]!) === date) end++;
            const block = timeline.subarray(start, end);
            replay.addDate(Array.from(block, index => table.replayItem(index))).forEach((fact, k) => facts.set(block[k]!, fact));
            start = end;
        }
    }
    return facts;
}

/** Whether a text is well-formed UTF-16 (no lone surrogate), so UTF-8 holds it as it is. */
function isWellFormed(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0xd800 || c > 0xdfff) continue;
        if (c > 0xdbff || i + 1 >= text.length) return false;
        const next = text.charCodeAt(i + 1);
        if (next < 0xdc00 || next > 0xdfff) return false;
        i++;
    }
    return true;
}
