import { describe, expect, it } from 'vitest';
import { allocatePerCode, allocatePooled, unitRange, unitsFor } from '../src/index.js';
import { line, unitsOnly } from './fixtures.js';

const BOUNDARIES: [number, number][] = [
    [0, 0], [7, 0], [8, 1], [22, 1], [23, 2], [37, 2], [38, 3], [52, 3], [53, 4], [67, 4], [68, 5],
    [82, 5], [83, 6], [97, 6], [98, 7], [112, 7], [113, 8], [127, 8], [128, 9]
];

describe('unitsFor (CMS chart)', () => {
    it.each(BOUNDARIES)('%i minutes -> %i units', (minutes, units) => {
        expect(unitsFor(minutes)).toBe(units);
        expect(unitsFor(minutes, 15, 8)).toBe(units);
    });

    it('takes the unit length and minimum as parameters', () => {
        expect(unitsFor(30, 30, 16)).toBe(1);
        expect(unitsFor(45, 30, 16)).toBe(1);
        expect(unitsFor(46, 30, 16)).toBe(2);
    });

    it('names the chart row', () => {
        expect(unitRange(3)).toBe('38-52 minutes');
        expect(unitRange(1)).toBe('8-22 minutes');
        expect(unitRange(8)).toBe('113-127 minutes');
        expect(unitRange(0)).toBe('fewer than 8 minutes');
    });
});

describe('pooled and per-code at every chart boundary (one timed code)', () => {
    it.each(BOUNDARIES.filter(([minutes]) => minutes > 0))('%i minutes of 97110 -> %i units', (minutes, units) => {
        expect(allocatePooled([{ code: '97110', minutes }]).codes[0]!.units).toBe(units);
        expect(allocatePerCode([{ code: '97110', minutes }]).codes[0]!.units).toBe(units);
        for (const method of ['pooled', 'per-code'] as const) {
            const report = unitsOnly(method, [line('97110', minutes, units)]);
            expect(report.sessions[0]!.units['97110']).toBe(units);
            expect(report.sessions[0]!.findings).toEqual([]);
        }
    });

    it.each([[7, 8], [22, 23], [37, 38], [52, 53], [67, 68], [82, 83], [97, 98], [112, 113], [127, 128]])(
        'split over two codes, %i vs %i total minutes gives one unit more', (below, at) => {
            const pooledBelow = allocatePooled([{ code: '97110', minutes: below - 3 }, { code: '97140', minutes: 3 }]);
            const pooledAt = allocatePooled([{ code: '97110', minutes: at - 3 }, { code: '97140', minutes: 3 }]);
            expect(pooledBelow.totalUnits).toBe(unitsFor(below));
            expect(pooledAt.totalUnits).toBe(pooledBelow.totalUnits + 1);
        });
});

const unitsOf = (allocation: ReturnType<typeof allocatePooled>) => Object.fromEntries(allocation.codes.map(c => [c.code, c.units]));

describe('pooled allocation (CMS s20.2)', () => {
    it('24 + 23 minutes -> 2 + 1: the extra unit goes to the code with the most minutes', () => {
        const result = allocatePooled([{ code: '97110', minutes: 24 }, { code: '97140', minutes: 23 }]);
        expect(result.totalUnits).toBe(3);
        expect(unitsOf(result)).toEqual({ '97110': 2, '97140': 1 });
    });

    it('33 + 7 minutes -> 2 + 1, and the 7-minute code needs no 8 minutes of its own', () => {
        const result = allocatePooled([{ code: '97110', minutes: 33 }, { code: '97140', minutes: 7 }]);
        expect(unitsOf(result)).toEqual({ '97110': 2, '97140': 1 });
        expect(result.explain).toEqual([
            '40 total timed minutes -> 3 units (38-52 minutes)',
            '97110: 33 minutes = 2 full units, 3 minutes left over',
            '97140: 7 minutes = 0 full units, 7 minutes left over',
            '1 remaining unit goes to 97140 (7 leftover minutes, the most)'
        ]);
    });

    it('7 + 7 minutes -> 1 unit in all, on either code', () => {
        const fixed = allocatePooled([{ code: '97140', minutes: 7 }, { code: '97110', minutes: 7 }]);
        expect(fixed.totalUnits).toBe(1);
        expect(unitsOf(fixed)).toEqual({ '97110': 1, '97140': 0 });
        expect(fixed.codes.every(c => c.tied)).toBe(true);
        const asBilled = allocatePooled([{ code: '97110', minutes: 7, billed: 0 }, { code: '97140', minutes: 7, billed: 1 }]);
        expect(unitsOf(asBilled)).toEqual({ '97110': 0, '97140': 1 });
        expect(asBilled.explain.at(-1)).toContain('either may be billed');
    });

    it('7 + 7 + 7 minutes -> 1 unit in all', () => {
        const result = allocatePooled(['97110', '97112', '97140'].map(code => ({ code, minutes: 7 })));
        expect(result.totalUnits).toBe(1);
        expect(result.codes.reduce((sum, c) => sum + c.units, 0)).toBe(1);
    });

    it('a code of 15 minutes or more always keeps its whole units', () => {
        const result = allocatePooled([{ code: '97110', minutes: 15 }, { code: '97140', minutes: 14 }, { code: '97112', minutes: 14 }]);
        expect(result.totalUnits).toBe(3);
        expect(unitsOf(result)).toEqual({ '97110': 1, '97140': 1, '97112': 1 });
        // 37 minutes are 2 units: not both to the longer code.
        expect(unitsOf(allocatePooled([{ code: '97110', minutes: 15 }, { code: '97140', minutes: 22 }]))).toEqual({ '97110': 1, '97140': 1 });
        // 22 minutes are 1 unit: it stays with the code that had a whole 15 minutes.
        expect(unitsOf(allocatePooled([{ code: '97110', minutes: 15 }, { code: '97140', minutes: 7 }]))).toEqual({ '97110': 1, '97140': 0 });
    });

    it('equal leftovers: larger total first, then the lower code, unless the biller chose the other', () => {
        const result = allocatePooled([{ code: '97140', minutes: 39 }, { code: '97110', minutes: 24 }]);
        expect(result.totalUnits).toBe(4);
        expect(unitsOf(result)).toEqual({ '97140': 3, '97110': 1 });
        const billed = allocatePooled([{ code: '97140', minutes: 39, billed: 2 }, { code: '97110', minutes: 24, billed: 2 }]);
        expect(unitsOf(billed)).toEqual({ '97140': 2, '97110': 2 });
    });

    it('two remaining units go to the two largest leftovers', () => {
        const result = allocatePooled([{ code: '97110', minutes: 12 }, { code: '97140', minutes: 11 }, { code: '97112', minutes: 2 }]);
        expect(result.totalUnits).toBe(2);
        expect(unitsOf(result)).toEqual({ '97110': 1, '97140': 1, '97112': 0 });
    });
});

describe('per-code allocation (substantial portion)', () => {
    it('33 + 7: per code 2 units, pooled 3', () => {
        const input = [{ code: '97110', minutes: 33 }, { code: '97140', minutes: 7 }];
        expect(allocatePerCode(input).totalUnits).toBe(2);
        expect(allocatePooled(input).totalUnits).toBe(3);
    });

    it('10 + 10: per code 2 units, pooled 1', () => {
        const input = [{ code: '97110', minutes: 10 }, { code: '97140', minutes: 10 }];
        expect(unitsOf(allocatePerCode(input))).toEqual({ '97110': 1, '97140': 1 });
        expect(allocatePooled(input).totalUnits).toBe(1);
    });
});
