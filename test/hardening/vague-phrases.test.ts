/**
 * Vague phrases are plain text, never patterns: the language has no regular-expression-like
 * construct, so nothing a pack writes can backtrack. Checked with the worst a pack may write
 * (a clause of 100 phrases of up to 200 characters, all alike) against long adversarial notes
 * (10 MB of near-misses, of exact repeats, of regex metacharacters): each evaluates in seconds.
 */
import { describe, expect, test } from 'vitest';
import { evaluate, parseSessionRecord, type PolicyBundle } from '@payrule/engine';
import { buildPolicy } from './policy-text.js';

/** 100 phrases of 49 words each (under 200 characters), all starting alike: the most matching work a clause allows. */
const PHRASES = Array.from({ length: 100 }, (_, i) => `${'a '.repeat(48)}b${i}`);
const METACHARACTERS = ['(a+)+$', '.*.*.*=.*', '^(a|a?)+$', '[\\s\\S]*?x', '\\1\\2(?=a)'];

let policy: PolicyBundle;

async function policyWith(phrases: string[]): Promise<PolicyBundle> {
    const quoted = phrases.map(phrase => JSON.stringify(phrase)).join(', ');
    return buildPolicy(`package vague
code 97530 timed for PT "Therapeutic activities"
payer P id "p" {
    effective 2026-01-01 through 2026-12-31
    documentation notes warning "{element} is vague" requires activities activities not vague ${quoted} source "s"
}
`);
}

function timeNote(bundle: PolicyBundle, note: string) {
    const parsed = parseSessionRecord({
        id: 'S-1', patient: 'P-1', date: '2026-03-04', payer: 'p', discipline: 'PT',
        lines: [{ code: '97530', minutes: 38, units: 3, modifiers: [] }], note: { activities: note }
    }, 1);
    if (!parsed.ok) throw new Error(parsed.error);
    const started = Date.now();
    const report = evaluate(bundle, [{ session: parsed.session, record: 1 }], []);
    return { ms: Date.now() - started, findings: report.sessions[0]!.findings.map(f => f.message) };
}

describe('vague phrases against adversarial notes', () => {
    test('the worst clause a pack may write compiles', async () => {
        policy = await policyWith(PHRASES);
        expect(policy.payers[0]!.rules[0]).toMatchObject({ kind: 'documentation' });
    });

    test('10 MB of near-misses (every phrase but its last word) is specific, found in seconds', () => {
        const note = `${'a '.repeat(48)}c `.repeat(105_000);
        expect(note.length).toBeGreaterThan(10_000_000);
        const { ms, findings } = timeNote(policy, note);
        expect(findings).toEqual([]);
        expect(ms).toBeLessThan(5_000);
    });

    test('10 MB of nothing but the last phrase, repeated, is vague, found in seconds', () => {
        const note = `${PHRASES[99]} `.repeat(105_000);
        const { ms, findings } = timeNote(policy, note);
        expect(findings).toEqual(['activities is vague']);
        expect(ms).toBeLessThan(10_000);
    });

    test('phrases and notes full of regular-expression metacharacters are matched as words', async () => {
        const meta = await policyWith(METACHARACTERS);
        const note = `${METACHARACTERS.join(' ')} `.repeat(200_000);
        const { ms, findings } = timeNote(meta, note);
        // Punctuation is not part of words: the phrases are the words a, s, s, x, 1, 2, a...
        expect(findings).toEqual(['activities is vague']);
        expect(ms).toBeLessThan(5_000);
        expect(timeNote(meta, 'Lifted a 10 lb box to the counter with cues').findings).toEqual([]);
    });
});
