/**
 * Properties of the engine over random valid sessions for the example payers (fast-check, fixed
 * seed): every record is evaluated or rejected, supported units follow the minutes-to-units table
 * (for a patient's day: the total of timed minutes under Medicare's pooled method, each code's
 * own minutes under Acme PPO's per-code method), findings do not depend on input order, and a policy compiled to IR JSON and
 * read back gives the same report. `npm run fuzz` runs many more cases.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { evaluate, parseSessionRecord, type PolicyBundle, type Rejection, type Report, type SessionInput } from '@payrule/engine';
import { examplePacks, fuzz, FUZZ_TIMEOUT, permutation, sessionsArbitrary, tableUnits, type RawSession } from './support.js';

const AS_OF = { asOf: '2027-01-15' };
let bundle: PolicyBundle;

beforeAll(async () => {
    bundle = await examplePacks();
});

/** Raw records through the engine's own validation, as the readers do. */
function inputs(raw: readonly unknown[]): { sessions: SessionInput[]; rejected: Rejection[] } {
    const sessions: SessionInput[] = [];
    const rejected: Rejection[] = [];
    raw.forEach((record, index) => {
        const parsed = parseSessionRecord(record, index + 1);
        if (parsed.ok) sessions.push({ session: parsed.session, record: index + 1 });
        else rejected.push({ record: index + 1, ...(parsed.id !== undefined ? { id: parsed.id } : {}), error: parsed.error });
    });
    return { sessions, rejected };
}

function run(raw: readonly unknown[], policy: PolicyBundle = bundle): Report {
    const { sessions, rejected } = inputs(raw);
    return evaluate(policy, sessions, rejected, AS_OF);
}

const byId = (report: Report) => Object.fromEntries(report.sessions.map(result => [result.id, result]));

