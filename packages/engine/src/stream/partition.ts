/**
 * The work on the sessions of some patients: one part of a run split by patient. Every part sees
 * every record, takes those of its own patients and does all the work on them itself (reading,
 * the replay of each patient's timeline, checking, report text). Rules across sessions only ever
 * look at one patient's sessions, so a part needs nothing from the others; the coordinator
 * merges the parts' report texts back into input order. Part 0 works in the coordinator's
 * thread, each other in a worker thread (executors.ts).
 *
 * - One pass, for input in date order: a part holds its records until their date ends (the
 *   input moves past it), then reads, replays and checks that date's sessions. An NDJSON line is
 *   held as bytes, off the heap, and a session read from it is let go soon after.
 * - Two passes, for input in any order: the first reads the part's sessions into a compact entry
 *   each (session-table.ts) and replays each patient's timeline into facts; the second reads them
 *   again and checks each against its facts.
 *
 * The patient and date of an NDJSON line are found without parsing it (MemberFinder); a line
 * where they cannot be is parsed by every part to find its owner. What a session turns out to be
 * is checked against what its text said: a difference stops the part (`PartitionStop`), and the
 * run starts over another way.
 */
import type { PolicyBundle } from '../ir/policy.js';
import { HistoryTrackers, replayItem, TimelineReplay, type ReplayItem } from '../evaluate/accrual.js';
import { CompiledPolicy } from '../evaluate/compiled.js';
import { compareIds, sessionEntry, type HistoryEntry, type SessionFacts } from '../evaluate/history.js';
import { PayerDirectory } from '../evaluate/payers.js';
import { UnpricedLines, type UnpricedCount } from '../evaluate/unpriced.js';
import type { EvaluateOptions } from '../rules/context.js';
import { stripBom } from '../sessions/json-text.js';
import type { Session } from '../sessions/session.js';
import { BACKSLASH, NEWLINE, QUOTE, RETURN } from '../util/char-codes.js';
import { isIsoDate } from '../util/dates.js';
import { Admission, type InputRejection } from './admission.js';
import {
    csvSessions, readCsvSession, readNdjsonLine, readRecord, type Chunk, type CsvLayout, type CsvSession, type RecordRead
} from './chunk-records.js';
import { sessionHead } from './codec.js';
import { FactsTable, Int32List, replayTimelines, SessionTable } from './session-table.js';
import { SessionTextWriter } from './session-text.js';

export type PartitionPasses = 'one-pass' | 'two-pass';

/** A chunk of input for the parts, with which input it is from (0-based). */
export type PartitionChunk = Chunk & { input: number };

/** One part's share of a chunk's report: its sessions' texts. */
export interface PartitionPart {
    chunk: number;
    /** Each session's position in its input (in input order, except where a patient's sessions of one date were checked together). */
    records: Int32Array;
    /** Where each session's text ends in `text` (the texts joined with ",\n"). */
    ends: Int32Array;
    text: Uint8Array;
    withFindings: number;
    errors: number;
    warnings: number;
    infos: number;
}

/** Why a part (or the coordinator) cannot go on, and how the run should start over: in two passes, with one part, or read whole. */
export type StopMode = 'two-pass' | 'one-part' | 'memory';

/** Sessions read in the first of two passes, in input order, for the coordinator to admit (it sees every part's). */
export interface Admissions {
    records: number[];
    ids: string[];
    /** The declaration in force on the session's date, or -1 with the reason. */
    policies: number[];
    errors: (string | null)[];
}

/** What a part hands back after a chunk (or at the end of a pass): the parts of chunks it finished, and what the coordinator checks across parts. */
export interface PartitionReply {
    parts: PartitionPart[];
    /** One pass with several parts: ids of the sessions it read (the coordinator looks for one in two parts). */
    ids: string[];
    /** Ids of its CSV sessions, read or rejected (the coordinator looks for one seen again in the same input: rows apart). */
    csvIds: string[];
    admissions: Admissions;
    readerRejections: InputRejection[];
    evaluationRejections: InputRejection[];
    /** At the end of a pass: lines the part's checked sessions counted toward thresholds, by payer id (UnpricedLines). */
    unpriced?: UnpricedCount[];
    stop?: { mode: StopMode; reason: string };
}

