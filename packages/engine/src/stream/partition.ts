/**
 * One pass over date-ordered NDJSON with the work split by patient: every thread sees every
 * line, takes those of its own patients, and does all the work on them itself (reading, the
 * replay of each patient's timeline, checking, report text). Rules across sessions only ever
 * look at one patient's sessions, so a thread needs nothing from the others; the coordinator
 * merges the threads' report texts back into input order.
 *
 * A thread holds a line as text until its date ends (the input moves past it), then reads,
 * replays and checks that date's sessions at once: parsed sessions live a moment, not for as long
 * as the date spans the input, so they die young instead of filling the old generation.
 *
 * The patient and date of a line are found without parsing it (firstMember); a line where they
 * cannot be is parsed by every thread to find its owner. What a session turns out to be is
 * checked against what its line said: a difference stops the pass (`PartitionStop`), and the run
 * starts over another way.
 */
import type { PolicyBundle } from '../ir/policy.js';
import { HistoryTrackers, replayItem, TimelineReplay, type ReplayItem } from '../evaluate/accrual.js';
import { CompiledPolicy } from '../evaluate/compiled.js';
import { sessionEntry, compareIds, type HistoryEntry, type SessionFacts } from '../evaluate/history.js';
import { PayerDirectory } from '../evaluate/payers.js';
import type { EvaluateOptions } from '../rules/context.js';
import type { Rejection, Session } from '../sessions/session.js';
import { stripBom } from '../sessions/json-text.js';
import { isIsoDate } from '../util/dates.js';
import { Admission } from './admission.js';
import { readNdjsonLine } from './processor.js';
import { SessionTextWriter } from './session-text.js';

/** A chunk of NDJSON for the partitioned pass: its text and where it is. */
export interface PartitionChunk {
    id: number;
    /** Which input it is from (0-based), and the line number of its first line. */
    input: number;
    first: number;
    text: Uint8Array;
}

/** One thread's share of a chunk's report: its sessions' texts, in input order. */
export interface PartitionPart {
    chunk: number;
    /** Each session's line number. */
    records: Int32Array;
    /** Where each session's text ends in `text` (the texts joined with ",\n"). */
    ends: Int32Array;
    text: Uint8Array;
    withFindings: number;
    errors: number;
    warnings: number;
    infos: number;
}

/** What a thread hands back after a chunk (or at the end): the parts it finished, and what the coordinator checks across threads. */
export interface PartitionReply {
    parts: PartitionPart[];
    /** Ids of the sessions it admitted or rejected as a duplicate (the coordinator checks no id is in two threads). */
    ids: string[];
    readerRejections: Rejection[];
    evaluationRejections: Rejection[];
    /** Set when this way cannot go on; the run starts over (two passes, or chunks spread over the threads). */
    stop?: { mode: 'two-pass' | 'chunks'; reason: string };
}

export class PartitionStop extends Error {
    constructor(readonly mode: 'two-pass' | 'chunks', reason: string) {
        super(reason);
    }
}

/** A line of a chunk: where it is in the chunk's bytes (kept off the heap until the line is read). */
interface LinePlace {
    chunk: ChunkText;
    input: number;
    record: number;
    bytes: Buffer;
    start: number;
    end: number;
}

/** A line this thread owns, waiting for its date to end. */
interface PendingLine extends LinePlace {
    /** The patient its owner was chosen by (undefined for a line without one, rejected when read). */
    patient: string | undefined;
    /** Whether the patient was found in the text, not parsed: the session is checked against it. */
    scanned: boolean;
}

/** A session admitted and waiting for the rest of its patient's sessions that date. */
interface Admitted {
    line: PendingLine;
    session: Session;
    entry: HistoryEntry;
    item: ReplayItem;
}

/** What this thread has of a chunk's report so far. */
interface ChunkText {
    id: number;
    writer: SessionTextWriter;
    records: number[];
    ends: number[];
    /** Lines of this thread in the chunk not yet checked or rejected; whether every line of the chunk is taken. */
    unfinished: number;
    taken: boolean;
    withFindings: number;
    errors: number;
    warnings: number;
    infos: number;
}

/** Which of `threads` owns a patient's sessions, from the patient's UTF-8 bytes. */
export function ownerOf(bytes: Uint8Array, start: number, end: number, threads: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    return (hash >>> 0) % threads;
}

const PATIENT = Buffer.from('"patient":"');
const DATE = Buffer.from('"date":"');
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Finds the first `"key":"value"` member in each line of a chunk's bytes, without decoding them:
 * where its value starts and ends, or -1 when the line has none or the value has an escape. It
 * is the record's own member nearly always; when it is not (a nested member of that name first,
 * an escaped name), the session read from the line has another value, and the thread that reads
 * it (the one this value chose) stops the pass.
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
        this.start = this.end = -1;
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