describe('engine invariants over random valid sessions', () => {
    test('every record is evaluated or rejected: records = evaluated + rejected', () => {
        // Some records are broken on purpose: a missing patient, negative minutes, a payer no policy declares.
        const spoiled = fc.tuple(sessionsArbitrary(bundle), fc.array(fc.nat(), { maxLength: 6 })).map(([sessions, spoil]) => {
            const raw: Record<string, unknown>[] = sessions.map(s => ({ ...s }));
            for (const n of spoil) {
                const target = raw[n % raw.length]!;
                if (n % 3 === 0) delete target.patient;
                else if (n % 3 === 1) target.lines = [{ code: '97530', minutes: -5, units: 1 }];
                else target.payer = 'nobody-declares-this';
            }
            return raw;
        });
        fc.assert(fc.property(spoiled, raw => {
            const report = run(raw);
            expect(report.summary.records).toBe(raw.length);
            expect(report.summary.evaluated + report.summary.rejected).toBe(raw.length);
            expect(report.sessions.length).toBe(report.summary.evaluated);
            expect(report.rejected.length).toBe(report.summary.rejected);
            // Each record is in exactly one place.
            const seen = [...report.sessions.map(s => s.id), ...report.rejected.map(r => r.id)].sort();
            expect(seen).toEqual(raw.map(r => r.id as string).sort());
        }), fuzz(60));
    }, FUZZ_TIMEOUT);

    test('any JSON value as a record is accepted or rejected with a reason, and nothing throws', () => {
        const field = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, '', ' ', '__proto__', -1, 1.5, 1e308, '2026-02-30', 'PT', 'medicare', 'acme-ppo'));
        const keys = fc.constantFrom('id', 'patient', 'date', 'payer', 'discipline', 'provider', 'diagnoses', 'lines', 'totalMinutes', 'note',
            'submitted', 'authorization', 'extra', 'claim', '__proto__', 'constructor', 'toString');
        const lineArb = fc.dictionary(fc.constantFrom('code', 'minutes', 'units', 'modifiers', 'charge', 'allowed', 'assistantMinutes', 'extra', '__proto__'), field);
        const record = fc.oneof(
            fc.jsonValue({ maxDepth: 4 }),
            fc.dictionary(keys, field, { maxKeys: 14 }),
            sessionsArbitrary(bundle, { maxSessions: 1 }).chain(([s]) => fc.tuple(fc.dictionary(keys, field, { maxKeys: 3 }), fc.array(lineArb, { maxLength: 3 }))
                .map(([overrides, lines]) => ({ ...s, ...overrides, ...(lines.length > 0 ? { lines } : {}) })))
        );
        fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), raw => {
            const report = run(raw);
            expect(report.summary.records).toBe(raw.length);
            for (const rejection of report.rejected) expect(rejection.error.length).toBeGreaterThan(0);
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }), fuzz(100));
    }, FUZZ_TIMEOUT);

    test('pooled (medicare): the timed units of a patient\'s day follow the table for the day\'s total timed minutes', () => {
        fc.assert(fc.property(sessionsArbitrary(bundle), sessions => {
            const report = run(sessions);
            const results = byId(report);
            const days = new Map<string, RawSession[]>();
            for (const s of sessions.filter(s => s.payer === 'medicare')) {
                const key = `${s.patient}|${s.date}|${s.discipline}`;
                days.set(key, [...(days.get(key) ?? []), s]);
            }
            for (const day of days.values()) {
                let minutes = 0;
                let units = 0;
                for (const s of day) {
                    for (const line of s.lines) {
                        if (!bundle.codes[line.code]!.timed) {
                            expect(results[s.id]!.units[line.code], `${s.id} untimed ${line.code}`).toBe(1);
                            continue;
                        }
                        minutes += line.minutes ?? 0;
                        units += results[s.id]!.units[line.code] ?? 0;
                    }
                }
                expect(units, `${day.map(s => s.id).join(', ')}: ${minutes} timed minutes`).toBe(tableUnits(minutes));
            }
        }), fuzz(80));
    }, FUZZ_TIMEOUT);

    test('per code (acme-ppo): each timed code\'s units follow the table for its own minutes that day', () => {
        fc.assert(fc.property(sessionsArbitrary(bundle), sessions => {
            const results = byId(run(sessions));
            const codes = new Map<string, { minutes: number; units: number; ids: string[] }>();
            for (const s of sessions.filter(s => s.payer === 'acme-ppo')) {
                for (const line of s.lines) {
                    if (!bundle.codes[line.code]!.timed) {
                        expect(results[s.id]!.units[line.code], `${s.id} untimed ${line.code}`).toBe(1);
                        continue;
                    }
                    const key = `${s.patient}|${s.date}|${s.discipline}|${line.code}`;
                    const entry = codes.get(key) ?? { minutes: 0, units: 0, ids: [] };
                    entry.minutes += line.minutes ?? 0;
                    entry.units += results[s.id]!.units[line.code] ?? 0;
                    entry.ids.push(s.id);
                    codes.set(key, entry);
                }
            }
            for (const [key, { minutes, units, ids }] of codes) {
                expect(units, `${key} (${ids.join(', ')}): ${minutes} minutes`).toBe(tableUnits(minutes));
            }
        }), fuzz(80));
    }, FUZZ_TIMEOUT);

    test('findings do not depend on input order', () => {
        const shuffled = sessionsArbitrary(bundle).chain(sessions => fc.tuple(fc.constant(sessions), permutation(sessions)));
        fc.assert(fc.property(shuffled, ([sessions, order]) => {
            const first = run(sessions);
            const second = run(order);
            expect(second.sessions.map(s => s.id)).toEqual(order.map(s => s.id));
            expect(byId(second)).toEqual(byId(first));
            expect(second.summary).toEqual(first.summary);
        }), fuzz(40));
    }, FUZZ_TIMEOUT);

    test('the policy compiled to IR JSON and read back gives the same report', () => {
        const roundTrip = JSON.parse(JSON.stringify(bundle)) as PolicyBundle;
        fc.assert(fc.property(sessionsArbitrary(bundle), sessions => {
            expect(run(sessions, roundTrip)).toEqual(run(sessions));
        }), fuzz(30));
    }, FUZZ_TIMEOUT);

    test('a session evaluated alone gets the units it gets among others of other patients', () => {
        // Units pool per patient and day: other patients' sessions never change them.
        fc.assert(fc.property(sessionsArbitrary(bundle), sessions => {
            const together = byId(run(sessions));
            const patient = sessions[0]!.patient;
            const alone = byId(run(sessions.filter(s => s.patient === patient)));
            for (const id of Object.keys(alone)) expect(alone[id]!.units).toEqual(together[id]!.units);
        }), fuzz(30));
    }, FUZZ_TIMEOUT);
});
