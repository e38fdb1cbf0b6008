/** The CSV layout of DATA.md §1: which column feeds which session or line field, and how cells become values. */
import { COMMA, DOLLAR, RETURN, SEMICOLON, SPACE, TAB } from '../util/char-codes.js';
import { editDistance } from '../util/edit-distance.js';

export type ColumnRole =
    | { scope: 'session'; field: string; kind: 'text' | 'count' | 'list' }
    | { scope: 'line'; field: string; kind: 'text' | 'count' | 'money' | 'list' }
    | { scope: 'note'; element: string }
    | { scope: 'extra'; name: string }
    /** A column with an empty name, as Excel writes trailing commas: it holds nothing (a value in it rejects its row). */
    | { scope: 'unnamed' };

/** Known columns by name; `authorization_*` are this engine's addition so authorization rules work from CSV. */
const KNOWN: Record<string, ColumnRole> = {
    session_id: { scope: 'session', field: 'id', kind: 'text' },
    claim: { scope: 'session', field: 'claim', kind: 'text' },
    patient: { scope: 'session', field: 'patient', kind: 'text' },
    date: { scope: 'session', field: 'date', kind: 'text' },
    payer: { scope: 'session', field: 'payer', kind: 'text' },
    discipline: { scope: 'session', field: 'discipline', kind: 'text' },
    provider_id: { scope: 'session', field: 'provider.id', kind: 'text' },
    provider_role: { scope: 'session', field: 'provider.role', kind: 'text' },
    diagnoses: { scope: 'session', field: 'diagnoses', kind: 'list' },
    total_minutes: { scope: 'session', field: 'totalMinutes', kind: 'count' },
    submitted: { scope: 'session', field: 'submitted', kind: 'text' },
    authorization_id: { scope: 'session', field: 'authorization.id', kind: 'text' },
    authorization_visits_approved: { scope: 'session', field: 'authorization.visitsApproved', kind: 'count' },
    authorization_visit_number: { scope: 'session', field: 'authorization.visitNumber', kind: 'count' },
    code: { scope: 'line', field: 'code', kind: 'text' },
    minutes: { scope: 'line', field: 'minutes', kind: 'count' },
    units: { scope: 'line', field: 'units', kind: 'count' },
    modifiers: { scope: 'line', field: 'modifiers', kind: 'list' },
    charge: { scope: 'line', field: 'charge', kind: 'money' },
    allowed: { scope: 'line', field: 'allowed', kind: 'money' },
    assistant_minutes: { scope: 'line', field: 'assistantMinutes', kind: 'count' }
};

/** Record field names back to the column names, so reasons name what the spreadsheet shows. */
const COLUMN_OF_FIELD = new Map<string, string>(Object.entries(KNOWN).flatMap(([column, role]) =>
    role.scope === 'session' || role.scope === 'line' ? [[role.field, column] as [string, string]] : []));

export function columnName(field: string): string {
    return COLUMN_OF_FIELD.get(field) ?? field;
}

export function columnRole(header: string): ColumnRole {
    const name = header.trim();
    if (name === '') return UNNAMED;
    const known = Object.hasOwn(KNOWN, name.toLowerCase()) ? KNOWN[name.toLowerCase()] : undefined;
    if (known) return known;
    if (name.toLowerCase().startsWith('note_') && name.length > 5) return { scope: 'note', element: name.slice(5) };
    return { scope: 'extra', name };
}

const UNNAMED: ColumnRole = { scope: 'unnamed' };

/** The positions (from 0) of the header's unnamed columns: worked out once per header, so rows pay nothing when there are none. */
export function unnamedColumns(roles: readonly ColumnRole[]): number[] {
    return roles.flatMap((role, column) => (role.scope === 'unnamed' ? [column] : []));
}

/** A header cell Payrule keeps as an extra field though it looks like a column it reads: `column` as written, `meant` as Payrule spells it. */
export interface MisspelledColumn {
    column: string;
    meant: string;
}

/** Note columns written with another separator after `note`: `note-activities`, `Note Activities`. */
const NOTE_OTHERWISE = /^note[\s_-]+(.+)$/i;

