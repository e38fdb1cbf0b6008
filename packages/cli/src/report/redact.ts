/**
 * `--redact`: patient identifiers (and names, where a field holds them) become keyed tokens in
 * every output, so a report can leave the practice. A token is the start of an HMAC-SHA256 of
 * the identifier under the practice's key: the same patient always gets the same token under one
 * key, and without the key a token cannot be turned back into the identifier, nor guessed from it.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding, Report, Session } from '@payrule/engine';
import { CliError, describeFileError } from '../errors.js';
import type { SessionSource } from './context.js';

export const REDACT_KEY_VARIABLE = 'PAYRULE_REDACT_KEY';
/** Shorter keys make tokens of short identifiers (P-0042) open to guessing. */
export const MIN_KEY_LENGTH = 16;
/** 12 hex digits (48 bits): collisions stay unlikely even for hundreds of thousands of patients. */
const TOKEN_HEX = 12;
/** Identifiers shorter than this are tokenised in their own fields only, never searched for inside text. */
const MIN_TEXT_MATCH = 4;

export interface RedactOptions {
    redact?: boolean;
    redactKeyFile?: string;
}

/** The key file `--redact-key-file` names, which a run reads (so `-o` must not replace it). */
export function redactKeyFiles(options: RedactOptions): string[] {
    return options.redactKeyFile !== undefined ? [options.redactKeyFile] : [];
}

/** The key for `--redact`: from --redact-key-file, else PAYRULE_REDACT_KEY; refuses to go on without one. */
export function loadRedactKey(options: RedactOptions, env: Record<string, string | undefined>, cwd: string): Buffer | undefined {
    if (!options.redact) {
        if (options.redactKeyFile !== undefined) throw new CliError('--redact-key-file is for --redact: add --redact to replace patient identifiers.');
        return undefined;
    }
    let key: string | undefined;
    let from: string;
    if (options.redactKeyFile !== undefined) {
        from = `the key file '${options.redactKeyFile}'`;
        try {
            key = readFileSync(resolve(cwd, options.redactKeyFile), 'utf8').replace(/\r?\n$/, '');
        } catch (error) {
            throw new CliError(`cannot read the redaction key file '${options.redactKeyFile}': ${describeFileError(error)}.`);
        }
    } else {
        from = REDACT_KEY_VARIABLE;
        key = env[REDACT_KEY_VARIABLE];
    }
    if (key === undefined || key === '') {
        throw new CliError(`--redact needs the practice's secret key: set ${REDACT_KEY_VARIABLE} or give --redact-key-file FILE.`
            + ' Nothing was written.');
    }
    if (key.length < MIN_KEY_LENGTH) {
        throw new CliError(`the redaction key in ${from} is too short (${key.length} characters): use at least ${MIN_KEY_LENGTH}`
            + ' random characters, or short patient identifiers could be guessed from their tokens.');
    }
    return Buffer.from(key, 'utf8');
}

/** Keys of record fields that hold a person's name: `name`, `patient_name`, `First Name`, `surname`, ... */
export function isNameField(key: string): boolean {
    const plain = key.toLowerCase().replace(/[^a-z]/g, '');
    return /^(patient|pt)?(first|last|given|family|middle|full|sur|preferred|legal)?name$/.test(plain);
}

export class Redactor {
    /** Token by identifier or name, as given. */
    private readonly tokens = new Map<string, string>();
    /** Token by lower-cased identifier, name or word of a name, for finding them inside text. */
    private readonly words = new Map<string, string>();

    constructor(private readonly key: Buffer) {}

    /** `pt_3f9a1c2b7d0e`: the same identifier always gives the same token under one key. */
    patient(id: string): string {
        return this.token('pt', id);
    }

    /** `nm_…` for a name; each word of it is also replaced wherever it appears in text. */
    name(value: string): string {
        const token = this.token('nm', value.trim());
        for (const part of value.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) this.remember(part, token);
        return token;
    }

    /**
     * Every identifier and name met so far, replaced in `text` wherever it stands on its own: a
     * whole word, or whole parts of a word joined by `-`, `.`, `/` or `#` (so `S-P-0042-1` loses
     * `P-0042`). Looking words up, rather than searching for every identifier, keeps this fast
     * with many thousands of patients.
     */
    text(text: string): string {
        if (this.words.size === 0) return text;
        return text.replace(WORD_RUN, run => this.replaceRun(run));
    }

