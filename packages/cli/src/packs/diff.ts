/**
 * What changed between two versions of a policy, for the compliance reviewer: per payer, the
 * rules added, removed and changed, field by field in plain words ("threshold amount $2,480.00
 * -> $2,600.00"), and payers added, removed or with new dates. Compares compiled bundles, so any
 * two policy inputs can be compared: pack folders, tarballs, installed packs, compiled files.
 */
import type { Clause, PayerPolicy, PolicyBundle, Rule } from '@payrule/engine';

export const DIFF_FORMAT = 'payrule-diff/1';

export interface FieldChange {
    /** The IR field, e.g. `amount`, `effective.from`, `fees.97110`. */
    field: string;
    old?: unknown;
    new?: unknown;
    /** In words: `threshold amount $2,480.00 -> $2,600.00`. */
    text: string;
}

export interface RuleSummary {
    id: string;
    kind: string;
    severity: string;
    text: string;
}

export interface RuleChange {
    id: string;
    kind: string;
    changes: FieldChange[];
}

export interface PayerDiff {
    id: string;
    name: string;
    effective: { from?: string; through?: string };
    status: 'added' | 'removed' | 'changed' | 'unchanged';
    changes: FieldChange[];
    rules: { added: RuleSummary[]; removed: RuleSummary[]; changed: RuleChange[] };
}

export interface CodeChange {
    code: string;
    status: 'added' | 'removed' | 'changed';
    changes: FieldChange[];
}

export interface PackRef {
    name: string;
    version?: string;
}

export interface PolicyDiff {
    format: typeof DIFF_FORMAT;
    /** Payrule packages, and the npm packs they came from. */
    old: { packages: PackRef[]; packs: PackRef[] };
    new: { packages: PackRef[]; packs: PackRef[] };
    payers: PayerDiff[];
    codes: CodeChange[];
    /** Whether anything at all differs (payers, rules or codes). */
    changed: boolean;
}

export function diffBundles(before: PolicyBundle, after: PolicyBundle, packs: { old: PackRef[]; new: PackRef[] } = { old: [], new: [] }): PolicyDiff {
    const payers: PayerDiff[] = [];
    const ids = [...new Set([...before.payers, ...after.payers].map(payer => payer.id))].sort();
    for (const id of ids) {
        for (const [old, next] of pairDeclarations(before.payers.filter(p => p.id === id), after.payers.filter(p => p.id === id))) {
            payers.push(diffPayer(old, next));
        }
    }
    const codes = diffCodes(before, after);
    return {
        format: DIFF_FORMAT,
        old: { packages: before.packages.map(({ name, version }) => ({ name, ...(version ? { version } : {}) })), packs: packs.old },
        new: { packages: after.packages.map(({ name, version }) => ({ name, ...(version ? { version } : {}) })), packs: packs.new },
        payers,
        codes,
        changed: codes.length > 0 || payers.some(payer => payer.status !== 'unchanged')
    };
}

/**
 * Declarations of one payer id matched up: the same dates first, then the same name, then in
 * date order; what is left was added or removed.
 */
function pairDeclarations(before: PayerPolicy[], after: PayerPolicy[]): [PayerPolicy | undefined, PayerPolicy | undefined][] {
    const pairs: [PayerPolicy | undefined, PayerPolicy | undefined][] = [];
    const left = [...before].sort(byStart);
    const right = [...after].sort(byStart);
    const take = (match: (a: PayerPolicy, b: PayerPolicy) => boolean) => {
        for (const a of [...left]) {
            const b = right.find(candidate => match(a, candidate));
            if (!b) continue;
            pairs.push([a, b]);
            left.splice(left.indexOf(a), 1);
            right.splice(right.indexOf(b), 1);
        }
    };
    take((a, b) => a.effective.from === b.effective.from && a.effective.through === b.effective.through);
    take((a, b) => a.name === b.name);
    while (left.length > 0 && right.length > 0) pairs.push([left.shift(), right.shift()]);
    for (const a of left) pairs.push([a, undefined]);
    for (const b of right) pairs.push([undefined, b]);
    return pairs.sort((x, y) => byStart((x[1] ?? x[0])!, (y[1] ?? y[0])!));
}

