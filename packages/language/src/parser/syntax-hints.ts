/**
 * Hints added to syntax errors where the parser's own words miss the point. A note element's
 * name is one word (`plan-of-care-date`), but people write it as they say it: `requires plan of
 * care date` fails at `of` with "Expected '}'", and `stated in total timed minutes` at `total`
 * (a keyword) with "Expected a name". A filing limit without `of date of service` fails at the
 * next line. The error's place in the text tells what was meant.
 */
import type { IRecognitionException } from 'chevrotain';

/** Where a note element's name starts: after `requires` (or a comma of its list), `stated in` or a test's `note` (first on its line; `note.x` in a condition is a field). */
const ELEMENT_BEFORE = /(?:\brequires\s+(?:[A-Za-z][\w-]*\s*,\s*)*|\bstated\s+in\s+|^[ \t]*note\s+)$/;
/** A vague clause starts its line with the element's name, and `not vague` follows it. */
const LINE_START = /^[ \t]*$/;
const WORD = /[A-Za-z][\w-]*/y;
const GAP = /[ \t]+/y;

export function addSyntaxHints(text: string, errors: readonly IRecognitionException[]): void {
    for (const error of errors) {
        const offset = error.token.startOffset;
        if (!Number.isFinite(offset)) continue;
        const hint = elementNameHint(text, offset) ?? missingCommaHint(text, offset) ?? filingPhraseHint(text, offset);
        if (hint) error.message = `${error.message} ${hint}`;
    }
}

/** A hint when the error falls in a note element's name written as several words (at its first or second word). */
function elementNameHint(text: string, offset: number): string | undefined {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset);
    // The name starts at the error, or one word before it.
    const oneWordBefore = /([A-Za-z][\w-]*)[ \t]+$/.exec(before);
    for (const start of [offset, ...(oneWordBefore ? [lineStart + oneWordBefore.index] : [])]) {
        const context = text.slice(lineStart, start);
        const words = wordsFrom(text, start);
        const vague = words.length >= 3 && words.at(-2) === 'not' && words.at(-1) === 'vague';
        const name = vague ? words.slice(0, -2) : words;
        if (name.length < 2) continue;
        if (vague && LINE_START.test(context)) return `${oneWord(name)}.`;
        const element = ELEMENT_BEFORE.exec(context);
        // After `requires`, the words may be several elements with their commas left out.
        if (element) return element[0].startsWith('requires') ? `${oneWord(name)}; for several elements, put commas between them.` : `${oneWord(name)}.`;
    }
    return undefined;
}

/**
 * `requires activities functional-goals` (a comma left out) reads as a vague clause of
 * `functional-goals`, and fails at the next line's first word, expecting `not vague`.
 */
function missingCommaHint(text: string, offset: number): string | undefined {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    if (!LINE_START.test(text.slice(lineStart, offset))) return undefined;
    const list = /\brequires\s+((?:[A-Za-z][\w-]*\s*,\s*)*[A-Za-z][\w-]*)[ \t]+([A-Za-z][\w-]*)[ \t]*$/.exec(previousLine(text, lineStart) ?? '');
    return list ? `Put commas between the note elements after requires: requires ${list[1]}, ${list[2]}.` : undefined;
}

/** The last line before the one starting at `lineStart` that is neither blank nor a comment. */
function previousLine(text: string, lineStart: number): string | undefined {
    for (let end = lineStart - 1; end > 0;) {
        const start = text.lastIndexOf('\n', end - 1) + 1;
        const line = text.slice(start, end).replace(/\r$/, '');
        if (line.trim() !== '' && !line.trim().startsWith('//')) return line;
        end = start - 1;
    }
    return undefined;
}

/** A filing rule's time limit is counted from the date of service, and says so in full: `within 90 days of date of service`. */
function filingPhraseHint(text: string, offset: number): string | undefined {
    const within = /\bwithin\s+(\d+)\s+(days|months)(?:\s+of(?:\s+date(?:\s+of)?)?)?\s*$/.exec(text.slice(Math.max(0, offset - 200), offset));
    return within ? `A filing limit reads in full: within ${within[1]} ${within[2]} of date of service.` : undefined;
}

function oneWord(words: readonly string[]): string {
    return `A note element's name is one word: write ${words.join('-')}`;
}

/** The words from `offset` on, one space or tab apart, to the end of the line or the first other character. */
function wordsFrom(text: string, offset: number): string[] {
    const words: string[] = [];
    let at = offset;
    for (;;) {
        WORD.lastIndex = at;
        const word = WORD.exec(text);
        if (!word) break;
        words.push(word[0]);
        at = WORD.lastIndex;
        GAP.lastIndex = at;
        if (!GAP.exec(text)) break;
        at = GAP.lastIndex;
    }
    return words;
}
