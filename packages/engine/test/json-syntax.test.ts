import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBreak, jsonSyntaxReason } from '../src/util/json-syntax.js';
import { describeText } from '../src/util/text.js';

/** JSON text with a few characters inserted, deleted or replaced, sometimes cut short. */
const mutatedJson = fc.tuple(
    fc.jsonValue({ maxDepth: 4 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...'{}[]":,-0123456789.eE+truefalsn \\\tx\n\u0001é')), { maxLength: 3 }),
    fc.option(fc.nat())
).map(([value, edits, cut]) => {
    let text = JSON.stringify(value) ?? 'null';
    for (const [at, edit, char] of edits) {
        const p = at % (text.length + 1);
        text = edit === 'insert' ? text.slice(0, p) + char + text.slice(p) : edit === 'delete' ? text.slice(0, p) + text.slice(p + 1) : text.slice(0, p) + char + text.slice(p + 1);
    }
    return cut === null ? text : text.slice(0, cut % (text.length + 1));
});

/** What JSON.parse throws for the text, or undefined when it parses. */
function parseError(text: string): unknown {
    try {
        JSON.parse(text);
        return undefined;
    } catch (error) {
        return error;
    }
}

const reason = (text: string) => jsonSyntaxReason(parseError(text), text);

describe('where JSON text breaks (jsonBreak, jsonSyntaxReason)', () => {
    it('finds a break exactly when JSON.parse refuses the text', () => {
        fc.assert(fc.property(mutatedJson, text => {
            expect(jsonBreak(text) === undefined).toBe(parseError(text) === undefined);
        }), { seed: 20260408, numRuns: 2000 });
    });

    it('names the position and what was expected, never the text', () => {
        const text = '{"id":"S-1","note":{"activities":Jane Q. Roe lifted 10 lb}}';
        expect((parseError(text) as Error).message).toContain('Jane');
        expect(reason(text)).toBe('Unexpected character in JSON at position 33: expected a value (text goes in double quotes)');
        expect(jsonBreak('[1,]')).toEqual({ at: 3, expected: 'a value (text goes in double quotes)' });
        expect(jsonBreak('{"a" 1}')).toEqual({ at: 5, expected: "':' after the field name" });
        expect(jsonBreak('{"a":1} x')).toEqual({ at: 8, expected: 'the end of the input' });
        expect(jsonBreak('[{"a":1}')).toEqual({ at: 8, expected: "',' or the end of the object or list" });
    });

    it('keeps V8\'s messages that only name a position, with the line and column past the first line', () => {
        expect(reason('{"a":1,}')).toBe('Expected double-quoted property name in JSON at position 7');
        expect(reason('[\n  {"a":1,}]')).toBe('Expected double-quoted property name in JSON at position 11 (line 2, column 10)');
        expect(reason('{"a":1}}')).toBe('Unexpected non-whitespace character after JSON at position 7');
        expect(reason('[{"a":')).toBe('Unexpected end of JSON input');
    });
});

describe('describeText', () => {
    it('quotes one short word (a code, a number, a date) and gives the length of anything else', () => {
        expect(describeText('PTA')).toBe('"PTA"');
        expect(describeText('2026-03-04T10:00:00Z')).toBe('"2026-03-04T10:00:00Z"');
        expect(describeText('')).toBe('""');
        expect(describeText('Jane Q. Roe')).toBe('text of 11 characters');
        expect(describeText('x'.repeat(25))).toBe('text of 25 characters');
        expect(describeText('  ')).toBe('blank text');
    });
});