function byStart(a: PayerPolicy, b: PayerPolicy): number {
    return (a.effective.from ?? '').localeCompare(b.effective.from ?? '');
}

function diffPayer(old: PayerPolicy | undefined, next: PayerPolicy | undefined): PayerDiff {
    const shown = (next ?? old)!;
    const base = { id: shown.id, name: shown.name, effective: shown.effective };
    if (!old) return { ...base, status: 'added', changes: [], rules: { added: next!.rules.map(summarizeRule), removed: [], changed: [] } };
    if (!next) return { ...base, status: 'removed', changes: [], rules: { added: [], removed: old.rules.map(summarizeRule), changed: [] } };
    const changes: FieldChange[] = [];
    const field = (name: string, label: string, a: unknown, b: unknown, show: (value: unknown) => string = quote) => {
        if (same(a, b)) return;
        changes.push({ field: name, ...defined('old', a), ...defined('new', b), text: `${label} ${present(a, show)} -> ${present(b, show)}` });
    };
    field('name', 'name', old.name, next.name);
    field('effective.from', 'effective from', old.effective.from, next.effective.from, plain);
    field('effective.through', 'effective through', old.effective.through, next.effective.through, plain);
    field('extends', 'extends', old.extends, next.extends, plain);
    field('package', 'package', old.package, next.package, plain);
    field('doc', 'description', old.doc, next.doc);
    for (const code of [...new Set([...Object.keys(old.fees), ...Object.keys(next.fees)])].sort()) {
        field(`fees.${code}`, `fee for ${code}`, old.fees[code], next.fees[code], money);
    }
    const oldRules = new Map(old.rules.map(rule => [rule.id, rule]));
    const newRules = new Map(next.rules.map(rule => [rule.id, rule]));
    const rules = {
        added: next.rules.filter(rule => !oldRules.has(rule.id)).map(summarizeRule),
        removed: old.rules.filter(rule => !newRules.has(rule.id)).map(summarizeRule),
        changed: next.rules.flatMap(rule => {
            const before = oldRules.get(rule.id);
            if (!before) return [];
            const ruleChanges = diffRule(before, rule);
            return ruleChanges.length > 0 ? [{ id: rule.id, kind: rule.kind, changes: ruleChanges }] : [];
        })
    };
    const touched = changes.length > 0 || rules.added.length > 0 || rules.removed.length > 0 || rules.changed.length > 0;
    return { ...base, status: touched ? 'changed' : 'unchanged', changes, rules };
}

/** Field by field, in the words a reviewer uses; where a rule was written (file, line) is not a change. */
export function diffRule(old: Rule, next: Rule): FieldChange[] {
    const a = old as unknown as Record<string, unknown>;
    const b = next as unknown as Record<string, unknown>;
    const changes: FieldChange[] = [];
    const skip = new Set(['id', 'location', 'where', 'when']);
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(key => !skip.has(key));
    keys.sort((x, y) => fieldOrder(x) - fieldOrder(y) || x.localeCompare(y));
    for (const key of keys) {
        if (same(a[key], b[key])) continue;
        changes.push(describeChange(key, a[key], b[key], next));
    }
    // Conditions compiled to expressions: when the text as written is the same but the meaning changed.
    for (const key of ['where', 'when'] as const) {
        const textKey = `${key}Text`;
        if (!same(a[key], b[key]) && same(a[textKey], b[textKey])) {
            changes.push({ field: key, text: `${key === 'where' ? 'which lines' : 'condition'} changed` });
        }
    }
    return changes;
}

const ORDER = ['kind', 'severity', 'amount', 'max', 'measure', 'period', 'codes', 'with', 'disciplines', 'modifiers', 'method', 'unitMinutes',
    'minimumMinutes', 'underSeverity', 'within', 'afterVisits', 'requires', 'vague', 'minLength', 'element', 'toleranceMinutes', 'scope',
    'whereText', 'whenText', 'clauses', 'message', 'citation', 'inheritedFrom'];