/** Chunks a date may span before the pass gives up on it (as the coordinator's one pass does). */
const MAX_OPEN_CHUNKS = 64;

export class PartitionProcessor {
    private readonly compiled: CompiledPolicy;
    private readonly payers: PayerDirectory;
    private readonly trackers: HistoryTrackers;
    private readonly admission: Admission;
    /** Each patient's timeline replays, by payer. */
    private readonly replays = new Map<string, Map<string, TimelineReplay>>();
    /** Lines of the current date, in input order, and how many each patient has among them. */
    private pending: PendingLine[] = [];
    private perPatient = new Map<string | undefined, number>();
    private currentDate = '';
    /** Chunks whose part is not handed back yet, in order; text writers to reuse. */
    private readonly texts: ChunkText[] = [];
    private readonly writers: SessionTextWriter[] = [];
    private reply: PartitionReply = emptyReply();

    constructor(private readonly bundle: PolicyBundle, private readonly options: EvaluateOptions, names: readonly (string | undefined)[],
        private readonly thread: number, private readonly threads: number) {
        this.compiled = new CompiledPolicy(bundle);
        this.payers = new PayerDirectory(bundle);
        this.trackers = new HistoryTrackers(bundle);
        this.admission = new Admission(names);
    }

    /** Takes this thread's lines of a chunk; hands back the parts finished meanwhile. */
    chunk(chunk: PartitionChunk): PartitionReply {
        return this.guarded(() => {
            const text: ChunkText = {
                id: chunk.id, writer: this.writers.pop() ?? new SessionTextWriter(), records: [], ends: [], unfinished: 0, taken: false,
                withFindings: 0, errors: 0, warnings: 0, infos: 0
            };
            this.texts.push(text);
            let bytes = Buffer.from(chunk.text.buffer, chunk.text.byteOffset, chunk.text.byteLength);
            // Line breaks other than \n (readline's \r\n and lone \r) made \n, so lines are found as bytes.
            if (bytes.indexOf(13) >= 0) bytes = Buffer.from(bytes.toString('utf8').replace(/\r\n?/g, '\n'));
            const patients = new MemberFinder(bytes, PATIENT);
            const dates = new MemberFinder(bytes, DATE);
            for (let start = 0, record = chunk.first; start < bytes.length; record++) {
                let end = bytes.indexOf(10, start);
                if (end < 0) end = bytes.length;
                this.take({ chunk: text, input: chunk.input, record, bytes, start, end }, patients, dates);
                start = end + 1;
            }
            text.taken = true;
            if (this.pending.length > 0 && chunk.id - this.pending[0]!.chunk.id >= MAX_OPEN_CHUNKS) {
                throw new PartitionStop('two-pass', 'one date spans too much of the input');
            }
            this.handBack();
        });
    }

