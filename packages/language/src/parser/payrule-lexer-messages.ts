/**
 * Characters the language cannot read, in the words of the people who write policies: text
 * pasted from a word processor brings curly quotes, dashes and invisible characters that look
 * right on screen. "The curly quote “ is not read here: type a straight double quote (")" rather
 * than the lexer's "unexpected character: ->“<- at offset: 91, skipped 1 characters."
 */
import { DefaultLexerErrorMessageProvider } from 'langium';

/** Quotes a word processor puts in for `"`. */
const DOUBLE_QUOTES: Record<number, string> = {
    0x201c: 'curly quote', 0x201d: 'curly quote', 0x201e: 'low curly quote', 0x201f: 'curly quote', 0x2033: 'double prime',
    0x00ab: 'quote mark', 0x00bb: 'quote mark', 0xff02: 'wide quote'
};

/** Single quotes, straight or curly: text goes in double quotes. */
const SINGLE_QUOTES: Record<number, string> = {
    0x0027: 'single quote', 0x0060: 'backtick', 0x2018: 'curly quote', 0x2019: 'curly quote', 0x201a: 'low curly quote',
    0x201b: 'curly quote', 0x2032: 'prime'
};

/** Dashes that stand where a hyphen belongs (`per-code`, `mue-97530`, a minus). */
const DASHES: Record<number, string> = {
    0x2010: 'Unicode hyphen, U+2010', 0x2011: 'non-breaking hyphen', 0x2012: 'figure dash', 0x2013: 'en dash', 0x2014: 'em dash',
    0x2015: 'horizontal bar', 0x2212: 'minus sign', 0xfe63: 'small hyphen, U+FE63', 0xff0d: 'wide hyphen, U+FF0D'
};

/** Characters that take no room on screen. */
const INVISIBLE: Record<number, string> = {
    0x00ad: 'soft hyphen', 0x200b: 'zero-width space', 0x200c: 'zero-width non-joiner', 0x200d: 'zero-width joiner',
    0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark', 0x2060: 'word joiner', 0x2061: 'invisible function application',
    0x2062: 'invisible times', 0x2063: 'invisible separator', 0x2064: 'invisible plus'
};

export class PayruleLexerErrorMessageProvider extends DefaultLexerErrorMessageProvider {
    override buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number, line?: number, column?: number): string {
        const skipped = [...fullText.slice(startOffset, startOffset + length)];
        if (skipped.length === 0) return super.buildUnexpectedCharactersMessage(fullText, startOffset, length, line, column);
        const message = `${unreadCharacter(skipped[0]!, fullText.slice(startOffset + skipped[0]!.length))}.`;
        const more = skipped.length - 1;
        if (more === 0) return message;
        return `${message} ${more === 1 ? 'The character after it is' : `The ${more} characters after it are`} not read either.`;
    }
}

/** What to say of a character the language has no use for, without the final full stop. */
export function unreadCharacter(character: string, after: string): string {
    const code = character.codePointAt(0)!;
    const point = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    if (DOUBLE_QUOTES[code]) return `The ${DOUBLE_QUOTES[code]} ${character} is not read here: type a straight double quote (")`;
    if (SINGLE_QUOTES[code]) return `The ${SINGLE_QUOTES[code]} ${character} is not read here: text goes in straight double quotes ("...")`;
    if (DASHES[code]) return `The dash ${character} (${DASHES[code]}) is not read here: type a hyphen (-)`;
    if (INVISIBLE[code]) return `An invisible character (${INVISIBLE[code]}, ${point}) is here: delete it`;
    if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u.test(character)) return `An invisible character (${point}) is here: delete it`;
    if (character === '$') return 'The character $ is not read here: an amount has its digits right after the $, as in $2,480.00';
    if (character === '!' && after.startsWith(' =')) return 'The character ! is not read here: write != with no space between';
    if (code < 0x80) return `The character ${character} is not read here`;
    if (/\p{L}/u.test(character)) {
        return `The character ${character} (${point}) is not read here: outside double quotes, names use only the letters A to Z, digits, '_' and '-'`;
    }
    return `The character ${character} (${point}) is not read here`;
}
