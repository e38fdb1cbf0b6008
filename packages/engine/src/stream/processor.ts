/**
 * The work on one chunk of input, the same in a worker thread and in the main thread: reading its
 * records into sessions or rejections (phase 1, with a compact entry per session for the
 * coordinator), then checking the sessions the coordinator accepted against their facts and
 * writing each result as report text (phase 2). Nothing here depends on other chunks.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { PolicyBundle } from '../ir/policy.js';
import { HistoryTrackers } from '../evaluate/accrual.js';
import { CompiledPolicy } from '../evaluate/compiled.js';
import { PayerDirectory } from '../evaluate/payers.js';
import { sessionEntry } from '../evaluate/history.js';
import type { EvaluateOptions } from '../rules/context.js';
import { assembleSession, type Row } from '../sessions/csv-text.js';
import { columnName, columnRole, type ColumnRole } from '../sessions/csv-columns.js';
import { brokenJsonReason, stripBom } from '../sessions/json-text.js';
import type { Session } from '../sessions/session.js';
import type { ParseOptions } from '../sessions/validate.js';
import { parseSessionFast } from './fast-validate.js';
import { FactsReader, sessionHead, type FlatFacts, type SessionHead } from './codec.js';
import { readRecords } from './csv-rows.js';
import { SessionTextWriter } from './session-text.js';

/** How a CSV input is laid out, from its header (read by the coordinator). */
export interface CsvLayout {
    header: string[];
    crlf: boolean;
}

export interface Chunk {
    id: number;
    format: 'ndjson' | 'csv' | 'json';
    /** NDJSON or CSV text (UTF-8 bytes or already decoded); JSON: the array's elements. */
    text?: Uint8Array | string;
    values?: unknown[];
    /** Position of the chunk's first record: NDJSON line, CSV row (header = 1) or JSON element, 1-based. */
    first: number;
    csv?: CsvLayout;
}

export interface ChunkRejection {
    record: number;
    id?: string;
    error: string;
}

/** Phase 1 of a chunk: its sessions (positions and compact entries, in order) and its rejections. */
export interface IndexedChunk {
    id: number;
    /** Each session's position in its input. */
    records: Int32Array;
    /** The sessions' heads (codec.ts): as JSON text of a list from a worker thread (one string to copy), as they are in this thread. */
    sessions: string | SessionHead[];
    /**
     * With heads as JSON text: each head's lines (its JSON text of lines) apart, which the text
     * leaves empty. Nested in the text, they would be escaped on one side and unescaped on the other.
     */
    lines?: string[];
    rejected: ChunkRejection[];
    /** Set when the chunk cannot be read here (irregular CSV, or a CSV session whose rows are apart): the input is read whole instead. */
    irregular?: string;
    /** CSV: ids of every session in the chunk, rejected ones included, to tell sessions whose rows are apart. */
    csvIds?: string[];
}

/** Phase 2 of a chunk: which of its sessions to check (by position among the chunk's sessions), under which declaration, with which facts. */
export interface ChunkPlan {
    id: number;
    picks: Int32Array;
    policies: Int32Array;
    facts: FlatFacts;
}

/** What to do with a chunk's report text: return it (UTF-8 bytes), or keep it to write into the report file (place). */
export type TextMode = 'bytes' | 'keep';

export interface EvaluatedChunk {
    id: number;
    /** The sessions' report texts joined with ",\n", as UTF-8 bytes (moved, not copied, from a worker thread); empty when kept. */
    text: Uint8Array;
    /** Its length in UTF-8 bytes. */
    byteLength: number;
    count: number;
    withFindings: number;
    errors: number;
    warnings: number;
    infos: number;
}

interface Parsed {
    records: number[];
    sessions: Session[];
    rejected: ChunkRejection[];
    irregular?: string;
    csvIds?: string[];
}

export class ChunkProcessor {
    /** Sessions of chunks read in phase 1 and not checked yet (single-pass runs check them from here). */
    private readonly kept = new Map<number, Session[]>();
    /** Report texts of checked chunks, waiting to be placed in the report file. */
    private readonly outputs = new Map<number, Uint8Array>();
    private readonly files = new Map<string, number>();
    private readonly compiled: CompiledPolicy;
    private readonly payers: PayerDirectory;
    private readonly trackers: HistoryTrackers;
    /** Writes each checked chunk's report text; one buffer reused from chunk to chunk. */
    private readonly text = new SessionTextWriter();

    constructor(private readonly bundle: PolicyBundle, private readonly options: EvaluateOptions = {}) {
        this.compiled = new CompiledPolicy(bundle);
        this.payers = new PayerDirectory(bundle);
        this.trackers = new HistoryTrackers(bundle);
    }