    /** The end of the input: the last date ends. */
    end(): PartitionReply {
        return this.guarded(() => {
            this.endDate();
            this.handBack();
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

    /** Takes a line if this thread owns it; a later date ends the current one first. */
    private take(at: LinePlace, patients: MemberFinder, dates: MemberFinder): void {
        const { bytes, start, end } = at;
        let patient: string | undefined;
        let date: string;
        const scanned = patients.find(start, end);
        if (scanned) {
            if (this.threads > 1 && ownerOf(bytes, patients.start, patients.end, this.threads) !== this.thread) return;
            patient = bytes.toString('utf8', patients.start, patients.end);
            if (!dates.find(start, end)) date = dateOf(parsedOrUndefined(lineText(at)));
            else date = sameText(bytes, dates.start, dates.end, this.currentDate) ? this.currentDate : bytes.toString('latin1', dates.start, dates.end);
        } else {
            // Parsed by every thread to find its owner; one without a patient goes by its line number.
            const text = lineText(at);
            if (text === '') return;
            const raw = parsedOrUndefined(text);
            patient = typeof raw?.patient === 'string' ? raw.patient : undefined;
            const owner = patient !== undefined ? Buffer.from(patient) : undefined;
            if ((owner ? ownerOf(owner, 0, owner.length, this.threads) : at.record % this.threads) !== this.thread) return;
            date = dateOf(raw);
        }
        // A date that is no day (February 30) moves nothing: its session is rejected when read.
        if (date !== this.currentDate && isIsoDate(date)) {
            if (date < this.currentDate) throw new PartitionStop('two-pass', 'the input is not in date order');
            this.endDate();
            this.currentDate = date;
        }
        at.chunk.unfinished++;
        this.pending.push({ chunk: at.chunk, input: at.input, record: at.record, bytes, start, end, patient, scanned });
        this.perPatient.set(patient, (this.perPatient.get(patient) ?? 0) + 1);
    }

    /**
     * The current date has ended: its sessions are read and admitted in input order, and each
     * patient's checked once the last of them is read (at once, nearly always), so a parsed
     * session is let go soon after it is made.
     */
    private endDate(): void {
        const lines = this.pending;
        const perPatient = this.perPatient;
        this.pending = [];
        this.perPatient = new Map();
        const waiting = new Map<string | undefined, Admitted[]>();
        for (const line of lines) {
            const admitted = this.admit(line);
            const key = line.patient;
            const left = perPatient.get(line.patient)! - 1;
            perPatient.set(line.patient, left);
            if (left === 0 && !waiting.has(key)) {
                // The patient's only session that date (or none admitted).
                if (admitted) this.checkDay([admitted]);
                else this.finish(line.chunk);
                continue;
            }
            let day = waiting.get(key);
            if (!day) waiting.set(key, (day = []));
            if (admitted) day.push(admitted);
            else this.finish(line.chunk);
            if (left === 0) {
                waiting.delete(key);
                if (day.length > 0) this.checkDay(day);
            }
        }
    }

    /** Reads a line and admits its session, or records why it is rejected. */
    private admit(line: PendingLine): Admitted | undefined {
        this.admission.startInput(line.input);
        const read = readNdjsonLine(lineText(line), line.record);
        if (!read.ok) {
            this.admission.rejectRecord(read.rejection);
            return undefined;
        }
        const session = read.session;
        // The date decided when the line was read; the patient, which part reads it (with one part, none other).
        if (session.date !== this.currentDate || (line.scanned && this.threads > 1 && session.patient !== line.patient)) {
            throw new PartitionStop('chunks', `the patient or date of record ${line.record} is not the first in its text`);
        }
        const choice = this.payers.select(session.payer, session.date);
        this.reply.ids.push(session.id);
        const policy = this.admission.admit(line.record, session.id, choice.ok ? choice.index : -1, choice.ok ? null : choice.error);
        if (policy < 0) return undefined;
        const entry = sessionEntry(session, policy);
        return { line, session, entry, item: replayItem(this.bundle, this.trackers.forPayer(session.payer), entry) };
    }

    /** One patient's admitted sessions of the date (in input order): replayed by payer, then checked. */
    private checkDay(day: Admitted[]): void {
        if (day.length === 1) {
            this.check(day[0]!, this.replayOf(day[0]!.session).addDate([day[0]!.item])[0]!);
            return;
        }
        const facts = new Map<Admitted, SessionFacts>();
        for (const payer of new Set(day.map(admitted => admitted.session.payer))) {
            const block = day.filter(admitted => admitted.session.payer === payer).sort((a, b) => compareIds(a.item.id, b.item.id));
            this.replayOf(block[0]!.session).addDate(block.map(admitted => admitted.item)).forEach((fact, k) => facts.set(block[k]!, fact));
        }
        for (const admitted of day) this.check(admitted, facts.get(admitted)!);
    }

    /** The replay of the session's patient's timeline with its payer. */
    private replayOf(session: Session): TimelineReplay {
        let byPayer = this.replays.get(session.patient);
        if (!byPayer) this.replays.set(session.patient, (byPayer = new Map()));
        let replay = byPayer.get(session.payer);
        if (!replay) byPayer.set(session.payer, (replay = new TimelineReplay(this.trackers.forPayer(session.payer))));
        return replay;
    }

    private check(admitted: Admitted, facts: SessionFacts): void {
        const text = admitted.line.chunk;
        const result = this.compiled.fields(admitted.session, admitted.entry, facts, this.options);
        if (result.findings.length > 0) text.withFindings++;
        for (const finding of result.findings) {
            if (finding.severity === 'error') text.errors++;
            else if (finding.severity === 'warning') text.warnings++;
            else text.infos++;
        }
        text.writer.add(result);
        text.records.push(admitted.line.record);
        text.ends.push(text.writer.size);
        this.finish(text);
    }

    private finish(text: ChunkText): void {
        text.unfinished--;
    }

    /** Hands back the parts of the chunks at the front that are done: every line taken, and checked or rejected. */
    private handBack(): void {
        while (this.texts.length > 0 && this.texts[0]!.taken && this.texts[0]!.unfinished === 0) {
            const text = this.texts.shift()!;
            this.reply.parts.push({
                chunk: text.id, records: Int32Array.from(text.records), ends: Int32Array.from(text.ends), text: text.writer.take(),
                withFindings: text.withFindings, errors: text.errors, warnings: text.warnings, infos: text.infos
            });
            this.writers.push(text.writer);
        }
    }
}

function emptyReply(): PartitionReply {
    return { parts: [], ids: [], readerRejections: [], evaluationRejections: [] };
}

/** A line's text as the readers take it (trimmed, without a byte order mark on line 1). */
function lineText(line: LinePlace): string {
    const text = line.bytes.toString('utf8', line.start, line.end);
    return (line.record === 1 ? stripBom(text) : text).trim();
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
