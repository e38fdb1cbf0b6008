/**
 * Why a JSON text does not parse, said without quoting it. V8's JSON.parse quotes the text around
 * some errors (`Unexpected token 'J', ..."patient":Jane Q. Ro"... is not valid JSON`), and that
 * text may be a note or a patient's name. Its messages that only name a position ("Unterminated
 * string in JSON at position 150") are kept; the others are replaced by the position of the first
 * character that cannot be JSON and what was expected there, found by a scan of the text.
 */

/** V8's messages that name a position and quote nothing (the words before "in JSON" or "after JSON" are V8's own). */
const POSITIONED = /^[^"\n]{1,100} (?:in|after) JSON at position \d+/;
const END = 'Unexpected end of JSON input';

/** The reason JSON.parse failed on `text`, with no word of the text in it. */
export function jsonSyntaxReason(error: unknown, text: string): string {
    const message = error instanceof Error ? error.message : '';
    if (message.startsWith(END)) return END;
    const positioned = POSITIONED.exec(message);
    if (positioned) return `${positioned[0]}${lineAndColumn(text, Number(/\d+$/.exec(positioned[0])![0]))}`;
    const found = jsonBreak(text);
    if (!found) return 'Unreadable JSON';
    if (found.at >= text.length) return END;
    return `Unexpected character in JSON at position ${found.at}${lineAndColumn(text, found.at)}: expected ${found.expected}`;
}

/** " (line 3, column 12)" for a position past the first line; nothing on the first line. */
function lineAndColumn(text: string, position: number): string {
    const lineStart = text.lastIndexOf('\n', position - 1) + 1;
    if (lineStart === 0) return '';
    let line = 1;
    for (let at = text.indexOf('\n'); at >= 0 && at < lineStart; at = text.indexOf('\n', at + 1)) line++;
    return ` (line ${line}, column ${position - lineStart + 1})`;
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

/** Where the open object or list may close. */
const CLOSABLE: ReadonlySet<Expect> = new Set(['value-or-close', 'key-or-close', 'comma-or-close']);

const EXPECTED: Record<Expect, string> = {
    value: 'a value (text goes in double quotes)',
    'value-or-close': "a value or ']'",
    key: 'a field name in double quotes',
    'key-or-close': "a field name in double quotes or '}'",
    colon: "':' after the field name",
    'comma-or-close': "',' or the end of the object or list",
    end: 'the end of the input'
};

/**
 * Where the JSON grammar first breaks in `text` (text.length when the text ends too early), and
 * what it expected there; undefined when the text is valid JSON. One pass, no recursion.
 */
export function jsonBreak(text: string): { at: number; expected: string } | undefined {
    const closers: string[] = [];
    let expect: Expect = 'value';
    const afterValue = (): Expect => (closers.length > 0 ? 'comma-or-close' : 'end');
    const broken = (at: number, what: Expect = expect) => ({ at, expected: EXPECTED[what] });
    let at = 0;
    for (;;) {
        at = skipSpace(text, at);
        if (at >= text.length) return expect === 'end' ? undefined : broken(at);
        const c = text[at]!;
        if (CLOSABLE.has(expect) && c === closers[closers.length - 1]) {
            closers.pop();
            at++;
            expect = afterValue();
            continue;
        }
        switch (expect) {
            case 'value':
            case 'value-or-close': {
                if (c === '{' || c === '[') {
                    closers.push(c === '{' ? '}' : ']');
                    at++;
                    expect = c === '{' ? 'key-or-close' : 'value-or-close';
                    break;
                }
                const end = c === '"' ? stringEnd(text, at) : c === '-' || (c >= '0' && c <= '9') ? numberEnd(text, at) : literalEnd(text, at);
                if (end < 0) return broken(-end - 1, 'value');
                at = end;
                expect = afterValue();
                break;
            }
            case 'key':
            case 'key-or-close': {
                if (c !== '"') return broken(at);
                const end = stringEnd(text, at);
                if (end < 0) return broken(-end - 1);
                at = end;
                expect = 'colon';
                break;
            }
            case 'colon':
                if (c !== ':') return broken(at);
                at++;
                expect = 'value';
                break;
            case 'comma-or-close':
                if (c !== ',') return broken(at);
                at++;
                expect = closers[closers.length - 1] === '}' ? 'key' : 'value';
                break;
            case 'end':
                return broken(at);
        }
    }
}

function skipSpace(text: string, at: number): number {
    while (at < text.length) {
        const c = text.charCodeAt(at);
        if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
        at++;
    }
    return at;
}

/** After the string starting at `at` (a quote); -(position + 1) of the first bad character. */
function stringEnd(text: string, at: number): number {
    for (let i = at + 1; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x22) return i + 1;
        if (c < 0x20) return -(i + 1);
        if (c !== 0x5c) continue;
        const escape = text[i + 1];
        if (escape === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return -(i + 1);
            i += 5;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
            i++;
        } else {
            return -(i + 1);
        }
    }
    return -(text.length + 1);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function numberEnd(text: string, at: number): number {
    NUMBER.lastIndex = at;
    return NUMBER.test(text) ? NUMBER.lastIndex : -(at + 1);
}

/** true, false or null; a word that is none of them breaks where it starts. */
function literalEnd(text: string, at: number): number {
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, at)) return at + word.length;
    return -(at + 1);
}
