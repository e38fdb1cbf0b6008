/** Helpers for the report and history tests: session records to write, temporary folders, a strict XML reader. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKS, ROOT } from '../cli/run-payrule.js';

/** The example packs by absolute path, so runs from a temporary folder find them. */
export const PACKS_PATH = join(ROOT, PACKS);

export interface SessionSpec {
    id: string;
    patient: string;
    claim?: string;
    date?: string;
    payer?: string;
    provider?: string;
    code?: string;
    minutes?: number;
    units?: number;
    modifiers?: string[];
    allowed?: number;
    note?: Record<string, string>;
    extra?: Record<string, unknown>;
}

/** A Medicare PT session that is clean unless the spec makes it otherwise (units, modifiers, note). */
export function session(spec: SessionSpec): Record<string, unknown> {
    const minutes = spec.minutes ?? 38;
    return {
        id: spec.id,
        ...(spec.claim !== undefined ? { claim: spec.claim } : {}),
        patient: spec.patient,
        date: spec.date ?? '2026-03-04',
        payer: spec.payer ?? 'medicare',
        discipline: 'PT',
        provider: { id: spec.provider ?? '1234567893', role: 'PT' },
        diagnoses: ['M17.11'],
        lines: [{
            code: spec.code ?? '97110',
            minutes,
            units: spec.units ?? 3,
            modifiers: spec.modifiers ?? ['GP'],
            ...(spec.allowed !== undefined ? { allowed: spec.allowed } : {})
        }],
        totalMinutes: minutes,
        note: spec.note ?? {
            'total-timed-minutes': String(minutes),
            activities: 'Step-ups on 6 inch step x15 each leg with mirror feedback for knee valgus',
            'functional-goals': 'Climb 12 stairs at home with one rail',
            'patient-response': 'Needed 3 verbal cues on first set; knee pain 2/10 unchanged'
        },
        submitted: '2026-03-10',
        ...(spec.extra ?? {})
    };
}

export interface TempFolder {
    path: string;
    file(name: string, content: string | unknown[]): string;
    remove(): void;
}

export function tempFolder(prefix = 'payrule-reports-'): TempFolder {
    const path = mkdtempSync(join(tmpdir(), prefix));
    return {
        path,
        file(name, content) {
            const file = join(path, name);
            writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
            return file;
        },
        remove() {
            rmSync(path, { recursive: true, force: true });
        }
    };
}

export interface XmlElement {
    name: string;
    attributes: Record<string, string>;
    children: XmlElement[];
    text: string;
}

/**
 * A strict reader for the XML the reports write: one root, properly nested and closed elements,
 * quoted attributes without duplicates, only the five predefined entities and character
 * references, and only characters XML 1.0 allows. Throws on anything else.
 */
