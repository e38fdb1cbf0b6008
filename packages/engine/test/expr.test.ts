import { describe, expect, it } from 'vitest';
import { evaluateExpr, FIELDS, findField, type Expr, type ExprScope, type Session } from '../src/index.js';
import { line, session } from './fixtures.js';

const lit = (value: string | number | boolean | null): Expr => ({ kind: 'literal', value });
const field = (path: string): Expr => ({ kind: 'field', path });
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });

function scopeOf(s: Session, index?: number): ExprScope {
    return {
        session: s,
        ...(index !== undefined ? { line: { line: s.lines[index]!, index } } : {}),
        timed: code => (code === '97161' ? false : code.startsWith('97') ? true : null),
        supportedUnits: i => (i === 0 ? 3 : null)
    };
}

const sample = session([line('97530', 38, 3, ['GP', 'KX']), line('97161', 20, 1, ['GP'])], {
    provider: { id: '1234567893', role: 'PTA' },
    diagnoses: ['M54.50', 'M25.561'],
    totalMinutes: 60,
    note: { activities: 'Lift box', constructor: 'kept' },
    authorization: { id: 'A-1', visitsApproved: 12, visitNumber: 7 },
    extra: { clinic: 'North', visits: 3 }
});

describe('fields', () => {
    it('reads session fields, families and line fields', () => {
        const session0 = scopeOf(sample);
        const line0 = scopeOf(sample, 0);
        expect(evaluateExpr(field('role'), session0)).toBe('PTA');
        expect(evaluateExpr(field('provider.id'), session0)).toBe('1234567893');
        expect(evaluateExpr(field('diagnoses'), session0)).toEqual(['M54.50', 'M25.561']);
        expect(evaluateExpr(field('timedMinutes'), session0)).toBe(38);
        expect(evaluateExpr(field('note.activities'), session0)).toBe('Lift box');
        expect(evaluateExpr(field('note.missing'), session0)).toBeNull();
        expect(evaluateExpr(field('authorization.visitNumber'), session0)).toBe(7);
        expect(evaluateExpr(field('extra.clinic'), session0)).toBe('North');
        expect(evaluateExpr(field('code'), session0)).toBeNull();
        expect(evaluateExpr(field('code'), line0)).toBe('97530');
        expect(evaluateExpr(field('timed'), line0)).toBe(true);
        expect(evaluateExpr(field('supportedUnits'), line0)).toBe(3);
        expect(evaluateExpr(field('charge'), line0)).toBeNull();
    });

    it('never reads inherited properties through outside keys', () => {
        expect(evaluateExpr(field('note.toString'), scopeOf(sample))).toBeNull();
        expect(evaluateExpr(field('extra.constructor'), scopeOf(sample))).toBeNull();
        expect(evaluateExpr(field('note.constructor'), scopeOf(sample))).toBe('kept');
    });

    it('publishes every field it reads as data', () => {
        for (const name of ['id', 'role', 'provider.role', 'timedMinutes', 'note.activities', 'extra.x', 'supportedUnits', 'timed']) {
            expect(findField(name), name).toBeDefined();
        }
        expect(FIELDS.every(f => f.description.length > 0)).toBe(true);
        expect(findField('bogus')).toBeUndefined();
    });
});

describe('operators', () => {
    const s = scopeOf(sample, 0);
    it('compares codes as text, even against number literals', () => {
        expect(evaluateExpr(bin('=', field('code'), lit(97530)), s)).toBe(true);
        expect(evaluateExpr(bin('!=', field('code'), lit(97530)), s)).toBe(false);
    });

    it('gives false for comparisons and null for arithmetic with missing values', () => {
        expect(evaluateExpr(bin('>', field('charge'), lit(0)), s)).toBe(false);
        expect(evaluateExpr(bin('<=', field('charge'), lit(0)), s)).toBe(false);
        expect(evaluateExpr(bin('!=', field('charge'), lit(5)), s)).toBe(false);
        expect(evaluateExpr(bin('+', field('charge'), lit(1)), s)).toBeNull();
        expect(evaluateExpr(bin('/', lit(1), lit(0)), s)).toBeNull();
    });

    it('tests for a missing value with a null literal', () => {
        expect(evaluateExpr(bin('=', field('charge'), lit(null)), s)).toBe(true);
        expect(evaluateExpr(bin('!=', field('code'), lit(null)), s)).toBe(true);
    });

    it('does arithmetic, ordering and boolean logic', () => {
        expect(evaluateExpr(bin('>', bin('*', field('minutes'), lit(2)), lit(75)), s)).toBe(true);
        expect(evaluateExpr(bin('and', bin('>', field('units'), lit(2)), { kind: 'not', operand: lit(false) }), s)).toBe(true);
        expect(evaluateExpr(bin('or', lit(false), lit(null)), s)).toBe(false);
        expect(evaluateExpr(bin('<', field('date'), lit('2026-12-31')), s)).toBe(true);
    });

    it('tests membership in lists and code sets, for single values and lists', () => {
        expect(evaluateExpr({ kind: 'in', value: field('role'), set: { kind: 'list', items: [lit('PTA'), lit('OTA')] } }, s)).toBe(true);
        expect(evaluateExpr({ kind: 'in', value: field('code'), set: { kind: 'codes', codes: ['97530', '97110'] } }, s)).toBe(true);
        expect(evaluateExpr({ kind: 'in', value: field('code'), set: { kind: 'codes', codes: ['97110'] }, negated: true }, s)).toBe(true);
        expect(evaluateExpr({ kind: 'in', value: field('diagnoses'), set: { kind: 'list', items: [lit('M25.561')] } }, s)).toBe(true);
        expect(evaluateExpr({ kind: 'in', value: field('charge'), set: { kind: 'list', items: [lit(1)] }, negated: true }, s)).toBe(false);
    });

    it('has-modifier looks at the line, or at any line of the session', () => {
        expect(evaluateExpr({ kind: 'has-modifier', modifiers: ['KX'] }, s)).toBe(true);
        expect(evaluateExpr({ kind: 'has-modifier', modifiers: ['KX'] }, scopeOf(sample, 1))).toBe(false);
        expect(evaluateExpr({ kind: 'has-modifier', modifiers: ['kx', '59'] }, scopeOf(sample))).toBe(true);
    });

    it('aggregates over the session lines with where and value', () => {
        const s0 = scopeOf(sample);
        expect(evaluateExpr({ kind: 'aggregate', fn: 'count' }, s0)).toBe(2);
        expect(evaluateExpr({ kind: 'aggregate', fn: 'sum', value: field('minutes') }, s0)).toBe(58);
        expect(evaluateExpr({ kind: 'aggregate', fn: 'sum', value: field('minutes'), where: field('timed') }, s0)).toBe(38);
        expect(evaluateExpr({ kind: 'aggregate', fn: 'max', value: field('units') }, s0)).toBe(3);
        expect(evaluateExpr({ kind: 'aggregate', fn: 'min', value: field('charge') }, s0)).toBeNull();
        expect(evaluateExpr({ kind: 'aggregate', fn: 'count', value: field('charge'), where: bin('=', field('code'), lit('97161')) }, s0)).toBe(1);
    });
});
