/**
 * `documentation`: for sessions billing the rule's codes (all sessions when none), each required
 * note element must be present, not blank, and at least `minLength` characters; an element is too
 * vague when, once the listed phrases are taken out (case, punctuation and spacing ignored), fewer
 * than 3 words remain. Only linear scans: no patterns from the policy ever run.
 * Placeholders: element, code (the billed codes the rule covers), length, minLength, words (words
 * left after removing the phrases).
 */
import type { DocumentationRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { own } from '../util/records.js';
import { listWords } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

const MIN_SPECIFIC_WORDS = 3;

export function evaluateDocumentation(rule: DocumentationRule, context: RuleContext): Finding[] {
    const { session } = context;
    if (rule.codes && !session.lines.some(line => rule.codes!.includes(line.code))) return [];
    const findings: Finding[] = [];
    // Elements already reported missing or short (a vague finding on them would say the same twice); most sessions have none.
    let reported: string[] | undefined;
    for (const element of rule.requires) {
        const text = own(session.note, element)?.trim() ?? '';
        if (text === '') {
            findings.push(missing(rule, context, element));
            (reported ??= []).push(element);
        } else if (rule.minLength !== undefined && text.length < rule.minLength) {
            findings.push(tooShort(rule, context, element, text.length, rule.minLength));
            (reported ??= []).push(element);
        }
    }
    for (const clause of rule.vague) {
        const text = own(session.note, clause.element)?.trim() ?? '';
        if (text === '' || reported?.includes(clause.element)) continue;
        const left = countWordsBeyond(text, clause.phrases, MIN_SPECIFIC_WORDS);
        if (left < MIN_SPECIFIC_WORDS) findings.push(vague(rule, context, clause.element, text, left));
    }
    return findings;
}

/** Lower-case words of the text: letters and digits only, so punctuation and spacing do not matter. */
export function words(text: string): string[] {
    return asciiWords(text) ?? text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(word => word !== '');
}

/** The same for text that is all ASCII (letters a-z, digits), without the Unicode pattern; undefined otherwise. */
function asciiWords(text: string): string[] | undefined {
    const result: string[] = [];
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
        const c = i < text.length ? text.charCodeAt(i) : 32;
        if (c >= 128) return undefined;
        const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
        if (word) {
            if (start < 0) start = i;
        } else if (start >= 0) {
            result.push(text.slice(start, i).toLowerCase());
            start = -1;
        }
    }
    return result;
}

interface PhraseWords {
    all: string[][];
    byFirst: Map<string, string[][]>;
    longest: number;
    /** Every word of the phrases, by wordHash of its letters. */
    vocabulary: Map<number, string[]>;
}

/** Phrases as word lists, longest first, and by first word (same order), computed once per list of phrases. */
const phraseCache = new WeakMap<readonly string[], PhraseWords>();

function phraseWordsOf(phrases: readonly string[]): PhraseWords {
    let cached = phraseCache.get(phrases);
    if (!cached) {
        const all = phrases.map(words).filter(phrase => phrase.length > 0).sort((a, b) => b.length - a.length);
        const byFirst = new Map<string, string[][]>();
        const vocabulary = new Map<number, string[]>();
        for (const phrase of all) {
            const list = byFirst.get(phrase[0]!);
            if (list) list.push(phrase);
            else byFirst.set(phrase[0]!, [phrase]);
            for (const word of phrase) {
                const hash = wordHash(word, 0, word.length);
                const same = vocabulary.get(hash) ?? [];
                if (!same.includes(word)) same.push(word);
                vocabulary.set(hash, same);
            }
        }
        phraseCache.set(phrases, (cached = { all, byFirst, longest: Math.max(1, ...all.map(phrase => phrase.length)), vocabulary }));
    }
    return cached;
}

/** FNV-1a over the lower-cased ASCII letters and digits of text[start, end). */
function wordHash(text: string, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ lowerAscii(text.charCodeAt(i)), 0x01000193);
    return hash >>> 0;
}

function lowerAscii(c: number): number {
    return c >= 65 && c <= 90 ? c + 32 : c;
}

/** The phrase (longest first) that starts at token i, if any. */
function phraseAt(tokens: readonly string[], i: number, byFirst: Map<string, string[][]>): string[] | undefined {
    const candidates = byFirst.get(tokens[i]!);
    if (!candidates) return undefined;
    // Loops rather than find and every: this runs for each word of every note, and closures are made per call.
    for (const phrase of candidates) {
        let k = 1;
        while (k < phrase.length && tokens[i + k] === phrase[k]) k++;
        if (k === phrase.length) return phrase;
    }
    return undefined;
}

/** The words that remain once every occurrence of the phrases is removed, longest phrase first. */
export function wordsBeyond(text: string, phrases: readonly string[]): string[] {
    const tokens = words(text);
    const { byFirst } = phraseWordsOf(phrases);
    const left: string[] = [];
    let i = 0;
    while (i < tokens.length) {
        const match = phraseAt(tokens, i, byFirst);
        if (match) i += match.length;
        else left.push(tokens[i++]!);
    }
    return left;
}

/** How many words wordsBeyond leaves, counting no further than `enough` (reading no further than it needs). */
export function countWordsBeyond(text: string, phrases: readonly string[], enough: number): number {
    const { byFirst, longest, vocabulary } = phraseWordsOf(phrases);
    // Text that is not all ASCII: the same count over all its words (any alphabet).
    return countLeft(ASCII_WORDS.start(text, vocabulary), byFirst, enough, longest) ?? countLeft(new AllWords(words(text)), byFirst, enough, 1)!;
}

