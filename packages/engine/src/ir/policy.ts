/**
 * The policy IR: the contract between authoring (the Langium compiler) and evaluation (this engine).
 *
 * Plain JSON, versioned by `format`. Inheritance (`extends`, override, drop) and code sets are
 * already resolved by the compiler, so the engine never needs the source language: each payer
 * carries the full list of rules in force for it, and each rule carries where it was written.
 */

/** Bump the number on any change an older engine could not evaluate correctly. */
export const POLICY_FORMAT = 'payrule-ir/1';

export type Severity = 'error' | 'warning' | 'info';
export type Discipline = 'PT' | 'OT' | 'SLP';
export type ProviderRole = 'PT' | 'PTA' | 'OT' | 'OTA' | 'SLP' | 'SLPA' | 'other';

/** Where a construct was written: file relative to the working directory (POSIX separators), 1-based line and column. */
export interface SourceLocation {
    file: string;
    line: number;
    column?: number;
}

export interface PolicyBundle {
    format: typeof POLICY_FORMAT;
    /** Packages that went into this bundle, in load order. */
    packages: PackageInfo[];
    /** The code catalog: every code any loaded package declares. */
    codes: Record<string, CodeInfo>;
    /** Modifier meanings, by modifier (GP, KX, 59, ...). */
    modifiers: Record<string, string>;
    /** Every payer declaration. Several may share an `id` with different effective ranges. */
    payers: PayerPolicy[];
    /** The policy's own tests, compiled with it so a compiled pack can still run them. */
    tests?: PolicyTest[];
}

export interface PackageInfo {
    name: string;
    version?: string;
    /** Payer ids this package declares. */
    payers: string[];
}

export interface CodeInfo {
    timed: boolean;
    disciplines: Discipline[];
    summary: string;
}

export interface PayerPolicy {
    /** The payer's name in the policy (e.g. `Medicare`). */
    name: string;
    /** The payer id that session records name in `payer` (e.g. `medicare`). */
    id: string;
    package?: string;
    doc?: string;
    /** ISO dates, inclusive; absent means open-ended. */
    effective: { from?: string; through?: string };
    /** Name of the payer this one extends, for explanations only: its rules are already merged in. */
    extends?: string;
    /** Allowed amounts by code, used where a line has no `allowed` amount. */
    fees: Record<string, number>;
    rules: Rule[];
    location: SourceLocation;
}

export type Rule =
    | UnitsRule
    | LimitRule
    | LineRule
    | ThresholdRule
    | PairRule
    | DocumentationRule
    | ConsistencyRule
    | FilingRule
    | AuthorizationRule;

export interface RuleBase {
    /** Unique within its payer. */
    id: string;
    severity: Severity;
    /** Message template; `{name}` placeholders are filled from the finding's values. Absent: the engine writes one. */
    message?: string;
    /** Citation of the payer's own text, e.g. "Pub 100-04 Ch 5 s20.2". */
    citation?: string;
    location: SourceLocation;
    /** Name of the payer the rule was inherited from, when it was not written in this payer. */
    inheritedFrom?: string;
}

/** How timed minutes become units. */
export interface UnitsRule extends RuleBase {
    kind: 'units';
    /** pooled: CMS, minutes summed per patient, date and discipline; per-code: each code on its own. */
    method: 'pooled' | 'per-code';
    unitMinutes: number;
    minimumMinutes: number;
    /** Severity of billing more units than supported (the rule's `severity`) and of billing fewer. */
    underSeverity: Severity;
}

export type Period = 'visit' | 'day' | 'week' | 'month' | 'year';

/** At most `max` units of the codes (or visits) per period, per patient. */
export interface LimitRule extends RuleBase {
    kind: 'limit';
    measure: 'units' | 'visits';
    /** Codes counted; absent: every code (for visits: every visit). */
    codes?: string[];
    max: number;
    period: Period;
}

