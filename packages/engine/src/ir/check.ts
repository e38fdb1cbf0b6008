/**
 * Validates a compiled policy (JSON from a file or a pack) before the engine trusts it: the format
 * version first, then every field the evaluator reads, so a hand-edited or stale IR fails with
 * a clear list of what is wrong instead of a crash mid-evaluation.
 */
import { findField } from '../expr/fields.js';
import { ShapeChecker } from './check-shape.js';
import { POLICY_FORMAT, type PolicyBundle } from './policy.js';
import { engineRule } from '../rules/engine-rules.js';

const DISCIPLINES = ['PT', 'OT', 'SLP'];
const SEVERITIES = ['error', 'warning', 'info'];
const PERIODS = ['visit', 'day', 'week', 'month', 'year'];
const BINARY_OPS = ['and', 'or', '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/'];
const AGGREGATES = ['sum', 'count', 'max', 'min'];
const RULE_KINDS = ['units', 'limit', 'rule', 'threshold', 'pair', 'documentation', 'consistency', 'filing', 'authorization'];

/** Everything wrong with the value as a compiled policy; empty when it can be evaluated. */
export function checkPolicyBundle(json: unknown): string[] {
    const check = new ShapeChecker();
    const root = check.object(json, 'the policy');
    if (!root) return check.errors;
    if (root['format'] !== POLICY_FORMAT) {
        const found = typeof root['format'] === 'string' ? `"${root['format']}"` : 'no format';
        return [`the policy has ${found}; this engine reads ${POLICY_FORMAT}: recompile the policy with a matching payrule`];
    }
    check.array(root['packages'], 'packages').forEach((value, index) => {
        const info = check.object(value, `packages[${index}]`);
        if (!info) return;
        check.string(info['name'], `packages[${index}].name`);
        check.string(info['version'], `packages[${index}].version`, true);
        check.strings(info['payers'], `packages[${index}].payers`);
    });
    const codes = check.object(root['codes'], 'codes') ?? {};
    for (const [code, value] of Object.entries(codes)) {
        const info = check.object(value, `codes.${code}`);
        if (!info) continue;
        check.boolean(info['timed'], `codes.${code}.timed`);
        check.array(info['disciplines'], `codes.${code}.disciplines`).forEach((item, i) => check.oneOf(item, `codes.${code}.disciplines[${i}]`, DISCIPLINES));
        check.string(info['summary'], `codes.${code}.summary`);
    }
    for (const [modifier, meaning] of Object.entries(check.object(root['modifiers'], 'modifiers') ?? {})) check.string(meaning, `modifiers.${modifier}`);
    check.array(root['payers'], 'payers').forEach((value, index) => checkPayer(check, value, `payers[${index}]`));
    if (root['tests'] !== undefined) check.array(root['tests'], 'tests').forEach((value, index) => checkTest(check, value, `tests[${index}]`));
    return check.errors;
}

/** A compiled policy the engine cannot use; the CLI prints the message and exits with 2. */
export class PolicyError extends Error {
    override readonly name = 'PolicyError';
}

/** The value as a bundle, or a PolicyError listing what is wrong (`name` says which policy). */
export function loadPolicyBundle(json: unknown, name = 'the policy'): PolicyBundle {
    const errors = checkPolicyBundle(json);
    if (errors.length > 0) throw new PolicyError(`${name} is not a valid compiled policy: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`);
    return json as PolicyBundle;
}