/** Thrown where a part or the coordinator finds the run cannot go on as it is (a part hands it back as its reply's `stop`). */
export class PartitionStop extends Error {
    constructor(readonly mode: StopMode, reason: string) {
        super(reason);
    }
}

/** Which of `parts` owns a patient's sessions, from the patient's UTF-8 bytes. */
export function ownerOf(bytes: Uint8Array, start: number, end: number, parts: number): number {
    // Not ASCII: owned as the text it reads as, as the parsed session has it (inputs are checked to be UTF-8 as they are cut).
    for (let i = start; i < end; i++) {
        if (bytes[i]! >= 0x80) return ownerOfText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end), parts);
    }
    return fnv1a(bytes, start, end) % parts;
}

export function ownerOfText(patient: string, parts: number): number {
    const bytes = Buffer.from(patient);
    return fnv1a(bytes, 0, bytes.length) % parts;
}

function fnv1a(bytes: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    return hash >>> 0;
}

const PATIENT = Buffer.from('"patient":"');
const DATE = Buffer.from('"date":"');

/**
 * Finds the first `"key":"value"` in each line of a chunk's bytes, without decoding them: where
 * its value starts and ends, unless the line has none or the value has an escape. It is the
 * record's own member nearly always; when it is not (a nested member of that name first, an
 * escaped name), the session read from the line has another value, and the part that reads it
 * (the one this value chose) stops: the run starts over with one part, in two passes (where
 * sessions are grouped by what they are, not by their text).
 */
class MemberFinder {
    /** Where the key is next found at or after the line last asked about. */
    private next = -1;
    start = -1;
    end = -1;

    constructor(private readonly bytes: Buffer, private readonly key: Buffer) {}

    find(lineStart: number, lineEnd: number): boolean {
        if (this.next < lineStart) {
            const at = this.bytes.indexOf(this.key, lineStart);
            this.next = at < 0 ? this.bytes.length : at;
        }
        if (this.next >= lineEnd) return false;
        const start = this.next + this.key.length;
        const end = this.bytes.indexOf(QUOTE, start);
        if (end < 0 || end > lineEnd) return false;
        for (let i = start; i < end; i++) if (this.bytes[i] === BACKSLASH) return false;
        this.start = start;
        this.end = end;
        return true;
    }
}

/** Where a record of this part is read from: an NDJSON line's bytes, a record already parsed, or a CSV session's rows. */
type Source =
    | { bytes: Buffer; start: number; end: number }
    | { raw: unknown }
    | { csv: CsvSession; layout: CsvLayout };

/** A record this part owns. */
interface OwnRecord {
    text: ChunkText;
    input: number;
    record: number;
    /** The patient its owner was chosen by (undefined for a record without one, rejected when read). */
    patient: string | undefined;
    /** Whether the patient was taken from the text (not from the record parsed): the session is checked against it. */
    found: boolean;
    source: Source;
}

/** A session admitted and waiting for the rest of its patient's sessions that date. */
interface Admitted {
    record: OwnRecord;
    session: Session;
    entry: HistoryEntry;
    item: ReplayItem;
}

/** What this part has of a chunk's report so far. */
interface ChunkText {
    id: number;
    writer: SessionTextWriter | undefined;
    records: number[];
    ends: number[];
    /** Records of this part in the chunk not yet checked or rejected, and whether every record of the chunk is taken. */
    unfinished: number;
    taken: boolean;
    withFindings: number;
    errors: number;
    warnings: number;
    infos: number;
}

/** Chunks a date may span before the one pass gives up on it. */
const MAX_OPEN_CHUNKS = 64;

export class PartitionProcessor {
    private readonly compiled: CompiledPolicy;
    private readonly unpriced: UnpricedLines;
    private readonly payers: PayerDirectory;
    private readonly trackers: HistoryTrackers;
    private readonly admission: Admission;
    /** Each patient's timeline replay for the payer id first met with them (one pass). */
    private readonly replays = new Map<string, TimelineReplay>();
    /** The replays of a patient's other payer ids, by patient and payer id (a patient nearly always has one: one map lookup for most sessions). */
    private readonly otherReplays = new Map<string, Map<string, TimelineReplay>>();
    /** Records of the current date, in input order, and how many each patient has among them (one pass). */
    private pending: OwnRecord[] = [];
    private perPatient = new Map<string | undefined, number>();
    private currentDate = '';
    /**
     * Two passes: which pass; the first's sessions (`table`) and their declarations; for each own
     * record its session's index in the table (-1: rejected); for each session reported for
     * admission, which own record it is; then the facts of the sessions in the table.
     */
    private pass: 1 | 2 = 1;
    private table: SessionTable | undefined = new SessionTable();
    private readonly policies = new Int32List();
    private readonly decisions = new Int32List();
    private readonly reported = new Int32List();
    private facts: FactsTable | undefined;
    private decided = 0;
    /** Chunks whose part is not handed back yet, in order; text writers to reuse. */
    private readonly texts: ChunkText[] = [];
    private readonly writers: SessionTextWriter[] = [];
    private reply: PartitionReply = emptyReply();

