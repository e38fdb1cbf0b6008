/**
 * Support for the language's fuzz tests: run counts (small in `npm test`, PAYRULE_FUZZ_RUNS under
 * `npm run fuzz`), the example packs as a corpus, and arbitraries of broken policy text: the
 * packs mutated token by token, and random text and token soup.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from '../policy-workspace.js';

export const FUZZ_RUNS = Number(process.env.PAYRULE_FUZZ_RUNS ?? 0) || 0;
export const SEED = Number(process.env.PAYRULE_FUZZ_SEED ?? 20260408);

/** fast-check parameters: `runs` in `npm test`, PAYRULE_FUZZ_RUNS under `npm run fuzz`. */
export function fuzz(runs: number): fc.Parameters<unknown> {
    return { seed: SEED, numRuns: FUZZ_RUNS > 0 ? FUZZ_RUNS : runs, endOnFailure: true };
}

export const FUZZ_TIMEOUT = FUZZ_RUNS > 0 ? 60 * 60_000 : undefined;

/** Every .payrule file of the example packs, by path relative to examples/packs. */
export function examplePolicyFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const pack of readdirSync(EXAMPLES).sort()) {
        for (const file of readdirSync(join(EXAMPLES, pack)).sort()) {
            if (file.endsWith('.payrule')) files[`${pack}/${file}`] = readFileSync(join(EXAMPLES, pack, file), 'utf8');
        }
    }
    return files;
}

/** Tokens as a mutation sees them: words, quoted strings, single symbols, runs of space. */
export function tokens(text: string): string[] {
    return text.match(/"(?:[^"\\]|\\.)*"|[A-Za-z0-9_$.,-]+|\s+|./gsu) ?? [];
}

const JUNK = [
    '(', ')', '{', '}', '"', '/*', '*/', '//', '\\', ',', '.', '=', '!=', '$', '$1,0', '@', '#', '\u0000', '\uFEFF', '\u202E', '\uD800',
    'é', '𝔓', '🩺', '\r', '\r\n', '\t', 'not', 'and', 'or', 'payer', 'import', 'override', 'without', 'extends', 'test', 'session', 'line',
    'expect', 'codeset', 'code', 'rule', 'when', 'in', '${process.exit()}', '{constructor}', '{__proto__}', '<script>', '9'.repeat(40),
    '-1', '1e999', '0.5', '2026-02-30', '"unterminated', 'import "../../../etc/passwd"', 'import "/etc/passwd"'
];

/** A piece of junk: a fragment from the list above, or random characters of any plane. */
export const junk: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom(...JUNK),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: 'grapheme', maxLength: 8 })
);

type Mutation =
    | { kind: 'delete'; at: number; length: number }
    | { kind: 'duplicate'; at: number; length: number }
    | { kind: 'swap'; at: number; other: number }
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: junk }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() })
);

function apply(list: string[], m: Mutation): string[] {
    if (list.length === 0) return m.kind === 'insert' ? [m.text] : list;
    const at = m.at % list.length;
    switch (m.kind) {
        case 'delete': return [...list.slice(0, at), ...list.slice(at + m.length)];
        case 'duplicate': return [...list.slice(0, at + m.length), ...list.slice(at, at + m.length), ...list.slice(at + m.length)];
        case 'swap': {
            const other = m.other % list.length;
            const copy = [...list];
            [copy[at], copy[other]] = [copy[other]!, copy[at]!];
            return copy;
        }
        case 'insert': return [...list.slice(0, at), m.text, ...list.slice(at)];
        case 'truncate': return list.slice(0, at);
    }
}

/** One of `texts` with 1 to 8 mutations: tokens deleted, duplicated, swapped, junk inserted, the text cut short. */
export function mutated(texts: Record<string, string>): fc.Arbitrary<{ name: string; text: string }> {
    const names = Object.keys(texts);
    return fc.record({ name: fc.constantFrom(...names), mutations: fc.array(mutation, { minLength: 1, maxLength: 8 }) })
        .map(({ name, mutations }) => ({ name, text: mutations.reduce(apply, tokens(texts[name]!)).join('') }));
}

const KEYWORDS = [
    'package', 'version', 'import', 'code', 'timed', 'untimed', 'for', 'codeset', 'modifier', 'payer', 'id', 'extends', 'effective', 'through',
    'without', 'fees', 'override', 'units', 'pooled', 'per-code', 'unit', 'minutes', 'minimum', 'under-billed', 'source', 'limit', 'at', 'most',
    'per', 'visit', 'day', 'week', 'month', 'year', 'rule', 'on', 'every', 'line', 'where', 'when', 'require', 'forbid', 'that', 'threshold',
    'allowed', 'this', 'calendar', 'exceeds', 'pair', 'with', 'needs', 'not', 'documentation', 'requires', 'vague', 'characters', 'consistency',
    'stated', 'in', 'tolerance', 'filing', 'within', 'of', 'date', 'service', 'authorization', 'after', 'visits', 'and', 'or', 'is', 'has',
    'sum', 'count', 'max', 'min', 'lines', 'true', 'false', 'missing', 'test', 'session', 'discipline', 'patient', 'role', 'total', 'submitted',
    'diagnoses', 'note', 'extra', 'expect', 'finding', 'no', 'errors', 'warnings', 'findings', 'containing', 'PT', 'OT', 'SLP', 'PTA', 'error',
    'warning', 'info', '{', '}', '(', ')', ',', '.', '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '97530', '97110', 'GP', 'KX',
    'therapy', 'Medicare', 'medicare', 'cpt.therapy', 'cms.medicare', '"medicare"', '"x"', '12', '2026-01-01', '$2,480.00', 'discipline-modifier'
];

/** Sequences of the language's own tokens in random order: they reach deep into the parser's rules. */
export const tokenSoup: fc.Arbitrary<string> = fc.array(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...KEYWORDS) }, { weight: 1, arbitrary: junk }), { maxLength: 120 })
    .map(parts => parts.join(' '));

/** Anything at all, from any Unicode plane. */
export const anyText: fc.Arbitrary<string> = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }));
