import { describe, expect, it } from 'vitest';
import { CompiledPolicy } from '../src/evaluate/compiled.js';
import { checkSession } from '../src/evaluate/check-session.js';
import { factsForEntries } from '../src/evaluate/accrual.js';
import { historyEntry } from '../src/evaluate/history.js';
import type { Expr, PolicyBundle } from '../src/index.js';
import { bundle, findings, LOC, line, payer, rules, run, session } from './fixtures.js';

const has = (...modifiers: string[]): Expr => ({ kind: 'has-modifier', modifiers });
const gp = rules.line('discipline-modifier', { clauses: [{ type: 'require-modifier', modifiers: ['GP'], location: LOC }] });

describe('modifiers no catalog declares (unknown-modifier)', () => {
    it('warns on the line, after the payer\'s own findings for it, with what to do', () => {
        const policy = bundle([payer([rules.units(), gp], { location: { file: 'test/medicare.payrule', line: 3 } })]);
        const result = findings(run(policy, [session([line('97110', 15, 1, ['ZZ']), line('97530', 15, 1, ['GP', '59'])])]));
        expect(result.map(f => `${f.line} ${f.rule}`)).toEqual(['0 discipline-modifier', '0 unknown-modifier']);
        expect(result[1]).toEqual({
            rule: 'unknown-modifier', severity: 'warning', line: 0, code: '97110',
            message: 'Modifier ZZ on 97110 is not in the loaded modifier catalog: the payer may not recognise it',
            explain: [
                'The loaded packages declare 3 modifiers: 59, GP, KX',
                'ZZ is not one of them, and no rule of Medicare names it',
                'A payer may deny or return a line whose modifier it does not recognise'
            ],
            fix: 'Check the modifier ZZ on 97110: correct it or remove it, or load a catalog that declares it',
            source: { file: 'test/medicare.payrule', line: 3 }
        });
    });

    it('gives one finding per modifier and line', () => {
        const result = findings(run(bundle([payer([])]), [session([line('97110', 15, 1, ['ZZ', 'ZZ', 'YY']), line('97530', 15, 1, ['ZZ'])])]));
        expect(result.map(f => `${f.line} ${f.message.split(' ')[1]}`)).toEqual(['0 ZZ', '0 YY', '1 ZZ']);
    });

    it('knows the catalog in any case, and what the payer\'s rules name', () => {
        const named = payer([
            rules.line('assistant', { clauses: [{ type: 'require-modifier', modifiers: ['cq'], when: has('XE'), location: LOC }] }),
            rules.line('flag', { when: { kind: 'not', operand: has('XS') } }),
            rules.threshold('kx', 2480, { modifiers: ['KX'] }),
            rules.pair('pair', ['97530'], ['97164'], ['XU'])
        ]);
        const policy = bundle([named], { modifiers: { gp: 'PT plan of care' } });
        const result = findings(run(policy, [session([line('97110', 15, 1, ['GP', 'CQ', 'XE', 'XS', 'KX', 'XU'])])]));
        expect(result.filter(f => f.rule === 'unknown-modifier')).toEqual([]);
    });

    it('checks nothing when no loaded package declares a modifier', () => {
        const result = findings(run(bundle([payer([])], { modifiers: {} }), [session([line('97110', 15, 1, ['ZZ'])])]));
        expect(result).toEqual([]);
    });

    it('shows a long modifier by its length only', () => {
        const note = 'PATIENT-DISCLOSED-HIV-STATUS-TO-THERAPIST';
        const [finding] = findings(run(bundle([payer([])]), [session([line('97110', 15, 1, [note])])]));
        expect(finding!.message).toBe('Modifier (41 characters) on 97110 is not in the loaded modifier catalog: the payer may not recognise it');
        expect(JSON.stringify(finding)).not.toContain('HIV');
    });

    it('gives the same findings through the compiled checks as through the interpreter', () => {
        const policy: PolicyBundle = bundle([payer([rules.units(), gp])]);
        const sessions = [
            session([line('97110', 15, 1, ['GP', 'ZZ'])]), session([line('97110', 15, 1, ['ZZ'])]),
            session([line('97110', 30, 2, ['GP']), line('97530', 15, 1, ['GP', 'XX', 'KX'])]), session([line('97110', 15, 1, ['GP'])])
        ];
        const entries = sessions.map(s => historyEntry(s, 0));
        const facts = factsForEntries(policy, entries);
        const compiled = new CompiledPolicy(policy);
        sessions.forEach((s, index) => {
            expect(compiled.check(s, entries[index]!, facts[index]!, {})).toEqual(checkSession(s, entries[index]!, policy, facts[index]!, {}));
        });
        expect(compiled.check(sessions[0]!, entries[0]!, facts[0]!, {}).findings.map(f => f.rule)).toEqual(['unknown-modifier']);
    });
});