    constructor(private readonly bundle: PolicyBundle, private readonly options: EvaluateOptions, names: readonly (string | undefined)[],
        private readonly part: number, private readonly parts: number, private readonly passes: PartitionPasses) {
        this.compiled = new CompiledPolicy(bundle);
        this.payers = new PayerDirectory(bundle);
        this.trackers = new HistoryTrackers(bundle);
        this.admission = new Admission(names);
        this.unpriced = new UnpricedLines(bundle);
    }

    /** Takes this part's records of a chunk; hands back the parts finished meanwhile. */
    chunk(chunk: PartitionChunk): PartitionReply {
        return this.guarded(() => {
            // The first of two passes writes nothing.
            const writing = this.passes === 'one-pass' || this.pass === 2;
            const text: ChunkText = {
                id: chunk.id, writer: undefined, records: [], ends: [], unfinished: 0, taken: false, withFindings: 0, errors: 0, warnings: 0, infos: 0
            };
            if (writing) this.texts.push(text);
            this.admission.startInput(chunk.input);
            const lastDate = chunk.format === 'ndjson' ? this.takeLines(chunk, text) : chunk.format === 'csv' ? this.takeCsv(chunk, text) : this.takeValues(chunk, text);
            text.taken = true;
            this.reached(lastDate);
            if (this.pending.length > 0 && chunk.id - this.pending[0]!.text.id >= MAX_OPEN_CHUNKS) {
                throw new PartitionStop('two-pass', 'one date spans too much of the input');
            }
            this.handBack();
        });
    }

    /**
     * The end of a pass over the input. After the first of two, `excluded` lists the sessions the
     * coordinator did not admit (duplicates of an id another part read first), by their place
     * among those this part reported; then each patient's timeline is replayed.
     */
    end(excluded: readonly number[] = []): PartitionReply {
        return this.guarded(() => {
            if (this.passes === 'one-pass') this.endDate();
            else if (this.pass === 1) {
                for (const k of excluded) {
                    const decision = this.reported.get(k);
                    this.table!.exclude(this.decisions.get(decision));
                    this.decisions.set(decision, -1);
                }
                this.facts = replayTimelines(this.bundle, this.table!);
                this.table = undefined;
                this.pass = 2;
            }
            this.handBack();
            this.reply.unpriced = this.unpriced.take();
        });
    }

    private guarded(work: () => void): PartitionReply {
        try {
            work();
        } catch (error) {
            if (!(error instanceof PartitionStop)) throw error;
            this.reply.stop = { mode: error.mode, reason: error.message };
        }
        // Rejections are few: handed back as they come.
        this.reply.readerRejections.push(...this.admission.readerRejections.splice(0));
        this.reply.evaluationRejections.push(...this.admission.evaluationRejections.splice(0));
        const reply = this.reply;
        this.reply = emptyReply();
        return reply;
    }

    /**
     * One pass: the input has reached `date`, the date its text gives the last record of a chunk,
     * whoever's: this part's records of earlier dates are all taken (a part with no record for a
     * while would otherwise hold its last date open). A later record of an earlier date is out of
     * order, as it would be with one part.
     */
    private reached(date: string | undefined): void {
        if (this.passes !== 'one-pass' || date === undefined || date <= this.currentDate || !isIsoDate(date)) return;
        this.endDate();
        this.currentDate = date;
    }