    index(chunk: Chunk, keep: boolean, encode = false): IndexedChunk {
        const parsed = parseChunk(chunk);
        if (keep && !parsed.irregular) this.kept.set(chunk.id, parsed.sessions);
        const heads: SessionHead[] = [];
        if (!parsed.irregular) {
            for (const session of parsed.sessions) {
                // The declaration in force and what the session adds to its patient's running counts.
                const choice = this.payers.select(session.payer, session.date);
                if (!choice.ok) {
                    heads.push(sessionHead(session, -1, choice.error, []));
                    continue;
                }
                const counts = this.trackers.forPayer(session.payer).countsOf(this.bundle, sessionEntry(session, choice.index));
                heads.push(sessionHead(session, choice.index, null, counts));
            }
        }
        return {
            id: chunk.id,
            records: Int32Array.from(parsed.records),
            ...(encode ? encodedHeads(heads) : { sessions: heads }),
            rejected: parsed.rejected,
            ...(parsed.irregular ? { irregular: parsed.irregular } : {}),
            ...(parsed.csvIds ? { csvIds: parsed.csvIds } : {})
        };
    }

    /** Checks the planned sessions; the chunk's text is needed unless phase 1 kept its sessions. */
    evaluate(plan: ChunkPlan, chunk?: Chunk, mode: TextMode = 'bytes'): EvaluatedChunk {
        let sessions = this.kept.get(plan.id);
        this.kept.delete(plan.id);
        if (!sessions) {
            if (!chunk) throw new Error(`chunk ${plan.id} was not kept`);
            sessions = parseChunk(chunk).sessions;
        }
        this.text.reset();
        let count = 0;
        let withFindings = 0;
        let errors = 0;
        let warnings = 0;
        let infos = 0;
        const reader = new FactsReader(plan.facts);
        for (let k = 0; k < plan.picks.length; k++) {
            const session = sessions[plan.picks[k]!]!;
            const policy = plan.policies[k]!;
            const facts = reader.next();
            const result = this.compiled.fields(session, sessionEntry(session, policy), facts, this.options);
            if (result.findings.length > 0) withFindings++;
            for (const finding of result.findings) {
                if (finding.severity === 'error') errors++;
                else if (finding.severity === 'warning') warnings++;
                else infos++;
            }
            this.text.add(result);
            count++;
        }
        const bytes = this.text.take();
        const stats = { id: plan.id, count, withFindings, errors, warnings, infos, byteLength: bytes.length };
        if (mode === 'bytes') return { ...stats, text: bytes };
        this.outputs.set(plan.id, bytes);
        return { ...stats, text: new Uint8Array(0) };
    }

    /** Writes a kept chunk's text (after `prefix`) into the report file at `position`. */
    place(id: number, path: string, position: number, prefix: string): void {
        const bytes = this.outputs.get(id);
        this.outputs.delete(id);
        if (!bytes) throw new Error(`chunk ${id} has no text kept`);
        let fd = this.files.get(path);
        if (fd === undefined) this.files.set(path, (fd = openSync(path, 'r+')));
        const head = Buffer.from(prefix);
        writeFully(fd, head, position);
        writeFully(fd, bytes, position + head.length);
    }

    /** Closes the report files it wrote into. */
    release(): void {
        for (const fd of this.files.values()) closeSync(fd);
        this.files.clear();
    }

    /** Forgets a chunk kept in phase 1 (a run that starts over). */
    drop(id: number): void {
        this.kept.delete(id);
    }

    clear(): void {
        this.kept.clear();
        this.outputs.clear();
    }
}

function encodedHeads(heads: SessionHead[]): { sessions: string; lines: string[] } {
    const lines = heads.map(head => head[8]);
    for (const head of heads) head[8] = '';
    return { sessions: JSON.stringify(heads), lines };
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
}

function textOf(chunk: Chunk): string {
    const text = chunk.text ?? '';
    // Node's own UTF-8 decoding: faster than TextDecoder, and it keeps a byte order mark (line 1 drops it, as the readers do).
    return typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
}

function parseChunk(chunk: Chunk): Parsed {
    switch (chunk.format) {
        case 'ndjson': return parseNdjson(textOf(chunk), chunk.first);
        case 'csv': return parseCsv(textOf(chunk), chunk.first, chunk.csv!);
        case 'json': return parseValues(chunk.values ?? [], chunk.first);
    }
}

/** A record read into a session, or why it is rejected. */
export type RecordRead = { ok: true; session: Session } | { ok: false; rejection: ChunkRejection };