/**
 * A rule over each line (scope `line`) or each session (scope `session`): modifier requirements,
 * general requirements, or a plain condition that raises the finding when it holds.
 */
export interface LineRule extends RuleBase {
    kind: 'rule';
    scope: 'line' | 'session';
    /** For line scope: which lines the rule looks at. */
    where?: Expr;
    /** The rule applies only when this holds. With no clauses, the finding is raised when it holds. */
    when?: Expr;
    /** The conditions as written, for explanations. */
    whereText?: string;
    whenText?: string;
    clauses: Clause[];
}

export type Clause =
    | { type: 'require-modifier'; modifiers: string[]; when?: Expr; whenText?: string; location: SourceLocation }
    | { type: 'forbid-modifier'; modifiers: string[]; when?: Expr; whenText?: string; location: SourceLocation }
    | { type: 'require'; condition: Expr; text: string; location: SourceLocation };

/**
 * Cumulative allowed amounts per patient per calendar year across the disciplines, in date order.
 * With `modifiers`, every line at or past the crossing needs one of them (KX); without, the
 * crossing is reported once (targeted review).
 */
export interface ThresholdRule extends RuleBase {
    kind: 'threshold';
    disciplines: Discipline[];
    amount: number;
    modifiers?: string[];
}

/**
 * Codes billed for one patient on one date: a line of `codes` together with any of `with`
 * needs one of `modifiers` (distinct service) or, with no modifiers, may not be billed at all.
 */
export interface PairRule extends RuleBase {
    kind: 'pair';
    codes: string[];
    with: string[];
    modifiers?: string[];
}

export interface DocumentationRule extends RuleBase {
    kind: 'documentation';
    /** Sessions billing any of these codes; absent: every session. */
    codes?: string[];
    requires: string[];
    vague: { element: string; phrases: string[] }[];
    /** Minimum length in characters of each required element. */
    minLength?: number;
}

/** Billed minutes agree with the documented total time and the note's stated timed minutes. */
export interface ConsistencyRule extends RuleBase {
    kind: 'consistency';
    /** Note element that states total timed minutes, e.g. `total-timed-minutes`. */
    element?: string;
    toleranceMinutes: number;
}

export interface FilingRule extends RuleBase {
    kind: 'filing';
    within: { amount: number; unit: 'days' | 'months' };
}

/** Authorization required after `afterVisits` visits per calendar year (always, when absent); visits beyond those approved. */
export interface AuthorizationRule extends RuleBase {
    kind: 'authorization';
    afterVisits?: number;
}

/** Expressions of general rules: a small, total language (no loops, no calls out). */
export type Expr =
    | { kind: 'literal'; value: string | number | boolean | null }
    | { kind: 'field'; path: string }
    | { kind: 'list'; items: Expr[] }
    | { kind: 'codes'; codes: string[] }
    | { kind: 'not'; operand: Expr }
    | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
    | { kind: 'in'; value: Expr; set: Expr; negated?: boolean }
    | { kind: 'has-modifier'; modifiers: string[] }
    | { kind: 'aggregate'; fn: 'sum' | 'count' | 'max' | 'min'; value?: Expr; where?: Expr };

export type BinaryOp = 'and' | 'or' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';

/** A test written in a policy: sessions in, expectations on the report out. */
export interface PolicyTest {
    name: string;
    /** Package the test was written in. */
    package?: string;
    location: SourceLocation;
    /** Session records in the input shape of DATA.md §1, evaluated in order as one input. */
    sessions: Record<string, unknown>[];
    expectations: TestExpectation[];
}

export type TestExpectation =
    | { kind: 'units'; code: string; units: number; location: SourceLocation }
    | { kind: 'finding'; rule: string; absent: boolean; severity?: Severity; text?: string; location: SourceLocation }
    | { kind: 'clean'; level: 'errors' | 'warnings' | 'findings'; location: SourceLocation };