/** A note's words as countLeft reads them: tokens, read on demand as far as it looks. */
interface WordSource {
    readonly tokens: readonly string[];
    /** Reads tokens as far as `end` (exclusive), or all there are; false when it cannot (the text is not ASCII). */
    readTo(end: number): boolean;
}

/** Words already cut. */
class AllWords implements WordSource {
    constructor(readonly tokens: readonly string[]) {}

    readTo(): boolean {
        return true;
    }
}

/**
 * Words of `source`'s tokens left once the phrases are skipped, counted up to `enough`; undefined
 * when the source cannot read its text.
 */
function countLeft(source: WordSource, byFirst: Map<string, string[][]>, enough: number, longest: number): number | undefined {
    const tokens = source.tokens;
    let left = 0;
    let i = 0;
    while (left < enough) {
        if (!source.readTo(i + longest)) return undefined;
        if (i >= tokens.length) break;
        const match = phraseAt(tokens, i, byFirst);
        if (match) i += match.length;
        else {
            left++;
            i++;
        }
    }
    return left;
}

/**
 * The words of ASCII text one at a time, as asciiWords cuts them; stops (foreign = true) at the
 * first other character. Only whether a word is one of the phrases' matters, so a word of the
 * vocabulary comes back as that word and any other as OTHER_WORD: no string made per word of a note.
 * One reader serves every note in turn (start()), with one list of tokens: this runs for every session.
 * So a count must finish before the next starts: countLeft calls nothing that could start another.
 */
class AsciiWordReader implements WordSource {
    private text = '';
    private vocabulary: Map<number, string[]> = new Map();
    private at = 0;
    private foreign = false;
    readonly tokens: string[] = [];

    start(text: string, vocabulary: Map<number, string[]>): this {
        this.text = text;
        this.vocabulary = vocabulary;
        this.at = 0;
        this.foreign = false;
        this.tokens.length = 0;
        return this;
    }

    readTo(end: number): boolean {
        while (this.tokens.length < end) {
            const word = this.next();
            if (word === undefined) return !this.foreign;
            this.tokens.push(word);
        }
        return true;
    }

    private next(): string | undefined {
        const text = this.text;
        let start = -1;
        for (; this.at <= text.length; this.at++) {
            const c = this.at < text.length ? text.charCodeAt(this.at) : 32;
            if (c >= 128) {
                this.foreign = true;
                return undefined;
            }
            const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
            if (word) {
                if (start < 0) start = this.at;
            } else if (start >= 0) {
                return this.known(start, this.at++);
            }
        }
        return undefined;
    }

    /** The vocabulary word text[start, end) is, lower-cased, or OTHER_WORD. */
    private known(start: number, end: number): string {
        const candidates = this.vocabulary.get(wordHash(this.text, start, end));
        if (!candidates) return OTHER_WORD;
        for (const candidate of candidates) {
            if (candidate.length !== end - start) continue;
            let same = true;
            for (let i = 0; same && i < candidate.length; i++) same = candidate.charCodeAt(i) === lowerAscii(this.text.charCodeAt(start + i));
            if (same) return candidate;
        }
        return OTHER_WORD;
    }
}

const ASCII_WORDS = new AsciiWordReader();

/** Stands for a word that is in no phrase: never equal to a word (words are not empty). */
const OTHER_WORD = '';

function missing(rule: DocumentationRule, context: RuleContext, element: string): Finding {
    return makeFinding(rule, context, {
        message: `The note has no ${element} element`,
        values: { element, code: coveredCodes(rule, context) },
        explain: [`${rule.id} requires ${element} in the note${codesClause(rule, context)}`],
        fix: `Add the ${element} element to the note`
    });
}

function tooShort(rule: DocumentationRule, context: RuleContext, element: string, length: number, minLength: number): Finding {
    return makeFinding(rule, context, {
        message: `The note's ${element} is ${length} characters; at least ${minLength} are needed`,
        values: { element, code: coveredCodes(rule, context), length, minLength },
        explain: [`${rule.id} requires ${element} of at least ${minLength} characters${codesClause(rule, context)}`],
        fix: `Expand the ${element} element of the note`
    });
}

function vague(rule: DocumentationRule, context: RuleContext, element: string, text: string, left: number): Finding {
    return makeFinding(rule, context, {
        message: `The note's ${element} is too vague: "${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`,
        values: { element, code: coveredCodes(rule, context), words: left },
        explain: [
            `Without the stock phrases the payer does not accept, ${left === 1 ? '1 word remains' : `${left} words remain`}; at least ${MIN_SPECIFIC_WORDS} specific words are needed`
        ],
        fix: `Describe the ${element} specifically: what was done, with what load, cues or assistance, and the result`
    });
}

/** The session's codes the rule is about (all of them when the rule names none). */
function billedCodes(rule: DocumentationRule, context: RuleContext): string[] {
    return [...new Set(context.session.lines.map(line => line.code).filter(code => !rule.codes || rule.codes.includes(code)))];
}

function coveredCodes(rule: DocumentationRule, context: RuleContext): string {
    return listWords(billedCodes(rule, context), 'and');
}

function codesClause(rule: DocumentationRule, context: RuleContext): string {
    if (!rule.codes) return '';
    const billed = billedCodes(rule, context);
    return ` when ${listWords(billed, 'and')} ${billed.length === 1 ? 'is' : 'are'} billed`;
}