function readRecord(raw: unknown, record: number, options?: ParseOptions): RecordRead {
    // A record already in shape is taken as it is (fast-validate.ts); any other goes through the validator.
    const result = parseSessionFast(raw, record, options);
    if (result.ok) return { ok: true, session: result.session };
    return { ok: false, rejection: { record, ...(result.id !== undefined ? { id: result.id } : {}), error: result.error } };
}

function accept(parsed: Parsed, read: RecordRead, record: number): void {
    if (read.ok) {
        parsed.records.push(record);
        parsed.sessions.push(read.session);
    } else {
        parsed.rejected.push(read.rejection);
    }
}

/** A chunk's lines as readline splits them (\n, \r\n or a lone \r); the line break that ends the chunk starts no line. */
export function splitLines(text: string): string[] {
    const lines = text.indexOf('\r') >= 0 ? text.split(/\r\n|\r|\n/) : text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
}

/** One NDJSON line (trimmed, not blank) read into a session, or why it is rejected. */
export function readNdjsonLine(line: string, record: number): RecordRead {
    let raw: unknown;
    try {
        raw = JSON.parse(line);
    } catch (error) {
        return { ok: false, rejection: { record, error: brokenJsonReason(error, line) } };
    }
    return readRecord(raw, record);
}

/** Lines numbered from `first`; blank lines are no record. */
function parseNdjson(text: string, first: number): Parsed {
    const parsed: Parsed = { records: [], sessions: [], rejected: [] };
    const lines = splitLines(text);
    for (let index = 0; index < lines.length; index++) {
        const lineNumber = first + index;
        const line = (lineNumber === 1 ? stripBom(lines[index]!) : lines[index]!).trim();
        if (line !== '') accept(parsed, readNdjsonLine(line, lineNumber), lineNumber);
    }
    return parsed;
}

function parseValues(values: unknown[], first: number): Parsed {
    const parsed: Parsed = { records: [], sessions: [], rejected: [] };
    values.forEach((value, index) => accept(parsed, readRecord(value, first + index), first + index));
    return parsed;
}

const layouts = new WeakMap<CsvLayout, { roles: ColumnRole[]; idColumn: number }>();

function layoutOf(csv: CsvLayout): { roles: ColumnRole[]; idColumn: number } {
    let layout = layouts.get(csv);
    if (!layout) {
        const roles = csv.header.map(columnRole);
        layouts.set(csv, (layout = { roles, idColumn: roles.findIndex(role => role.scope === 'session' && role.field === 'id') }));
    }
    return layout;
}

/**
 * Rows grouped into sessions as sessions/csv-text.ts groups them, for inputs whose sessions keep
 * their rows together: blank rows are skipped, a row without an id is rejected on its own.
 */
function parseCsv(text: string, first: number, csv: CsvLayout): Parsed {
    const parsed: Parsed = { records: [], sessions: [], rejected: [], csvIds: [] };
    const records = readRecords(text, csv.crlf);
    if (!records) return { ...parsed, irregular: 'irregular CSV' };
    const { roles, idColumn } = layoutOf(csv);
    const width = csv.header.length;
    const seen = new Set<string>();
    let group: { id: string; rows: Row[]; problems: { row: number; message: string }[] } | undefined;
    const close = () => {
        if (!group) return;
        parsed.csvIds!.push(group.id);
        const first = Math.min(...group.rows.map(row => row.row), ...group.problems.map(problem => problem.row));
        if (group.problems.length > 0) {
            parsed.rejected.push({ record: first, id: group.id, error: group.problems.map(problem => problem.message).join('; ') });
        } else {
            const rows = group.rows;
            const { raw, problems } = assembleSession(rows, roles);
            if (problems.length > 0) parsed.rejected.push({ record: first, id: group.id, error: problems.join('; ') });
            else accept(parsed, readRecord(raw, first, { lineLabel: index => `row ${rows[index]!.row}`, fieldName: columnName }), first);
        }
        group = undefined;
    };
    for (let index = 0; index < records.length; index++) {
        const cells = records[index]!;
        const row = first + index;
        if (cells.every(cell => cell === '')) continue;
        const id = cells[idColumn] ?? '';
        const problem = cells.length !== width ? `row ${row} has ${cells.length} columns; the header has ${width}` : undefined;
        if (id === '') {
            parsed.rejected.push({ record: row, error: problem ?? `row ${row}: missing required field "session_id"` });
            continue;
        }
        if (group?.id !== id) {
            close();
            if (seen.has(id)) return { ...parsed, irregular: `the rows of session ${id} are apart` };
            seen.add(id);
            group = { id, rows: [], problems: [] };
        }
        if (problem) group!.problems.push({ row, message: problem });
        else group!.rows.push({ row, cells });
    }
    close();
    return parsed;
}