    /** NDJSON: each line's patient and date found in its bytes, or the line parsed when they cannot be. Returns the last line's date (in its text). */
    private takeLines(chunk: PartitionChunk, text: ChunkText): string | undefined {
        let bytes = chunkBytes(chunk);
        // Line breaks other than \n (readline's \r\n and lone \r) made \n, so lines are found as bytes.
        if (bytes.indexOf(RETURN) >= 0) bytes = Buffer.from(bytes.toString('utf8').replace(/\r\n?/g, '\n'));
        const patients = new MemberFinder(bytes, PATIENT);
        const dates = new MemberFinder(bytes, DATE);
        for (let start = 0, record = chunk.first; start < bytes.length; record++) {
            let end = bytes.indexOf(NEWLINE, start);
            if (end < 0) end = bytes.length;
            const source = { bytes, start, end };
            if (patients.find(start, end)) {
                if (this.parts === 1 || ownerOf(bytes, patients.start, patients.end, this.parts) === this.part) {
                    const patient = bytes.toString('utf8', patients.start, patients.end);
                    let date: string;
                    if (!dates.find(start, end)) date = dateOf(parsedOrUndefined(lineText(source, record)));
                    else if (sameText(bytes, dates.start, dates.end, this.currentDate)) date = this.currentDate;
                    else date = bytes.toString('latin1', dates.start, dates.end);
                    this.take({ text, input: chunk.input, record, patient, found: true, source }, date);
                }
            } else {
                const line = lineText(source, record);
                if (line !== '') {
                    const raw = parsedOrUndefined(line);
                    this.takeParsed(text, chunk.input, record, raw?.patient, raw?.date, source);
                }
            }
            start = end + 1;
        }
        const last = bytes.lastIndexOf(NEWLINE, bytes.length - 2) + 1;
        return dates.find(last, bytes.length) ? bytes.toString('latin1', dates.start, dates.end) : undefined;
    }

    /** CSV: a session's patient and date are the first of their cells in its rows. Returns the last session's date. */
    private takeCsv(chunk: PartitionChunk, text: ChunkText): string | undefined {
        const bytes = chunkBytes(chunk);
        const wanted = (patient: string | undefined, row: number) => this.owns(patient, row);
        const read = csvSessions(bytes, chunk.first, chunk.csv!, wanted);
        if (read.irregular) throw new PartitionStop('memory', read.irregular);
        if (this.pass === 1) for (const rejection of read.rejected) this.admission.rejectRecord(rejection);
        for (const session of read.sessions) {
            // The coordinator finds a session seen before in this input: its rows are apart.
            if (this.pass === 1) this.reply.csvIds.push(session.id);
            this.take({ text, input: chunk.input, record: session.first, patient: session.patient, found: true, source: { csv: session, layout: chunk.csv! } }, session.date ?? '');
        }
        return read.lastDate;
    }

    /** JSON: each element is a record already parsed. Returns the last one's date. */
    private takeValues(chunk: PartitionChunk, text: ChunkText): string | undefined {
        let date: unknown;
        (chunk.values ?? []).forEach((raw, index) => {
            const record = raw !== null && typeof raw === 'object' ? raw as { patient?: unknown; date?: unknown } : undefined;
            this.takeParsed(text, chunk.input, chunk.first + index, record?.patient, record?.date, { raw });
            date = record?.date;
        });
        return typeof date === 'string' ? date : undefined;
    }

    /** A record whose patient and date were read from it. */
    private takeParsed(text: ChunkText, input: number, record: number, patient: unknown, date: unknown, source: Source): void {
        const named = typeof patient === 'string' ? patient : undefined;
        if (!this.owns(named, record)) return;
        this.take({ text, input, record, patient: named, found: false, source }, typeof date === 'string' ? date : '');
    }

    /** Whether this part owns a record read from its text: by its patient, or (without one, to be rejected) by its position. */
    private owns(patient: string | undefined, record: number): boolean {
        return (patient ? ownerOfText(patient, this.parts) : record % this.parts) === this.part;
    }

    /** A record of this part: held until its date ends (one pass), or read now (two passes). */
    private take(own: OwnRecord, date: string): void {
        own.text.unfinished++;
        if (this.passes === 'two-pass') {
            if (this.pass === 1) this.index(own);
            else this.checkAgain(own);
            return;
        }
        // A date that is no day (February 30) moves nothing: its session is rejected when read.
        if (date !== this.currentDate && isIsoDate(date)) {
            if (date < this.currentDate) throw new PartitionStop('two-pass', 'the input is not in date order');
            this.endDate();
            this.currentDate = date;
        }
        this.pending.push(own);
        this.perPatient.set(own.patient, (this.perPatient.get(own.patient) ?? 0) + 1);
    }