function fieldOrder(key: string): number {
    const index = ORDER.indexOf(key);
    return index === -1 ? ORDER.length : index;
}

function describeChange(key: string, a: unknown, b: unknown, rule: Rule): FieldChange {
    const change = (text: string): FieldChange => ({ field: key, ...defined('old', a), ...defined('new', b), text });
    const arrow = (label: string, show: (value: unknown) => string = plain) => change(`${label} ${present(a, show)} -> ${present(b, show)}`);
    switch (key) {
        case 'severity': return arrow('severity');
        case 'amount': return arrow('threshold amount', money);
        case 'max': return arrow('limit', value => `${plain(value)} ${rule.kind === 'limit' && rule.measure === 'visits' ? 'visits' : 'units'}`);
        case 'measure': return arrow('limit counts');
        case 'period': return arrow('limit period', value => `per ${plain(value)}`);
        case 'codes': return listChange('codes', a, b, change);
        case 'with': return listChange('paired with', a, b, change);
        case 'disciplines': return listChange('disciplines', a, b, change);
        case 'modifiers': return listChange('modifiers', a, b, change);
        case 'requires': return listChange('required note elements', a, b, change);
        case 'method': return arrow('unit method');
        case 'unitMinutes': return arrow('unit length', value => `${plain(value)} minutes`);
        case 'minimumMinutes': return arrow('minimum minutes for a unit', value => `${plain(value)} minutes`);
        case 'underSeverity': return arrow('severity of under-billing');
        case 'within': return arrow('filing window', value => isRecord(value) ? `${value.amount} ${value.unit}` : plain(value));
        case 'afterVisits': return arrow('authorization needed after', value => value === undefined ? 'the first visit' : `${plain(value)} visits`);
        case 'vague': return change(`vague phrases ${present(a, vagueText)} -> ${present(b, vagueText)}`);
        case 'minLength': return arrow('minimum length', value => `${plain(value)} characters`);
        case 'element': return arrow('note element stating timed minutes');
        case 'toleranceMinutes': return arrow('tolerance', value => `${plain(value)} minutes`);
        case 'scope': return arrow('applies to each');
        case 'whereText': return arrow('on lines where', quote);
        case 'whenText': return arrow('when', quote);
        case 'clauses': return listChange('requirements', clauseTexts(a), clauseTexts(b), change);
        case 'message': return arrow('message', quote);
        case 'citation': return arrow('citation', quote);
        case 'inheritedFrom': return change(`inherited from ${present(a, plain, 'none: written in this payer')} -> ${present(b, plain, 'none: written in this payer')}`);
        case 'kind': return arrow('kind of rule');
        default: return arrow(key, value => JSON.stringify(value));
    }
}

function listChange(label: string, a: unknown, b: unknown, change: (text: string) => FieldChange): FieldChange {
    const before = Array.isArray(a) ? a.map(String) : [];
    const after = Array.isArray(b) ? b.map(String) : [];
    const added = after.filter(item => !before.includes(item));
    const removed = before.filter(item => !after.includes(item));
    const parts = [
        ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
        ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : [])
    ];
    if (a === undefined) parts.splice(0, parts.length, `now only ${after.join(', ')}`);
    if (b === undefined) parts.splice(0, parts.length, `no longer limited to ${before.join(', ')}`);
    return change(`${label}: ${parts.length > 0 ? parts.join('; ') : `order ${before.join(', ')} -> ${after.join(', ')}`}`);
}

function clauseTexts(value: unknown): string[] | undefined {
    if (!Array.isArray(value)) return undefined;
    return (value as Clause[]).map(clause => {
        const when = 'whenText' in clause && clause.whenText ? ` when ${clause.whenText}` : '';
        switch (clause.type) {
            case 'require-modifier': return `require modifier ${clause.modifiers.join(' or ')}${when}`;
            case 'forbid-modifier': return `forbid modifier ${clause.modifiers.join(' or ')}${when}`;
            case 'require': return `require ${clause.text}`;
        }
    });
}

