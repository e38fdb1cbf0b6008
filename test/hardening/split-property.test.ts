/**
 * The streamed report does not depend on how the work is split by patient: random sessions
 * (fast-check, fixed seed), in date order or not, with ids now and then given to two sessions (of
 * one patient or two) and a line whose first "patient" member is a note's, streamed in one to four
 * parts (in this thread, as threads would split it) through small chunks, in one pass or two, give
 * the report of the in-memory evaluation byte for byte.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeReportStream, type PolicyBundle } from '@payrule/engine';
import { collector, inMemoryReport } from '../throughput/sessions.js';
import { examplePacks, fuzz, FUZZ_TIMEOUT, sessionsArbitrary, type RawSession } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'payrule-split-'));
let bundle: PolicyBundle;

beforeAll(async () => { bundle = await examplePacks(); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function streamed(path: string, partitions: number, restartable: boolean): Promise<string> {
    const sink = collector(restartable);
    await writeReportStream(bundle, [{ path }], sink, { partitions, chunkBytes: 2048, asOf: '2026-12-31' });
    return sink.text();
}

function inMemory(path: string): Promise<string> {
    return inMemoryReport(bundle, [{ path }], '2026-12-31');
}

/** A line whose first "patient" member is in its note, naming another patient. */
function nestedFirst(session: RawSession, other: string): string {
    const { note, ...rest } = session;
    return JSON.stringify({ note: { patient: other, ...note }, ...rest });
}

describe('the work split by patient', () => {
    test('one to four parts, one pass or two: the in-memory report, byte for byte', async () => {
        let runs = 0;
        const options = fc.record({
            sorted: fc.boolean(),
            partitions: fc.integer({ min: 1, max: 4 }),
            restartable: fc.boolean(),
            // Indices of sessions given the id of another, and of one written with a nested patient first.
            reused: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
            nested: fc.option(fc.nat(), { nil: undefined })
        });
        await fc.assert(fc.asyncProperty(sessionsArbitrary(bundle, { maxSessions: 40 }), options, async (sessions, { sorted, partitions, restartable, reused, nested }) => {
            const list = sorted ? [...sessions].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)) : sessions;
            for (const [to, from] of reused) list[to % list.length] = { ...list[to % list.length]!, id: list[from % list.length]!.id };
            const lines = list.map((session, index) => (index === nested ? nestedFirst(session, 'P-9') : JSON.stringify(session)));
            const path = join(dir, `sessions-${runs++}.ndjson`);
            writeFileSync(path, `${lines.join('\n')}\n`);
            expect(await streamed(path, partitions, restartable)).toBe(await inMemory(path));
        }), { ...fuzz(40) });
    }, FUZZ_TIMEOUT ?? 60_000);
});