function checkPayer(check: ShapeChecker, value: unknown, path: string): void {
    const payer = check.object(value, path);
    if (!payer) return;
    check.string(payer['name'], `${path}.name`);
    check.string(payer['id'], `${path}.id`);
    check.string(payer['package'], `${path}.package`, true);
    check.string(payer['doc'], `${path}.doc`, true);
    check.string(payer['extends'], `${path}.extends`, true);
    const effective = check.object(payer['effective'], `${path}.effective`);
    if (effective) {
        check.date(effective['from'], `${path}.effective.from`, true);
        check.date(effective['through'], `${path}.effective.through`, true);
    }
    for (const [code, fee] of Object.entries(check.object(payer['fees'], `${path}.fees`) ?? {})) check.number(fee, `${path}.fees.${code}`);
    checkLocation(check, payer['location'], `${path}.location`);
    const ids = new Set<string>();
    check.array(payer['rules'], `${path}.rules`).forEach((rule, index) => {
        const rulePath = `${path}.rules[${index}]`;
        checkRule(check, rule, rulePath);
        const id = (rule as { id?: unknown } | null)?.id;
        if (typeof id === 'string') {
            if (ids.has(id)) check.fail(rulePath, `repeats the rule id "${id}"`);
            if (engineRule(id)) check.fail(rulePath, `takes the id "${id}" of Payrule's own check`);
            ids.add(id);
        }
    });
}

/** Policy tests are run by the tools, not evaluated here: only the parts they rely on are checked. */
function checkTest(check: ShapeChecker, value: unknown, path: string): void {
    const test = check.object(value, path);
    if (!test) return;
    check.string(test['name'], `${path}.name`);
    checkLocation(check, test['location'], `${path}.location`);
    check.array(test['sessions'], `${path}.sessions`).forEach((item, index) => check.object(item, `${path}.sessions[${index}]`));
    check.array(test['expectations'], `${path}.expectations`).forEach((item, index) => {
        const expectation = check.object(item, `${path}.expectations[${index}]`);
        if (expectation) check.oneOf(expectation['kind'], `${path}.expectations[${index}].kind`, ['units', 'finding', 'clean']);
    });
}

function checkLocation(check: ShapeChecker, value: unknown, path: string): void {
    const location = check.object(value, path);
    if (!location) return;
    check.string(location['file'], `${path}.file`);
    check.number(location['line'], `${path}.line`, { integer: true });
    check.number(location['column'], `${path}.column`, { integer: true, optional: true });
}

function checkRule(check: ShapeChecker, value: unknown, path: string): void {
    const rule = check.object(value, path);
    if (!rule) return;
    check.string(rule['id'], `${path}.id`);
    check.oneOf(rule['severity'], `${path}.severity`, SEVERITIES);
    check.string(rule['message'], `${path}.message`, true);
    check.string(rule['citation'], `${path}.citation`, true);
    check.string(rule['inheritedFrom'], `${path}.inheritedFrom`, true);
    checkLocation(check, rule['location'], `${path}.location`);
    const at = (field: string) => `${path}.${field}`;
    switch (rule['kind']) {
        case 'units':
            check.oneOf(rule['method'], at('method'), ['pooled', 'per-code']);
            check.number(rule['unitMinutes'], at('unitMinutes'), { integer: true });
            if (rule['unitMinutes'] === 0) check.fail(at('unitMinutes'), 'must be at least 1');
            check.number(rule['minimumMinutes'], at('minimumMinutes'), { integer: true });
            check.oneOf(rule['underSeverity'], at('underSeverity'), SEVERITIES);
            return;
        case 'limit':
            check.oneOf(rule['measure'], at('measure'), ['units', 'visits']);
            check.strings(rule['codes'], at('codes'), true);
            check.number(rule['max'], at('max'), { integer: true });
            check.oneOf(rule['period'], at('period'), PERIODS);
            return;
        case 'rule':
            check.oneOf(rule['scope'], at('scope'), ['line', 'session']);
            if (rule['where'] !== undefined) checkExpr(check, rule['where'], at('where'));
            if (rule['when'] !== undefined) checkExpr(check, rule['when'], at('when'));
            check.array(rule['clauses'], at('clauses')).forEach((clause, index) => checkClause(check, clause, at(`clauses[${index}]`)));
            return;
        case 'threshold':
            check.array(rule['disciplines'], at('disciplines')).forEach((item, i) => check.oneOf(item, at(`disciplines[${i}]`), DISCIPLINES));
            check.number(rule['amount'], at('amount'));
            check.strings(rule['modifiers'], at('modifiers'), true);
            return;
        case 'pair':
            check.strings(rule['codes'], at('codes'));
            check.strings(rule['with'], at('with'));
            check.strings(rule['modifiers'], at('modifiers'), true);
            return;
        case 'documentation':
            check.strings(rule['codes'], at('codes'), true);
            check.strings(rule['requires'], at('requires'));
            check.array(rule['vague'], at('vague')).forEach((item, index) => {
                const clause = check.object(item, at(`vague[${index}]`));
                if (!clause) return;
                check.string(clause['element'], at(`vague[${index}].element`));
                check.strings(clause['phrases'], at(`vague[${index}].phrases`));
            });
            check.number(rule['minLength'], at('minLength'), { integer: true, optional: true });
            return;
        case 'consistency':
            check.string(rule['element'], at('element'), true);
            check.number(rule['toleranceMinutes'], at('toleranceMinutes'), { integer: true });
            return;
        case 'filing': {
            const within = check.object(rule['within'], at('within'));
            if (!within) return;
            check.number(within['amount'], at('within.amount'), { integer: true });
            check.oneOf(within['unit'], at('within.unit'), ['days', 'months']);
            return;
        }
        case 'authorization':
            check.number(rule['afterVisits'], at('afterVisits'), { integer: true, optional: true });
            return;
        default:
            check.fail(at('kind'), `must be one of ${RULE_KINDS.join(', ')}, not ${JSON.stringify(rule['kind'] ?? null)}`);
    }
}

