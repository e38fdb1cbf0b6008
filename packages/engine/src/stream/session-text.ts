/**
 * Sessions' results as report text, written directly as UTF-8 bytes into one buffer: exactly what
 * JSON.stringify gives for each SessionResult at its place in the report (four spaces in, two per
 * level, ",\n" between sessions), without a string per session or the per-code records
 * JSON.stringify would read. Codes such as "97530" are array indices to JavaScript, which puts
 * them first, in numeric order, in any object: the text does the same. The engine's findings
 * (EngineFinding) are written by their known keys, and the end of a rule's findings (citation
 * and source) is kept as bytes. stream-units.test.ts compares the text with JSON.stringify on
 * results of every shape.
 */
import { EngineFinding, type Finding, type SessionResult } from '../report/report.js';
import type { SourceLocation } from '../ir/policy.js';

/** A session's result (report.ts) with its per-code numbers as maps, as the evaluation makes them. */
export type SessionFields = Omit<SessionResult, 'units' | 'billed' | 'findings'> & {
    units: ReadonlyMap<string, number>;
    billed: ReadonlyMap<string, number>;
    findings: readonly Finding[];
};

/** The fixed pieces of the text, as bytes once. */
const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const SEPARATOR = ascii(',\n');
/** A session's indentation in the report's list of sessions. */
const LEAD = ascii('    ');
const COMMA = ascii(',');
const COLON = ascii(': ');
const NULL = ascii('null');
const TRUE = ascii('true');
const FALSE = ascii('false');
const LIST_OPEN = ascii('[');
const LIST_CLOSE = ascii(']');
const EMPTY_LIST = ascii('[]');
const OBJECT_OPEN = ascii('{');
const OBJECT_CLOSE = ascii('}');
const EMPTY_OBJECT = ascii('{}');
/** A line break and the indentation of each depth, as JSON.stringify(value, null, 2) writes them. */
const INDENTS = Array.from({ length: 16 }, (_, depth) => ascii(`\n${'  '.repeat(depth)}`));

/** The depth of a session in the report (report, sessions, session), and of its properties' values one deeper. */
const SESSION_DEPTH = 2;
const VALUE_DEPTH = SESSION_DEPTH + 1;

/** A session's text properties before its per-code numbers, in the report's order (an absent policy is left out, as JSON leaves out undefined). */
const TEXT_FIELDS = ['id', 'patient', 'date', 'payer', 'policy', 'status'] as const;

/** The start of a member at `depth`: `{` (the first) or `,`, the line break and indentation, the key and the colon, as bytes once. */
const memberHeads = (key: string, depth: number) => ({
    first: ascii(`{\n${'  '.repeat(depth)}${JSON.stringify(key)}: `),
    next: ascii(`,\n${'  '.repeat(depth)}${JSON.stringify(key)}: `)
});
type MemberHead = ReturnType<typeof memberHeads>;
/** A session has nine members. */
const SESSION_HEADS = TEXT_FIELDS.map(key => memberHeads(key, VALUE_DEPTH));
const UNITS_HEAD = memberHeads('units', VALUE_DEPTH).next;
const BILLED_HEAD = memberHeads('billed', VALUE_DEPTH).next;
const FINDINGS_HEAD = memberHeads('findings', VALUE_DEPTH).next;

/** A finding's depth in the report (an item of a session's findings), and its members' one deeper. */
const FINDING_DEPTH = VALUE_DEPTH + 1;
const FINDING_VALUE_DEPTH = FINDING_DEPTH + 1;
/** A finding's members, EngineFinding's keys in its order. */
const findingHead = (key: keyof Finding): MemberHead => memberHeads(key, FINDING_VALUE_DEPTH);
const RULE_HEAD = findingHead('rule');
const SEVERITY_HEAD = findingHead('severity');
const MESSAGE_HEAD = findingHead('message');
const LINE_HEAD = findingHead('line');
const CODE_HEAD = findingHead('code');
const EXPLAIN_HEAD = findingHead('explain');
const FIX_HEAD = findingHead('fix');
const CITATION_HEAD = findingHead('citation');
const SOURCE_HEAD = findingHead('source');

