/**
 * How large and how deeply nested a policy may be. Packs come from other practices: a file that
 * is too big, or an expression nested too deeply for the parser's recursion, is refused with a
 * message at the place that crosses the limit, before it can exhaust memory, time or the stack.
 * The limits are far above anything a payer's manual needs (the example packs use a few percent
 * of each); test/hardening/README.md lists them.
 */
import type { LexerResult } from 'langium';

type IToken = LexerResult['tokens'][number];

export const POLICY_LIMITS = {
    /** Characters in one policy file (2 MiB: a catalog of every CPT code with summaries is well under 1 MiB). */
    fileChars: 2 * 1024 * 1024,
    /** Characters in one string (a summary, message, citation or phrase). */
    stringChars: 100_000,
    /** Levels of parentheses (aggregates and lists included) and `not` inside one another in an expression. */
    nesting: 32,
    /** `and`, `or`, `+`, `-`, `*`, `/` in one expression (each makes the expression one level deeper). */
    operators: 500,
    /** Items in one comma-separated list: the members of a code set, the codes of a rule, a list in a condition. */
    listItems: 10_000,
    /** Phrases in one `not vague` clause, and characters in one phrase. */
    vaguePhrases: 100,
    vaguePhraseChars: 200,
    /** Payers one payer extends, directly and through its bases (each inherits all rules of the ones above it). */
    extendsDepth: 16,
    /** Policy files one run (or one editor workspace) loads, following imports. */
    files: 1_000,
    /** Characters of all the policy files of one run together. */
    totalChars: 16 * 1024 * 1024
} as const;

export interface LimitProblem {
    /** 0-based offset, 1-based line and column of the token that crosses the limit. */
    offset: number;
    line: number;
    column: number;
    length: number;
    message: string;
}

/** "2 MB", "50.0 MB", "812 KB": sizes as a person reads them. */
export function describeSize(chars: number): string {
    if (chars >= 1024 * 1024) {
        const mb = chars / (1024 * 1024);
        return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
    }
    return `${Math.ceil(chars / 1024)} KB`;
}

export function fileTooLarge(chars: number): string {
    return `This policy file is ${describeSize(chars)}; a policy file may be at most ${describeSize(POLICY_LIMITS.fileChars)}. `
        + 'Split it into several files of the pack.';
}

/**
 * Tokens an expression is made of (operators, literals, names, aggregates). Any other token ends
 * the expression being measured: rule keywords, `require`, `when`, `source`, braces.
 */
const EXPRESSION_TOKENS = new Set([
    '(', ')', ',', '.', 'and', 'or', 'not', '=', '!=', '<', '<=', '>', '>=', 'is', 'in', '+', '-', '*', '/',
    'NUMBER', 'MONEY', 'STRING', 'DATE', 'ID', 'ALNUM_CODE', 'true', 'false', 'missing', 'PT', 'OT', 'SLP', 'PTA', 'OTA', 'SLPA',
    'other', 'has', 'modifier', 'sum', 'count', 'max', 'min', 'lines', 'where', 'code', 'units', 'minutes', 'date', 'id',
    'payer', 'discipline', 'patient', 'role', 'allowed', 'submitted', 'modifiers', 'authorization', 'note', 'total', 'timed',
    'extra', 'diagnoses'
]);

const CHAIN_OPERATORS = new Set(['and', 'or', '+', '-', '*', '/']);

/** Tokens that separate expressions inside a `not` operand: the operand ends at the next `and` / `or`. */
const ENDS_NOT_OPERAND = new Set(['and', 'or']);

/**
 * The first place the token stream crosses a limit on nesting, expression length or list length,
 * or undefined. Linear in the number of tokens; nothing here recurses.
 */
export function tokenLimitProblem(tokens: readonly IToken[]): LimitProblem | undefined {
    // Per open parenthesis level: how many `not` are pending at that level.
    const nots: number[] = [0];
    let nesting = 0;
    let operators = 0;
    // Commas at each parenthesis level of the current run; a run outside parentheses is one list.
    const commas: number[] = [0];
    const problem = (token: IToken, message: string): LimitProblem => ({
        offset: token.startOffset,
        line: token.startLine ?? 1,
        column: token.startColumn ?? 1,
        length: Math.max(1, token.image.length),
        message
    });
    const reset = () => {
        nots.length = 1;
        nots[0] = 0;
        commas.length = 1;
        commas[0] = 0;
        nesting = 0;
        operators = 0;
    };
    for (const token of tokens) {
        const type = token.tokenType.name;
        if (!EXPRESSION_TOKENS.has(type)) {
            reset();
            continue;
        }
        if (type === '(') {
            nots.push(0);
            commas.push(0);
            nesting++;
        } else if (type === ')') {
            if (nots.length > 1) {
                nesting -= 1 + nots.pop()!;
                commas.pop();
            }
        } else if (type === 'not') {
            nots[nots.length - 1]!++;
            nesting++;
        } else if (ENDS_NOT_OPERAND.has(type)) {
            nesting -= nots[nots.length - 1]!;
            nots[nots.length - 1] = 0;
        }
        if (type === ',' && ++commas[commas.length - 1]! >= POLICY_LIMITS.listItems) {
            return problem(token, `This list has more than ${POLICY_LIMITS.listItems.toLocaleString('en-US')} items; a list may have at most `
                + `${POLICY_LIMITS.listItems.toLocaleString('en-US')}. Split it (several code sets can be listed together).`);
        }
        if (nesting > POLICY_LIMITS.nesting) {
            return problem(token, `This expression nests more than ${POLICY_LIMITS.nesting} levels of parentheses and 'not'; `
                + 'write it as several conditions or rules instead.');
        }
        if (CHAIN_OPERATORS.has(type) && ++operators > POLICY_LIMITS.operators) {
            return problem(token, `This expression has more than ${POLICY_LIMITS.operators} operators; split it into several conditions or rules.`);
        }
    }
    return undefined;
}