    /**
     * One pass: the current date has ended. Its sessions are read and admitted in input order,
     * and each patient's checked once the last of them is read (at once, nearly always), so a
     * parsed session is let go soon after it is made.
     */
    private endDate(): void {
        const records = this.pending;
        const perPatient = this.perPatient;
        this.pending = [];
        this.perPatient = new Map();
        const waiting = new Map<string | undefined, Admitted[]>();
        for (const own of records) {
            const admitted = this.admit(own, this.currentDate);
            const left = perPatient.get(own.patient)! - 1;
            perPatient.set(own.patient, left);
            if (left === 0 && !waiting.has(own.patient)) {
                // The patient's only session that date (or none admitted).
                if (admitted) this.checkDay([admitted]);
                else this.finish(own.text);
                continue;
            }
            let day = waiting.get(own.patient);
            if (!day) waiting.set(own.patient, (day = []));
            if (admitted) day.push(admitted);
            else this.finish(own.text);
            if (left === 0) {
                waiting.delete(own.patient);
                if (day.length > 0) this.checkDay(day);
            }
        }
    }

    /** Reads a record and admits its session (`date`: the date the one pass took it under), or records why it is rejected. */
    private admit(own: OwnRecord, date: string): Admitted | undefined {
        const session = this.read(own);
        if (!session) return undefined;
        if (session.date !== date) throw new PartitionStop('two-pass', `the date of record ${own.record} is not the first in its text`);
        const choice = this.payers.select(session.payer, session.date);
        // With other parts, one of which may read the same id (another patient's).
        if (this.parts > 1) this.reply.ids.push(session.id);
        const policy = this.admission.admit(own.record, session.id, choice.ok ? choice.index : -1, choice.ok ? null : choice.error);
        if (policy < 0) return undefined;
        const entry = sessionEntry(session, policy);
        return { record: own, session, entry, item: replayItem(this.bundle, this.trackers.forPayer(session.payer), entry) };
    }

    /** Reads a record's session, or records why it is rejected. */
    private read(own: OwnRecord): Session | undefined {
        this.admission.startInput(own.input);
        const read = readOwn(own);
        if (!read.ok) {
            this.admission.rejectRecord(read.rejection);
            return undefined;
        }
        // The part that reads a record is the one its patient's text chose, and one pass groups a date's records by it: two
        // passes with one part group sessions by what they are.
        if (own.found && read.session.patient !== own.patient && (this.parts > 1 || this.passes === 'one-pass')) {
            throw new PartitionStop(this.parts > 1 ? 'one-part' : 'two-pass', `the patient of record ${own.record} is not the first in its text`);
        }
        return read.session;
    }

    /** One pass: one patient's admitted sessions of the date (in input order), replayed by payer, then checked. */
    private checkDay(day: Admitted[]): void {
        if (day.length === 1) {
            const only = day[0]!;
            this.check(only.record, only.session, only.entry, this.replayOf(only.session).addDate([only.item])[0]!);
            return;
        }
        const facts = new Map<Admitted, SessionFacts>();
        for (const payer of new Set(day.map(admitted => admitted.session.payer))) {
            const block = day.filter(admitted => admitted.session.payer === payer).sort((a, b) => compareIds(a.item.id, b.item.id));
            this.replayOf(block[0]!.session).addDate(block.map(admitted => admitted.item)).forEach((fact, k) => facts.set(block[k]!, fact));
        }
        for (const admitted of day) this.check(admitted.record, admitted.session, admitted.entry, facts.get(admitted)!);
    }

    /** The replay of the session's patient's timeline with its payer. */
    private replayOf(session: Session): TimelineReplay {
        const first = this.replays.get(session.patient);
        if (first?.payerId === session.payer) return first;
        if (!first) {
            const replay = new TimelineReplay(this.trackers.forPayer(session.payer));
            this.replays.set(session.patient, replay);
            return replay;
        }
        let byPayer = this.otherReplays.get(session.patient);
        if (!byPayer) this.otherReplays.set(session.patient, (byPayer = new Map()));
        let replay = byPayer.get(session.payer);
        if (!replay) byPayer.set(session.payer, (replay = new TimelineReplay(this.trackers.forPayer(session.payer))));
        return replay;
    }