/** A piece of text longer than this is copied whole rather than byte by byte. */
const LONG_PIECE = 48;

export class SessionTextWriter {
    private bytes = Buffer.allocUnsafeSlow(1 << 16);
    private at = 0;
    private count = 0;
    /** Scratch for record(): a map's array-index keys and their values, in numeric order. */
    private readonly indexKeys: string[] = [];
    private readonly indexValues: number[] = [];
    /**
     * The end of the findings of a rule, from its citation (when it has one) to the closing brace,
     * by the rule's source location: the same for every finding of the rule. The policy's
     * locations and citations do not change during a run.
     */
    private readonly ruleTails = new WeakMap<SourceLocation, { citation: unknown; bytes: Uint8Array }>();

    /** Appends a session's text (after ",\n" unless it is the first since take()). */
    add(session: SessionFields): void {
        if (this.count++ > 0) this.put(SEPARATOR);
        this.put(LEAD);
        let first = true;
        for (let i = 0; i < TEXT_FIELDS.length; i++) {
            const value = session[TEXT_FIELDS[i]!];
            if (value === undefined) continue;
            this.put(first ? SESSION_HEADS[i]!.first : SESSION_HEADS[i]!.next);
            first = false;
            this.quoted(value);
        }
        this.put(UNITS_HEAD);
        const unitsStart = this.at;
        this.record(session.units);
        const unitsEnd = this.at;
        this.put(BILLED_HEAD);
        // Billed as supported (most sessions): the same text again.
        if (sameEntries(session.units, session.billed)) this.copy(unitsStart, unitsEnd);
        else this.record(session.billed);
        this.put(FINDINGS_HEAD);
        this.list(session.findings, VALUE_DEPTH);
        this.close(SESSION_DEPTH);
    }

    /** How many bytes are written since the last take() or reset(). */
    get size(): number {
        return this.at;
    }

    /** The bytes written since the last take() or reset(), in a buffer of their own (one that can be moved to another thread). */
    take(): Uint8Array {
        const taken = Buffer.allocUnsafeSlow(this.at);
        this.bytes.copy(taken, 0, 0, this.at);
        this.reset();
        return taken;
    }

    /** Forgets what was written since the last take() (a chunk whose checking failed half-way). */
    reset(): void {
        this.at = 0;
        this.count = 0;
    }

