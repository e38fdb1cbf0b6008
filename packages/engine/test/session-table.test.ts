/**
 * The two-pass index gives back what was put in: every session's id, date, declaration,
 * discipline, counts and lines (across many blocks of storage), each timeline in date then id
 * order, and each session's facts.
 */
import { describe, expect, it } from 'vitest';
import type { SessionFacts } from '../src/evaluate/history.js';
import { headEntry, type SessionHead } from '../src/stream/codec.js';
import { FactsTable, SessionTable } from '../src/stream/session-table.js';

function heads(count: number): SessionHead[] {
    const result: SessionHead[] = [];
    for (let i = 0; i < count; i++) {
        const patient = `P-${i % 97}`;
        const date = `2026-${String(1 + (i * 7) % 12).padStart(2, '0')}-${String(1 + (i * 13) % 28).padStart(2, '0')}`;
        // Counts as PayerTrackers.countsOf gives them: pairs of tracker position and amount.
        const counts = i % 3 === 0 ? [] : i % 3 === 1 ? [i % 4, 2] : [1, 1, 5, i % 2 === 0 ? -1 : 4480];
        // Long ids and lines now and then, and ids that are not ASCII: texts fill many blocks.
        // ... and ids UTF-8 cannot hold as they are (a lone surrogate), or with a colon or an emoji in them.
        const id = i % 1000 === 0 ? `S-${'x'.repeat(5000)}-${i}` : i % 501 === 0 ? `S-\ud800${i}` : i % 307 === 0 ? `S:😀:${i}` : `S-${i}${i % 7 === 0 ? 'é' : ''}`;
        const lines = JSON.stringify([['97110', (i % 60) + 1, 2, i % 3 === 0 ? null : 31.5, ['GP']], ['97140', null, 1, null, []]]);
        result.push([id, patient, date, i % 2 === 0 ? 'medicare' : 'acme-ppo', (['PT', 'OT', 'SLP'] as const)[i % 3]!, i % 3, counts, lines]);
    }
    return result;
}

describe('the two-pass session table', () => {
    const all = heads(60_000);
    const table = new SessionTable();
    all.forEach(head => table.add(head));

    it('gives back each session as it was added', () => {
        for (const index of [0, 1, 307, 501, 999, 1000, 1001, 31_337, 59_999]) {
            const head = all[index]!;
            const item = table.replayItem(index);
            expect(item).toMatchObject({ id: head[0], date: head[2], discipline: head[4], policy: head[5], counts: head[6] });
            const entry = typeof item.entry === 'function' ? item.entry() : item.entry;
            expect(entry).toEqual({ ...headEntry(head), policy: head[5] });
        }
    });

    it('lists every session once, each timeline in date then id order', () => {
        const seen = new Set<number>();
        for (const timeline of table.timelines()) {
            const keys = Array.from(timeline, index => `${all[index]![1]}|${all[index]![3]}`);
            expect(new Set(keys).size).toBe(1);
            const order = Array.from(timeline, index => [all[index]![2], all[index]![0]] as const);
            const sorted = [...order].sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
            expect(order).toEqual(sorted);
            for (const index of timeline) seen.add(index);
        }
        expect(seen.size).toBe(all.length);
    });
});

describe('the two-pass facts table', () => {
    it('gives each session\'s facts as they were set', () => {
        const facts: SessionFacts[] = Array.from({ length: 300 }, (_, i) => ({
            visitOfYear: i + 1,
            limits: i % 3 === 0 ? [] : [i % 4, i * 2, 1],
            thresholds: i % 5 === 0 ? [7, 123_456_789.25] : [],
            ...(i % 50 === 0 ? { sameDate: [headEntry(heads(1)[0]!)] } : {})
        }));
        const table = new FactsTable(facts.length);
        // Set in another order than read, as the replay goes timeline by timeline.
        for (let i = facts.length - 1; i >= 0; i--) table.set(i, facts[i]!);
        for (let k = 0; k < facts.length; k++) expect(table.get(k)).toEqual({ sameDate: undefined, ...facts[k] });
    });
});