export function parseXml(xml: string): XmlElement {
    // eslint-disable-next-line no-control-regex
    const bad = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
    if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16)} is not allowed in XML at ${bad.index}`);
    let at = 0;
    const fail = (message: string): never => { throw new Error(`${message} at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`); };
    const decode = (text: string): string => text.replace(/&([^;]*);?/g, (whole, name: string) => {
        if (!whole.endsWith(';')) fail('an & that does not start a reference');
        const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'' };
        if (named[name] !== undefined) return named[name]!;
        const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(name);
        if (!numeric) return fail(`unknown entity &${name};`);
        const code = numeric[1]!.startsWith('x') ? parseInt(numeric[1]!.slice(1), 16) : parseInt(numeric[1]!, 10);
        return String.fromCodePoint(code);
    });
    const skipMisc = () => {
        for (;;) {
            const rest = xml.slice(at);
            const space = /^\s+/.exec(rest);
            if (space) { at += space[0].length; continue; }
            if (rest.startsWith('<!--')) {
                const end = xml.indexOf('-->', at + 4);
                if (end < 0) fail('unclosed comment');
                at = end + 3;
                continue;
            }
            if (rest.startsWith('<?')) {
                const end = xml.indexOf('?>', at + 2);
                if (end < 0) fail('unclosed processing instruction');
                at = end + 2;
                continue;
            }
            return;
        }
    };
    const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
    const element = (): XmlElement => {
        if (xml[at] !== '<') fail('expected an element');
        at++;
        const name = NAME.exec(xml.slice(at))?.[0] ?? fail('expected an element name');
        at += name.length;
        const attributes: Record<string, string> = {};
        for (;;) {
            const space = /^\s*/.exec(xml.slice(at))![0];
            at += space.length;
            if (xml.startsWith('/>', at)) { at += 2; return { name, attributes, children: [], text: '' }; }
            if (xml[at] === '>') { at++; break; }
            if (space.length === 0) fail('attributes must be separated by spaces');
            const attribute = NAME.exec(xml.slice(at))?.[0] ?? fail('expected an attribute name');
            at += attribute.length;
            const value = /^\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(xml.slice(at)) ?? fail(`attribute ${attribute} needs a quoted value without <`);
            if (attributes[attribute] !== undefined) fail(`attribute ${attribute} appears twice`);
            attributes[attribute] = decode(value[2] ?? value[3] ?? '');
            at += value[0].length;
        }
        const children: XmlElement[] = [];
        let text = '';
        for (;;) {
            if (at >= xml.length) fail(`element <${name}> is not closed`);
            if (xml.startsWith('</', at)) {
                at += 2;
                const closing = NAME.exec(xml.slice(at))?.[0];
                if (closing !== name) fail(`</${closing}> closes <${name}>`);
                at += name.length;
                const end = /^\s*>/.exec(xml.slice(at)) ?? fail('expected >');
                at += end[0].length;
                return { name, attributes, children, text };
            }
            if (xml.startsWith('<!--', at) || xml.startsWith('<?', at)) { skipMisc(); continue; }
            if (xml.startsWith('<![CDATA[', at)) {
                const end = xml.indexOf(']]>', at);
                if (end < 0) fail('unclosed CDATA');
                text += xml.slice(at + 9, end);
                at = end + 3;
                continue;
            }
            if (xml[at] === '<') { children.push(element()); continue; }
            const next = xml.indexOf('<', at);
            const raw = xml.slice(at, next < 0 ? xml.length : next);
            if (raw.includes(']]>')) fail(']]> in text');
            text += decode(raw);
            at += raw.length;
        }
    };
    skipMisc();
    const root = element();
    skipMisc();
    if (at !== xml.length) fail('content after the root element');
    return root;
}

/** Every element of a tree with the given name, in document order. */
export function elements(root: XmlElement, name: string): XmlElement[] {
    const found: XmlElement[] = [];
    const walk = (element: XmlElement) => {
        if (element.name === name) found.push(element);
        element.children.forEach(walk);
    };
    walk(root);
    return found;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells; throws on a malformed quote. */
export function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cell = '';
    let quoted = false;
    let i = 0;
    while (i < text.length) {
        const char = text[i]!;
        if (quoted) {
            if (char === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
            if (char === '"') {
                quoted = false;
                i++;
                if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
                continue;
            }
            cell += char;
            i++;
            continue;
        }
        if (char === '"') {
            if (cell !== '') throw new Error(`a quote inside an unquoted field at ${i}`);
            quoted = true;
            i++;
        } else if (char === ',') {
            row.push(cell);
            cell = '';
            i++;
        } else if (char === '\r' && text[i + 1] === '\n') {
            row.push(cell);
            rows.push(row);
            row = [];
            cell = '';
            i += 2;
        } else if (char === '\n' || char === '\r') {
            throw new Error(`a bare line break at ${i}: RFC 4180 ends records with CRLF`);
        } else {
            cell += char;
            i++;
        }
    }
    if (quoted) throw new Error('unclosed quote');
    if (cell !== '' || row.length > 0) throw new Error('the last record has no CRLF');
    return rows;
}