    private replaceRun(run: string): string {
        // Words at even indexes, the separators between them at odd ones.
        const pieces = run.split(/([-./#])/);
        const count = (pieces.length + 1) / 2;
        const span = (from: number, to: number) => pieces.slice(2 * from, 2 * to - 1).join('');
        let out = '';
        let i = 0;
        while (i < count) {
            let next = i + 1;
            let replacement = pieces[2 * i]!;
            for (let j = count; j > i; j--) {
                const token = this.words.get(span(i, j).toLowerCase());
                if (token) {
                    replacement = token;
                    next = j;
                    break;
                }
            }
            out += replacement;
            if (next < count) out += pieces[2 * next - 1];
            i = next;
        }
        return out;
    }

    private token(kind: string, value: string): string {
        const known = this.tokens.get(value);
        if (known?.startsWith(`${kind}_`)) return known;
        const token = `${kind}_${createHmac('sha256', this.key).update(`${kind}\u0000${value}`).digest('hex').slice(0, TOKEN_HEX)}`;
        this.tokens.set(value, token);
        this.remember(value, token);
        return token;
    }

    private remember(value: string, token: string): void {
        if (value.length >= MIN_TEXT_MATCH || (value.length >= 3 && token.startsWith('nm_'))) this.words.set(value.toLowerCase(), token);
    }
}

/** A word, or words joined by `-`, `.`, `/`, `#` (identifiers, dates, file names). */
const WORD_RUN = /[\p{L}\p{N}_](?:[\p{L}\p{N}_\-./#]*[\p{L}\p{N}_])?/gu;

/**
 * The report and the records with patients and names replaced. The records are scanned first, so
 * an identifier or name quoted inside a message, an explanation or a note is replaced there too.
 */
export function redactRun(report: Report, sources: Map<string, SessionSource>, redactor: Redactor): { report: Report; sources: Map<string, SessionSource> } {
    for (const source of sources.values()) registerPeople(source.session, redactor);
    for (const session of report.sessions) redactor.patient(session.patient);
    const text = (value: string) => redactor.text(value);
    const redactedSources = new Map<string, SessionSource>();
    for (const [id, source] of sources) {
        redactedSources.set(text(id), { ...source, file: text(source.file), session: redactSession(source.session, redactor) });
    }
    return {
        report: {
            ...report,
            sessions: report.sessions.map(session => ({
                ...session,
                id: text(session.id),
                patient: redactor.patient(session.patient),
                findings: session.findings.map(finding => redactFinding(finding, text))
            })),
            rejected: report.rejected.map(rejection => ({
                ...rejection,
                ...(rejection.id !== undefined ? { id: text(rejection.id) } : {}),
                ...(rejection.file !== undefined ? { file: text(rejection.file) } : {}),
                error: hideQuotedValues(text(rejection.error))
            }))
        },
        sources: redactedSources
    };
}

/**
 * A quoted string in a reason (a JSON string), with the word before it when that word says it is
 * the name of a field, a note element or a column (`missing required field "patient"`, `note
 * element "activities"`): the engine's reasons quote names so, and values otherwise.
 */
const QUOTED = /(\b(?:field|element|column) )?"(?:[^"\\]|\\.)*"/g;
const TOKEN = /^"(pt|nm)_[0-9a-f]+"$/;

/**
 * A rejected record never became a session, so its patient and names were never met: whatever
 * value the reason quotes from it (`patient "JONES" differs from row 3 ("SMITH")`) is hidden; the
 * record number, and the field it names, still say where to look.
 */
function hideQuotedValues(reason: string): string {
    return reason.replace(QUOTED, (quoted, name: string | undefined) => (name !== undefined || TOKEN.test(quoted) ? quoted : '"[redacted]"'));
}

function registerPeople(session: Session, redactor: Redactor): void {
    redactor.patient(session.patient);
    for (const fields of [session.extra, ...session.lines.map(line => line.extra)]) {
        for (const [key, value] of Object.entries(fields ?? {})) {
            if (isNameField(key) && typeof value === 'string' && value.trim() !== '') redactor.name(value);
        }
    }
}

function redactSession(session: Session, redactor: Redactor): Session {
    const text = (value: string) => redactor.text(value);
    const fields = (extra: Record<string, unknown> | undefined) => extra === undefined ? undefined : Object.fromEntries(
        Object.entries(extra).map(([key, value]) => [key, typeof value !== 'string' ? value : isNameField(key) ? redactor.name(value) : text(value)])
    );
    const extra = fields(session.extra);
    return {
        ...session,
        id: text(session.id),
        patient: redactor.patient(session.patient),
        ...(session.claim !== undefined ? { claim: text(session.claim) } : {}),
        note: Object.fromEntries(Object.entries(session.note).map(([key, value]) => [key, text(value)])),
        lines: session.lines.map(line => {
            const lineExtra = fields(line.extra);
            return { ...line, ...(lineExtra !== undefined ? { extra: lineExtra } : {}) };
        }),
        ...(extra !== undefined ? { extra } : {})
    };
}

function redactFinding(finding: Finding, text: (value: string) => string): Finding {
    return {
        ...finding,
        message: text(finding.message),
        explain: finding.explain.map(text),
        ...(finding.fix !== undefined ? { fix: text(finding.fix) } : {})
    };
}