    /** First of two passes: the session read into the table and reported for admission, or the record rejected. */
    private index(own: OwnRecord): void {
        this.finish(own.text);
        const session = this.read(own);
        const choice = session ? this.payers.select(session.payer, session.date) : undefined;
        if (session && choice) {
            const admissions = this.reply.admissions;
            admissions.records.push(own.record);
            admissions.ids.push(session.id);
            admissions.policies.push(choice.ok ? choice.index : -1);
            admissions.errors.push(choice.ok ? null : choice.error);
            this.reported.push(this.decisions.length);
        }
        if (!session || !choice?.ok) {
            this.decisions.push(-1);
            return;
        }
        const entry = sessionEntry(session, choice.index);
        const index = this.table!.add(sessionHead(session, choice.index, this.trackers.forPayer(session.payer).countsOf(this.bundle, entry)));
        this.policies.push(choice.index);
        this.decisions.push(index);
    }

    /** Second of two passes: the session read again and checked against its facts. */
    private checkAgain(own: OwnRecord): void {
        const index = this.decisions.get(this.decided++);
        if (index < 0) {
            this.finish(own.text);
            return;
        }
        const read = readOwn(own);
        if (!read.ok) throw new Error(`record ${own.record} was read in the first pass and cannot be now`);
        this.check(own, read.session, sessionEntry(read.session, this.policies.get(index)), this.facts!.get(index));
    }

    private check(own: OwnRecord, session: Session, entry: HistoryEntry, facts: SessionFacts): void {
        const text = own.text;
        const result = this.compiled.fields(session, entry, facts, this.options);
        this.unpriced.add(entry);
        if (result.findings.length > 0) text.withFindings++;
        for (const finding of result.findings) {
            if (finding.severity === 'error') text.errors++;
            else if (finding.severity === 'warning') text.warnings++;
            else text.infos++;
        }
        text.writer ??= this.writers.pop() ?? new SessionTextWriter();
        text.writer.add(result);
        text.records.push(own.record);
        text.ends.push(text.writer.size);
        this.finish(text);
    }

    private finish(text: ChunkText): void {
        text.unfinished--;
    }

    /** Hands back the parts of the chunks at the front that are done: every record taken, and checked or rejected. */
    private handBack(): void {
        while (this.texts.length > 0 && this.texts[0]!.taken && this.texts[0]!.unfinished === 0) {
            const text = this.texts.shift()!;
            this.reply.parts.push({
                chunk: text.id, records: Int32Array.from(text.records), ends: Int32Array.from(text.ends),
                text: text.writer ? text.writer.take() : new Uint8Array(0),
                withFindings: text.withFindings, errors: text.errors, warnings: text.warnings, infos: text.infos
            });
            if (text.writer) this.writers.push(text.writer);
        }
    }
}

function emptyReply(): PartitionReply {
    return { parts: [], ids: [], csvIds: [], admissions: { records: [], ids: [], policies: [], errors: [] }, readerRejections: [], evaluationRejections: [] };
}

function chunkBytes(chunk: Chunk): Buffer {
    const data = chunk.text ?? new Uint8Array(0);
    return typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function readOwn(own: OwnRecord): RecordRead {
    const source = own.source;
    if ('bytes' in source) return readNdjsonLine(lineText(source, own.record), own.record);
    if ('csv' in source) {
        const read = readCsvSession(source.csv, source.layout);
        if ('irregular' in read) throw new PartitionStop('memory', read.irregular);
        return read;
    }
    return readRecord(source.raw, own.record);
}

/** A line's text as the readers take it (trimmed, without a byte order mark on line 1). */
function lineText(line: { bytes: Buffer; start: number; end: number }, record: number): string {
    const text = line.bytes.toString('utf8', line.start, line.end);
    return (record === 1 ? stripBom(text) : text).trim();
}

/** Whether bytes [start, end) are the ASCII text `text`. */
function sameText(bytes: Uint8Array, start: number, end: number, text: string): boolean {
    if (end - start !== text.length) return false;
    for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
    return true;
}

function dateOf(raw: { date?: unknown } | undefined): string {
    return typeof raw?.date === 'string' ? raw.date : '';
}

function parsedOrUndefined(line: string): { patient?: unknown; date?: unknown } | undefined {
    try {
        const raw: unknown = JSON.parse(line);
        return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw as { patient?: unknown; date?: unknown } : undefined;
    } catch {
        return undefined;
    }
}
