/**
 * One linear pass over a policy's text before the generated lexer sees it, following the
 * grammar's terminals: strings ("..." with backslash escapes, across lines), `//` and block
 * comments. The generated lexer tries every token at each position it cannot read, and
 * retries a string or a comment that never closes from every later quote or `/*`: on a large
 * hostile file that is quadratic. So the scan finds the first string or comment that never
 * closes (the lexer then reads the text before it only), and refuses text that is mostly not
 * policy language at all.
 */
import { POLICY_LIMITS, type LimitProblem } from './policy-limits.js';

export interface TextScan {
    /** The text from `cut.offset` on is one string or comment that never closes: lex only what comes before. */
    cut?: LimitProblem;
    /** The text is refused as a whole. */
    refusal?: LimitProblem;
}

/** Characters outside strings and comments that the language has no token for, beyond which a file is not read. */
export const MAX_STRAY_CHARACTERS = 1_000;

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;
const WHITESPACE = /\s/;

export function scanPolicyText(text: string): TextScan {
    let stray = 0;
    let i = 0;
    const n = text.length;
    const at = (offset: number, length: number, message: string): LimitProblem => ({ ...lineAndColumn(text, offset), offset, length, message });
    while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 0x22 /* " */) {
            const end = stringEnd(text, i);
            if (end.kind === 'open') {
                return { cut: at(i, 1, 'This string is not closed: the closing " is missing.') };
            }
            if (end.kind === 'line-break') {
                return { cut: at(i, 1, 'This string has a backslash at the end of a line: write \\n for a line break, or close the string.') };
            }
            if (end.offset - i > POLICY_LIMITS.stringChars) {
                return { refusal: at(i, 1, `This string has ${(end.offset - i).toLocaleString('en-US')} characters; a string may have at most ${POLICY_LIMITS.stringChars.toLocaleString('en-US')}.`) };
            }
            i = end.offset;
        } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a /* * */) {
            const close = text.indexOf('*/', i + 2);
            if (close < 0) return { cut: at(i, 2, 'This comment is not closed: the closing */ is missing.') };
            i = close + 2;
        } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
            while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
        } else {
            if (!startsToken(text, i, c)) {
                if (++stray > MAX_STRAY_CHARACTERS) {
                    const first = firstStray(text);
                    return {
                        refusal: at(first, 1, `This does not look like a policy file: more than ${MAX_STRAY_CHARACTERS.toLocaleString('en-US')} characters `
                            + 'outside strings and comments are not part of the policy language (the first is here).')
                    };
                }
            }
            i++;
        }
    }
    return {};
}

type StringEnd = { kind: 'closed'; offset: number } | { kind: 'open' } | { kind: 'line-break' };

/** Where the string opened at `start` ends (the offset after its closing quote), as the STRING terminal reads it. */
function stringEnd(text: string, start: number): StringEnd {
    let i = start + 1;
    while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 0x22) return { kind: 'closed', offset: i + 1 };
        if (c === 0x5c /* \ */) {
            // `\\.`: the escaped character may be anything but a line terminator.
            if (i + 1 >= text.length) return { kind: 'open' };
            if (LINE_TERMINATOR.test(text[i + 1]!)) return { kind: 'line-break' };
            i += 2;
        } else {
            i++;
        }
    }
    return { kind: 'open' };
}

/** Whether a token (or whitespace) can start at `i`, outside strings and comments. */
function startsToken(text: string, i: number, c: number): boolean {
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) return true;
    switch (c) {
        case 0x28: case 0x29: case 0x7b: case 0x7d: case 0x2c: case 0x2e: case 0x3d: case 0x3c: case 0x3e:
        case 0x2b: case 0x2d: case 0x2a: case 0x2f:
            return true;
        case 0x24: /* $ */ {
            const next = text.charCodeAt(i + 1);
            return next >= 0x30 && next <= 0x39;
        }
        case 0x21: /* ! */ return text.charCodeAt(i + 1) === 0x3d;
        // Whitespace (the WS terminal is /\s+/); other control characters are stray.
        default: return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x80 && WHITESPACE.test(text[i]!));
    }
}

/** The first stray character (scanned again only when the file is refused). */
function firstStray(text: string): number {
    let i = 0;
    while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 0x22) {
            const end = stringEnd(text, i);
            if (end.kind !== 'closed') return i;
            i = end.offset;
        } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
            const close = text.indexOf('*/', i + 2);
            if (close < 0) return i;
            i = close + 2;
        } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
            while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
        } else {
            if (!startsToken(text, i, c)) return i;
            i++;
        }
    }
    return 0;
}

/** 1-based line and column of an offset (columns count UTF-16 units, as the lexer's do). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
            line++;
            lineStart = i + 1;
        }
    }
    return { line, column: offset - lineStart + 1 };
}
