/**
 * Support for the hardening tests: how many runs the properties get (a few in `npm test`, many
 * under `npm run fuzz`), the example packs compiled once, and generators of valid session records.
 */
import fc from 'fast-check';
import type { PolicyBundle } from '@payrule/engine';

/** `PAYRULE_FUZZ_RUNS=5000 npm run fuzz` raises every property's runs; `npm test` keeps them small. */
export const FUZZ_RUNS = Number(process.env.PAYRULE_FUZZ_RUNS ?? 0) || 0;
/** Fixed unless PAYRULE_FUZZ_SEED says otherwise, so `npm test` sees the same cases every time. */
export const SEED = Number(process.env.PAYRULE_FUZZ_SEED ?? 20260408);

/** fast-check parameters: `runs` in `npm test`, PAYRULE_FUZZ_RUNS under `npm run fuzz`. */
export function fuzz(runs: number): fc.Parameters<unknown> {
    return { seed: SEED, numRuns: FUZZ_RUNS > 0 ? FUZZ_RUNS : runs, endOnFailure: true };
}

/** Time allowed to a property under `npm run fuzz` (vitest's own timeout applies otherwise). */
export const FUZZ_TIMEOUT = FUZZ_RUNS > 0 ? 60 * 60_000 : undefined;

/** The example packs (Medicare, Acme PPO and the code catalog), compiled from their sources once. */
export { examplePacks } from '../throughput/sessions.js';

/** The minutes-to-units table (CMS and AMA alike): whole 15-minute units, one more for a remainder of 8 or more. */
export function tableUnits(minutes: number): number {
    return Math.floor(minutes / 15) + (minutes % 15 >= 8 ? 1 : 0);
}

export interface RawLine {
    code: string;
    minutes?: number;
    units: number;
    modifiers: string[];
}

export interface RawSession {
    id: string;
    patient: string;
    date: string;
    payer: string;
    discipline: 'PT' | 'OT' | 'SLP';
    lines: RawLine[];
    note?: Record<string, string>;
    totalMinutes?: number;
}

/**
 * Valid sessions for the example payers in 2026: each patient bills one payer and one discipline,
 * ids are unique, codes are distinct within a session (so units per code read off directly).
 */
export function sessionsArbitrary(bundle: PolicyBundle, options: { maxSessions?: number } = {}): fc.Arbitrary<RawSession[]> {
    const timed = Object.entries(bundle.codes).filter(([, info]) => info.timed).map(([code]) => code).sort();
    const untimed = Object.entries(bundle.codes).filter(([, info]) => !info.timed).map(([code]) => code).sort();
    const line = fc.oneof(
        { weight: 4, arbitrary: fc.record({ code: fc.constantFrom(...timed), minutes: fc.integer({ min: 0, max: 130 }), units: fc.integer({ min: 0, max: 9 }) }) },
        { weight: 1, arbitrary: fc.record({ code: fc.constantFrom(...untimed), units: fc.integer({ min: 0, max: 2 }) }) }
    ).chain(base => fc.subarray(['GP', 'GO', 'GN', 'KX', '59', 'CQ']).map(modifiers => ({ ...base, modifiers })));
    const session = fc.record({
        patient: fc.integer({ min: 1, max: 6 }),
        day: fc.integer({ min: 1, max: 28 }),
        month: fc.integer({ min: 1, max: 12 }),
        lines: fc.uniqueArray(line, { minLength: 1, maxLength: 5, selector: l => l.code }),
        note: fc.option(fc.record({
            'total-timed-minutes': fc.nat(200).map(String),
            activities: fc.constantFrom('Floor-to-counter lift of 10 lb box x10 with cues for hip hinge', 'therapeutic activities performed'),
            'functional-goals': fc.constant('Return to home maintenance: lift 20 lb to counter'),
            'patient-response': fc.constantFrom('Needed 2 verbal cues; no pain increase', 'tolerated well')
        }), { nil: undefined })
    });
    return fc.array(session, { minLength: 1, maxLength: options.maxSessions ?? 25 }).map(list => list.map((s, index) => {
        const payer = s.patient % 2 === 0 ? 'acme-ppo' : 'medicare';
        const discipline = (['PT', 'OT', 'SLP'] as const)[s.patient % 3]!;
        return {
            id: `S-${index + 1}`,
            patient: `P-${s.patient}`,
            date: `2026-${String(s.month).padStart(2, '0')}-${String(s.day).padStart(2, '0')}`,
            payer,
            discipline,
            lines: s.lines,
            ...(s.note ? { note: s.note } : {})
        };
    }));
}

/** A permutation of `items` chosen by fast-check. */
export function permutation<T>(items: readonly T[]): fc.Arbitrary<T[]> {
    return fc.array(fc.nat(), { minLength: items.length, maxLength: items.length }).map(keys =>
        items.map((item, i) => ({ item, key: keys[i]!, i })).sort((a, b) => a.key - b.key || a.i - b.i).map(entry => entry.item));
}