    private room(size: number): void {
        if (this.at + size <= this.bytes.length) return;
        const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.at + size));
        this.bytes.copy(grown, 0, 0, this.at);
        this.bytes = grown;
    }

    private put(piece: Uint8Array): void {
        this.room(piece.length);
        const bytes = this.bytes;
        let at = this.at;
        if (piece.length > LONG_PIECE) {
            bytes.set(piece, at);
            this.at = at + piece.length;
            return;
        }
        for (let i = 0; i < piece.length; i++) bytes[at++] = piece[i]!;
        this.at = at;
    }

    /** Writes again the bytes written from `start` to `end`. */
    private copy(start: number, end: number): void {
        this.room(end - start);
        this.bytes.copyWithin(this.at, start, end);
        this.at += end - start;
    }

    /** The bytes written since `start`, in a buffer of their own. */
    private since(start: number): Uint8Array {
        return Uint8Array.prototype.slice.call(this.bytes, start, this.at);
    }

    /** Any text, as UTF-8. */
    private text(text: string): void {
        this.room(text.length * 3);
        this.at += this.bytes.write(text, this.at, 'utf8');
    }

    /** A string as JSON: printable ASCII without quote or backslash is written as it is (ids, codes, dates), anything else as JSON.stringify writes it. */
    private quoted(value: string): void {
        const length = value.length;
        this.room(length + 2);
        const bytes = this.bytes;
        const start = this.at;
        let at = start;
        bytes[at++] = 34;
        for (let i = 0; i < length; i++) {
            const c = value.charCodeAt(i);
            if (c < 32 || c > 126 || c === 34 || c === 92) {
                this.at = start;
                this.text(JSON.stringify(value));
                return;
            }
            bytes[at++] = c;
        }
        bytes[at++] = 34;
        this.at = at;
    }

    /**
     * Plain data (what findings are made of: strings, numbers, lists and plain objects) as
     * JSON.stringify(value, null, 2) writes it at `depth`: keys in their own order, undefined left
     * out of objects and null in lists. Not for objects with toJSON (dates) or boxed values.
     */
    private json(value: unknown, depth: number): void {
        if (typeof value === 'string') this.quoted(value);
        else if (typeof value === 'number') this.number(value);
        else if (typeof value === 'boolean') this.put(value ? TRUE : FALSE);
        else if (value === null || typeof value !== 'object') this.put(NULL);
        else if (Array.isArray(value)) this.list(value, depth);
        // A session's findings: the engine's by their known keys.
        else if (depth === FINDING_DEPTH && value instanceof EngineFinding) this.engineFinding(value);
        else this.object(value as Record<string, unknown>, depth);
    }

    /** What object() writes for a session's finding, its keys taken in EngineFinding's order without asking for them. */
    private engineFinding(finding: EngineFinding): void {
        let first = this.findingMember(RULE_HEAD, finding.rule, true);
        first = this.findingMember(SEVERITY_HEAD, finding.severity, first);
        first = this.findingMember(MESSAGE_HEAD, finding.message, first);
        first = this.findingMember(LINE_HEAD, finding.line, first);
        first = this.findingMember(CODE_HEAD, finding.code, first);
        first = this.findingMember(EXPLAIN_HEAD, finding.explain, first);
        first = this.findingMember(FIX_HEAD, finding.fix, first);
        // The rest (citation, source, closing brace) is the same for every finding of a rule: kept by its location.
        const source = finding.source;
        const keptBy = !first && typeof source === 'object' && source !== null ? source : undefined;
        const kept = keptBy && this.ruleTails.get(keptBy);
        if (kept && kept.citation === finding.citation) {
            this.put(kept.bytes);
            return;
        }
        const start = this.at;
        first = this.findingMember(CITATION_HEAD, finding.citation, first);
        first = this.findingMember(SOURCE_HEAD, source, first);
        if (first) this.put(EMPTY_OBJECT);
        else this.close(FINDING_DEPTH);
        if (keptBy) this.ruleTails.set(keptBy, { citation: finding.citation, bytes: this.since(start) });
    }

    /** A member of a finding unless JSON leaves its value out; returns whether the finding still has none. */
    private findingMember(head: MemberHead, value: unknown, first: boolean): boolean {
        if (isOmitted(value)) return first;
        this.put(first ? head.first : head.next);
        this.json(value, FINDING_VALUE_DEPTH);
        return false;
    }

    private list(items: readonly unknown[], depth: number): void {
        if (items.length === 0) {
            this.put(EMPTY_LIST);
            return;
        }
        this.put(LIST_OPEN);
        for (let i = 0; i < items.length; i++) {
            if (i > 0) this.put(COMMA);
            this.indent(depth + 1);
            const item = items[i];
            if (isOmitted(item)) this.put(NULL);
            else this.json(item, depth + 1);
        }
        this.indent(depth);
        this.put(LIST_CLOSE);
    }

    private object(value: Record<string, unknown>, depth: number): void {
        let empty = true;
        for (const key of Object.keys(value)) {
            const item = value[key];
            if (isOmitted(item)) continue;
            this.member(key, empty, depth);
            empty = false;
            this.json(item, depth + 1);
        }
        if (empty) this.put(EMPTY_OBJECT);
        else this.close(depth);
    }

    /** The start of an object's member at `depth`: `{` (the first) or `,`, a new line, the key. */
    private member(key: string, first: boolean, depth: number): void {
        this.put(first ? OBJECT_OPEN : COMMA);
        this.indent(depth + 1);
        this.quoted(key);
        this.put(COLON);
    }

    /** The end of an object with members, at `depth`. */
    private close(depth: number): void {
        this.indent(depth);
        this.put(OBJECT_CLOSE);
    }

    private indent(depth: number): void {
        if (depth < INDENTS.length) this.put(INDENTS[depth]!);
        else this.text(`\n${'  '.repeat(depth)}`);
    }

    private number(value: number): void {
        // Units and counts, nearly every number of a report: their digits, without a string.
        if (value >= 0 && value < 1e9 && Number.isInteger(value)) this.digits(value);
        else if (Number.isFinite(value)) this.text(String(value));
        else this.put(NULL);
    }

    /** A whole number from 0 to 999,999,999, as String() writes it (-0 as 0, as String(-0)). */
    private digits(value: number): void {
        let size = 1;
        for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) size++;
        this.room(size);
        const bytes = this.bytes;
        let at = this.at + size;
        this.at = at;
        do {
            bytes[--at] = 48 + (value % 10);
            value = Math.floor(value / 10);
        } while (value > 0);
    }

    /**
     * A map of code to number as the object JSON.stringify would print, as a session's property:
     * array-index keys first in numeric order, then the others in insertion order. Written without
     * allocating when there are a handful of codes (the usual session): this runs for every one.
     */
    private record(map: ReadonlyMap<string, number>): void {
        if (map.size === 0) {
            this.put(EMPTY_OBJECT);
            return;
        }
        let first = true;
        if (map.size > 8) {
            for (const key of orderedKeys(map)) {
                this.member(key, first, VALUE_DEPTH);
                first = false;
                this.number(map.get(key)!);
            }
        } else {
            // The array-index keys in numeric order (an insertion sort of a handful), then the others as inserted.
            const keys = this.indexKeys;
            const values = this.indexValues;
            let count = 0;
            for (const key of map.keys()) {
                if (!isArrayIndex(key)) continue;
                const value = Number(key);
                let at = count++;
                for (; at > 0 && values[at - 1]! > value; at--) {
                    keys[at] = keys[at - 1]!;
                    values[at] = values[at - 1]!;
                }
                keys[at] = key;
                values[at] = value;
            }
            for (let i = 0; i < count; i++) {
                this.member(keys[i]!, first, VALUE_DEPTH);
                first = false;
                this.number(map.get(keys[i]!)!);
            }
            if (count < map.size) {
                for (const [key, value] of map) {
                    if (isArrayIndex(key)) continue;
                    this.member(key, first, VALUE_DEPTH);
                    first = false;
                    this.number(value);
                }
            }
        }
        this.close(VALUE_DEPTH);
    }
}