function checkClause(check: ShapeChecker, value: unknown, path: string): void {
    const clause = check.object(value, path);
    if (!clause) return;
    checkLocation(check, clause['location'], `${path}.location`);
    if (clause['type'] === 'require-modifier' || clause['type'] === 'forbid-modifier') {
        check.strings(clause['modifiers'], `${path}.modifiers`);
        if (clause['when'] !== undefined) checkExpr(check, clause['when'], `${path}.when`);
    } else if (clause['type'] === 'require') {
        checkExpr(check, clause['condition'], `${path}.condition`);
        check.string(clause['text'], `${path}.text`);
    } else {
        check.fail(`${path}.type`, 'must be require-modifier, forbid-modifier or require');
    }
}

/** Expressions nest; the compiler bounds their depth, and a hand-written IR deeper than this is refused. */
function checkExpr(check: ShapeChecker, value: unknown, path: string, depth = 0): void {
    if (depth > 200) return check.fail(path, 'nests too deeply');
    const expr = check.object(value, path);
    if (!expr) return;
    const sub = (field: string, child: unknown) => checkExpr(check, child, `${path}.${field}`, depth + 1);
    switch (expr['kind']) {
        case 'literal': {
            const literal = expr['value'];
            if (literal !== null && !['string', 'number', 'boolean'].includes(typeof literal)) check.fail(`${path}.value`, 'must be text, a number, true, false or null');
            return;
        }
        case 'field':
            if (check.string(expr['path'], `${path}.path`) && !findField(expr['path'])) check.fail(`${path}.path`, `names no known field: "${expr['path']}"`);
            return;
        case 'list': return check.array(expr['items'], `${path}.items`).forEach((item, index) => sub(`items[${index}]`, item));
        case 'codes': return check.strings(expr['codes'], `${path}.codes`);
        case 'not': return sub('operand', expr['operand']);
        case 'binary':
            check.oneOf(expr['op'], `${path}.op`, BINARY_OPS);
            sub('left', expr['left']);
            return sub('right', expr['right']);
        case 'in':
            sub('value', expr['value']);
            return sub('set', expr['set']);
        case 'has-modifier': return check.strings(expr['modifiers'], `${path}.modifiers`);
        case 'aggregate':
            check.oneOf(expr['fn'], `${path}.fn`, AGGREGATES);
            if (expr['value'] !== undefined) sub('value', expr['value']);
            if (expr['where'] !== undefined) sub('where', expr['where']);
            return;
        default:
            check.fail(`${path}.kind`, `is not an expression kind: ${JSON.stringify(expr['kind'] ?? null)}`);
    }
}