/**
 * The header cells that are kept as extra fields but are, by their spelling, meant for a column
 * Payrule reads (`modifers`, `Total Minutes`, `note-activities`): such a column is read as no
 * column at all, so it deserves a warning before the report. A column the header has already is
 * never what another cell meant. A header without session_id is refused as a whole (`sesion_id`
 * included), or is a first row of data whose cells are no column names: nothing is said of it.
 */
export function misspelledColumns(header: readonly string[]): MisspelledColumn[] {
    const roles = header.map(columnRole);
    const present = new Set(roles.map(spelling));
    if (!present.has('session_id')) return [];
    const found: MisspelledColumn[] = [];
    for (const role of roles) {
        if (role.scope !== 'extra') continue;
        const meant = closestColumn(role.name);
        if (meant !== undefined && !present.has(meant)) found.push({ column: role.name, meant });
    }
    return found;
}

/** A column Payrule reads as it spells it (`note_` and the element for a note). */
function spelling(role: ColumnRole): string | undefined {
    if (role.scope === 'note') return `note_${role.element}`;
    return role.scope === 'session' || role.scope === 'line' ? columnName(role.field) : undefined;
}

/**
 * The known column `name` is a misspelling of: the same once case, spaces, dashes and underscores
 * are ignored, or an edit or two away (two from nine letters on) with the same first letter, since
 * short words one letter apart are often other words (`rate`, `mode`); else a note column written
 * with another separator.
 */
function closestColumn(name: string): string | undefined {
    const letters = lettersOf(name);
    let meant: string | undefined;
    let nearest = (letters.length >= 9 ? 2 : 1) + 1;
    for (const column of Object.keys(KNOWN)) {
        const known = lettersOf(column);
        // Each edit changes the length by one at most: a far longer or shorter name is never close.
        if (known[0] !== letters[0] || Math.abs(known.length - letters.length) >= nearest) continue;
        const distance = editDistance(letters, known);
        if (distance < nearest) [meant, nearest] = [column, distance];
    }
    const note = NOTE_OTHERWISE.exec(name);
    return meant ?? (note ? `note_${note[1]}` : undefined);
}

/** A name in lower case without spaces, dashes and underscores: `Total Minutes` and `total_minutes` are one name. */
function lettersOf(name: string): string {
    return name.toLowerCase().replace(/[\s_-]+/g, '');
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Thousands separated by commas: 1,250 or 12,480.50. */
const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** What separates the items of a list cell. */
const LIST_SEPARATORS = /[;,\s]+/;

/**
 * A cell as the value JSON would have held: numbers where the column is numeric and the cell reads
 * as one, otherwise the text itself, so validation can say what was wrong with it.
 */
export function cellValue(cell: string, kind: 'text' | 'count' | 'money' | 'list'): unknown {
    switch (kind) {
        case 'text':
            return cell;
        case 'count':
            return INTEGER.test(cell) ? Number(cell) : cell;
        case 'money': {
            // Most amounts are written plainly: no $ to take off, no thousands separator.
            if (cell.charCodeAt(0) !== DOLLAR && cell.indexOf(',') < 0) return DECIMAL.test(cell) ? Number(cell) : cell;
            const amount = cell.replace(/^\$/, '');
            // A comma only between groups of three digits: "38,12" (a decimal comma) or "1,2,3" is no amount.
            return GROUPED.test(amount) || DECIMAL.test(amount) ? Number(amount.replaceAll(',', '')) : cell;
        }
        case 'list':
            return listItems(cell);
    }
}

/** The items of a list cell, separated by semicolons, commas or white space. */
function listItems(cell: string): string[] {
    // ASCII, as nearly every cell is: cut by hand (this runs for every row's modifiers). Other text
    // goes by the pattern, whose \s also knows the Unicode spaces.
    const items: string[] = [];
    let start = 0;
    for (let i = 0; i <= cell.length; i++) {
        const c = i < cell.length ? cell.charCodeAt(i) : SEMICOLON;
        if (c >= 128) return cell.split(LIST_SEPARATORS).filter(item => item !== '');
        // Tab through carriage return and the space: the ASCII white space of \s.
        if (c === SEMICOLON || c === COMMA || c === SPACE || (c >= TAB && c <= RETURN)) {
            if (i > start) items.push(cell.slice(start, i));
            start = i + 1;
        }
    }
    return items;
}

