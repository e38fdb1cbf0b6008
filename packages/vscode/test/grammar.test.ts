/**
 * The TextMate grammar's domain patterns on real policy text. TextMate regexes are Oniguruma;
 * these use only syntax that JavaScript reads the same way, so they are tried with RegExp.
 */
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain ES module script without types
import { mergeGrammar } from '../scripts/build.mjs';

interface Rule { match?: string; begin?: string; end?: string; name?: string; patterns?: Rule[]; include?: string; captures?: Record<string, { name: string }> }
const grammar = mergeGrammar() as { patterns: Rule[]; repository: Record<string, Rule> };

/** Every regex of the grammar, compiled. */
function allRegexes(rule: Rule): RegExp[] {
    return [rule.match, rule.begin, rule.end].filter((s): s is string => s !== undefined).map(s => new RegExp(s))
        .concat((rule.patterns ?? []).flatMap(allRegexes));
}

function matches(part: string, text: string): string[] {
    const rule = grammar.repository[part]!;
    const regex = new RegExp(rule.match!, 'g');
    return [...text.matchAll(regex)].map(m => m[0]);
}

describe('TextMate grammar', () => {
    test('every pattern compiles', () => {
        for (const rule of Object.values(grammar.repository)) expect(() => allRegexes(rule)).not.toThrow();
    });

    test('codes, money, dates and numbers', () => {
        expect(matches('codes', 'limit mue error 97530, G0283, 0001F at most 6 units per day')).toEqual(['97530', 'G0283', '0001F']);
        expect(matches('money', 'exceeds $2,480.00 and $36.12 or $3000')).toEqual(['$2,480.00', '$36.12', '$3000']);
        expect(matches('dates', 'effective 2026-01-01 through 2026-12-31')).toEqual(['2026-01-01', '2026-12-31']);
        expect(matches('numbers', 'at most 6 units, tolerance 0.5 minutes')).toEqual(['6', '0.5']);
    });

    test('rule headers name the kind, the id and the severity', () => {
        const header = new RegExp(grammar.repository['rule-header']!.match!);
        expect('    override limit mue-97530 error 97530 at most 4'.match(header)?.slice(1, 5)).toEqual(['override', 'limit', 'mue-97530', 'error']);
        expect('    threshold kx warning "msg"'.match(header)?.slice(1, 5)).toEqual([undefined, 'threshold', 'kx', 'warning']);
    });

    test('modifier lists: after modifier or modifiers, up to the condition', () => {
        const list = grammar.repository['modifier-list']!;
        const begin = new RegExp(list.begin!);
        const end = new RegExp(list.end!);
        const line = 'pair p error 97530 with 97164 needs modifier 59 or XE or XU source "NCCI"';
        const start = line.search(begin);
        const rest = line.slice(start + 'modifier'.length);
        const inside = rest.slice(0, rest.search(end));
        const modifier = new RegExp(list.patterns!.find(p => p.name?.startsWith('constant.language.modifier'))!.match!, 'g');
        expect(inside.match(modifier)).toEqual(['59', 'XE', 'XU']);
    });

    test('comments and strings come before everything, the generated keywords after the domain patterns', () => {
        expect(grammar.patterns[0]).toEqual({ include: '#comments' });
        expect(grammar.patterns[1]!.name).toBe('string.quoted.double.payrule');
        const keywords = grammar.patterns.findIndex(p => p.name === 'keyword.control.payrule');
        expect(keywords).toBe(grammar.patterns.length - 1);
    });
});