/** A session's text on its own (tests and one-off uses; runs write many with one SessionTextWriter). */
export function sessionText(session: SessionFields): string {
    const writer = new SessionTextWriter();
    writer.add(session);
    return Buffer.from(writer.take()).toString('utf8');
}

/** Whether two maps have the same keys and values in the same order (so the same text). */
function sameEntries(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
    if (a.size !== b.size) return false;
    const others = b.entries();
    for (const [key, value] of a) {
        const [otherKey, otherValue] = others.next().value!;
        if (key !== otherKey || !Object.is(value, otherValue)) return false;
    }
    return true;
}

/** What JSON.stringify leaves out of an object (and writes as null in a list). */
function isOmitted(value: unknown): boolean {
    return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** A map's keys in the order JavaScript gives an object's: array indices in numeric order, then the rest as inserted. */
function orderedKeys(map: ReadonlyMap<string, number>): string[] {
    const indices: string[] = [];
    const names: string[] = [];
    for (const key of map.keys()) (isArrayIndex(key) ? indices : names).push(key);
    indices.sort((a, b) => Number(a) - Number(b));
    return [...indices, ...names];
}

/** "0", "17", "97530": canonical decimal integers below 2^32 - 1, which JavaScript orders first. */
function isArrayIndex(key: string): boolean {
    const length = key.length;
    if (length === 0 || length > 10) return false;
    const first = key.charCodeAt(0);
    if (first === 48) return length === 1;
    for (let i = 0; i < length; i++) {
        const c = key.charCodeAt(i);
        if (c < 48 || c > 57) return false;
    }
    return Number(key) < 4294967295;
}