/** One line saying what a rule does, for rules added or removed. */
export function summarizeRule(rule: Rule): RuleSummary {
    return { id: rule.id, kind: rule.kind, severity: rule.severity, text: ruleText(rule) };
}

function ruleText(rule: Rule): string {
    const cited = rule.citation ? ` (source: ${rule.citation})` : '';
    switch (rule.kind) {
        case 'units': return `units ${rule.method}, ${rule.unitMinutes}-minute units from ${rule.minimumMinutes} minutes${cited}`;
        case 'limit': return `${rule.codes?.join(', ') ?? 'any code'} at most ${rule.max} ${rule.measure} per ${rule.period}${cited}`;
        case 'threshold': return `allowed amounts for ${rule.disciplines.join(' and ')} past ${money(rule.amount)}${rule.modifiers ? ` need ${rule.modifiers.join(' or ')}` : ' are reported'}${cited}`;
        case 'pair': return `${rule.codes.join(', ')} with ${rule.with.join(', ')} ${rule.modifiers ? `needs ${rule.modifiers.join(' or ')}` : 'may not be billed together'}${cited}`;
        case 'documentation': return `${rule.codes ? `for ${rule.codes.join(', ')}: ` : ''}the note requires ${rule.requires.join(', ')}${cited}`;
        case 'consistency': return `billed minutes agree with ${rule.element ?? 'the documented time'} within ${rule.toleranceMinutes} minutes${cited}`;
        case 'filing': return `file within ${rule.within.amount} ${rule.within.unit} of the date of service${cited}`;
        case 'authorization': return `authorization needed${rule.afterVisits !== undefined ? ` after ${rule.afterVisits} visits a year` : ''}${cited}`;
        case 'rule': return `${rule.message ?? [rule.whereText, rule.whenText].filter(Boolean).join('; ')}${cited}`;
    }
}

function diffCodes(before: PolicyBundle, after: PolicyBundle): CodeChange[] {
    const codes = [...new Set([...Object.keys(before.codes), ...Object.keys(after.codes)])].sort();
    const out: CodeChange[] = [];
    for (const code of codes) {
        const a = before.codes[code];
        const b = after.codes[code];
        if (!a) out.push({ code, status: 'added', changes: [] });
        else if (!b) out.push({ code, status: 'removed', changes: [] });
        else {
            const changes: FieldChange[] = [];
            if (a.timed !== b.timed) changes.push({ field: 'timed', old: a.timed, new: b.timed, text: `${a.timed ? 'timed' : 'untimed'} -> ${b.timed ? 'timed' : 'untimed'}` });
            if (!same(a.disciplines, b.disciplines)) changes.push({ field: 'disciplines', old: a.disciplines, new: b.disciplines, text: `disciplines ${a.disciplines.join(', ')} -> ${b.disciplines.join(', ')}` });
            if (a.summary !== b.summary) changes.push({ field: 'summary', old: a.summary, new: b.summary, text: `summary ${quote(a.summary)} -> ${quote(b.summary)}` });
            if (changes.length > 0) out.push({ code, status: 'changed', changes });
        }
    }
    return out;
}

/** `$2,480.00` */
export function money(value: unknown): string {
    return typeof value === 'number'
        ? `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
        : plain(value);
}

function vagueText(value: unknown): string {
    if (!Array.isArray(value)) return plain(value);
    return (value as { element: string; phrases: string[] }[]).map(entry => `${entry.element}: ${entry.phrases.map(quote).join(', ')}`).join('; ') || 'none';
}

function plain(value: unknown): string {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function quote(value: unknown): string {
    return typeof value === 'string' ? JSON.stringify(value) : plain(value);
}

function present(value: unknown, show: (value: unknown) => string, none = '(none)'): string {
    return value === undefined ? none : show(value);
}

function defined(key: 'old' | 'new', value: unknown): Record<string, unknown> {
    return value === undefined ? {} : { [key]: value };
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a, withoutLocations) === JSON.stringify(b, withoutLocations);
}

/** Where something was written (file, line) moves with every edit and install: never a change in itself. */
function withoutLocations(key: string, value: unknown): unknown {
    return key === 'location' ? undefined : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
