/** Hand-written policy IR and sessions for the engine's tests. */
import {
    evaluate, POLICY_FORMAT,
    type AuthorizationRule, type CodeInfo, type ConsistencyRule, type DocumentationRule, type EvaluateOptions, type FilingRule,
    type Finding, type LimitRule, type LineRule, type PairRule, type PayerPolicy, type PolicyBundle, type Report, type Rule,
    type RuleBase, type Session, type SessionLine, type Severity, type ThresholdRule, type UnitsRule
} from '../src/index.js';
import { checkSession } from '../src/evaluate/check-session.js';
import { CompiledPolicy } from '../src/evaluate/compiled.js';
import { factsForEntries } from '../src/evaluate/accrual.js';
import { historyEntry } from '../src/evaluate/history.js';
import type { SessionResult } from '../src/report/report.js';

export const LOC = { file: 'test/policy.payrule', line: 1 };

const TIMED = ['97110', '97112', '97116', '97140', '97530', '97535', '97035'];
const UNTIMED = ['97161', '97162', '97163', '97164', '97010', '97150', '97165'];

export function catalog(): Record<string, CodeInfo> {
    const codes: Record<string, CodeInfo> = {};
    for (const code of TIMED) codes[code] = { timed: true, disciplines: ['PT', 'OT'], summary: `timed ${code}` };
    for (const code of UNTIMED) codes[code] = { timed: false, disciplines: ['PT'], summary: `untimed ${code}` };
    return codes;
}

function base(id: string, severity: Severity = 'error', extra: Partial<RuleBase> = {}): RuleBase {
    return { id, severity, location: { ...LOC, line: 10 }, ...extra };
}

export const rules = {
    units(method: 'pooled' | 'per-code' = 'pooled', extra: Partial<UnitsRule> = {}): UnitsRule {
        return { ...base('units-match'), kind: 'units', method, unitMinutes: 15, minimumMinutes: 8, underSeverity: 'warning', ...extra };
    },
    limit(id: string, max: number, period: LimitRule['period'], extra: Partial<LimitRule> = {}): LimitRule {
        return { ...base(id), kind: 'limit', measure: 'units', max, period, ...extra };
    },
    line(id: string, extra: Partial<LineRule> = {}): LineRule {
        return { ...base(id), kind: 'rule', scope: 'line', clauses: [], ...extra };
    },
    threshold(id: string, amount: number, extra: Partial<ThresholdRule> = {}): ThresholdRule {
        return { ...base(id), kind: 'threshold', disciplines: ['PT', 'SLP'], amount, ...extra };
    },
    pair(id: string, codes: string[], withCodes: string[], modifiers?: string[]): PairRule {
        return { ...base(id), kind: 'pair', codes, with: withCodes, ...(modifiers ? { modifiers } : {}) };
    },
    documentation(id: string, extra: Partial<DocumentationRule> = {}): DocumentationRule {
        return { ...base(id), kind: 'documentation', requires: [], vague: [], ...extra };
    },
    consistency(id: string, extra: Partial<ConsistencyRule> = {}): ConsistencyRule {
        return { ...base(id), kind: 'consistency', toleranceMinutes: 0, ...extra };
    },
    filing(id: string, amount: number, unit: 'days' | 'months'): FilingRule {
        return { ...base(id), kind: 'filing', within: { amount, unit } };
    },
    authorization(id: string, afterVisits?: number): AuthorizationRule {
        return { ...base(id), kind: 'authorization', ...(afterVisits !== undefined ? { afterVisits } : {}) };
    }
};

export function payer(ruleList: Rule[], extra: Partial<PayerPolicy> = {}): PayerPolicy {
    return { name: 'Medicare', id: 'medicare', effective: {}, fees: {}, rules: ruleList, location: LOC, ...extra };
}

export function bundle(payers: PayerPolicy[], extra: Partial<PolicyBundle> = {}): PolicyBundle {
    return {
        format: POLICY_FORMAT,
        packages: [{ name: 'test.pack', version: '1.0.0', payers: [...new Set(payers.map(p => p.id))] }],
        codes: catalog(),
        modifiers: { GP: 'PT plan of care', KX: 'Threshold exception', '59': 'Distinct service' },
        payers,
        ...extra
    };
}

export function line(code: string, minutes: number | undefined, units: number, modifiers: string[] = []): SessionLine {
    return { code, ...(minutes !== undefined ? { minutes } : {}), units, modifiers };
}

let counter = 0;

export function session(lines: SessionLine[], extra: Partial<Session> = {}): Session {
    counter++;
    return {
        id: `S-${String(counter).padStart(4, '0')}`,
        patient: 'P-1',
        date: '2026-03-04',
        payer: 'medicare',
        discipline: 'PT',
        diagnoses: [],
        lines,
        note: {},
        ...extra
    };
}

export function run(policy: PolicyBundle, sessions: Session[], options: EvaluateOptions = {}): Report {
    return evaluate(policy, sessions.map((s, index) => ({ session: s, record: index + 1 })), [], options);
}

/** Findings of one session (the only one when no id is given). */
export function findings(report: Report, id?: string): Finding[] {
    const result = id ? report.sessions.find(s => s.id === id) : report.sessions[0];
    if (!result) throw new Error(`no session ${id ?? ''} in the report`);
    return result.findings;
}

/**
 * Each session's result through the compiled checks (compiled.ts) and through the interpreter
 * (check-session.ts), for tests that the two agree. The sessions are one day's history of a
 * bundle's first payer.
 */
export function bothWays(policy: PolicyBundle, sessions: Session[]): { compiled: SessionResult[]; interpreted: SessionResult[] } {
    const entries = sessions.map(s => historyEntry(s, 0));
    const facts = factsForEntries(policy, entries);
    const compiled = new CompiledPolicy(policy);
    return {
        compiled: sessions.map((s, index) => compiled.check(s, entries[index]!, facts[index]!, {})),
        interpreted: sessions.map((s, index) => checkSession(s, entries[index]!, policy, facts[index]!, {}))
    };
}

/** Units checks alone against the test catalog. */
export function unitsOnly(method: 'pooled' | 'per-code', lines: SessionLine[]): Report {
    return run(bundle([payer([rules.units(method)])]), [session(lines)]);
}

/** A deterministic shuffle (the tests must not depend on luck). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
    const result = [...items];
    let state = seed;
    for (let i = result.length - 1; i > 0; i--) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const j = state % (i + 1);
        [result[i], result[j]] = [result[j]!, result[i]!];
    }
    return result;
}
