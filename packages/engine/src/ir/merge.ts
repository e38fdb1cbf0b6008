/**
 * Several compiled bundles as one: packages in load order (each once), codes and modifiers with
 * later packages winning, every payer declaration and policy test kept. The same declaration arriving twice (a
 * pack imported by two others) is kept once; two different declarations of one payer id in force
 * on a common day are reported, since the engine could only pick one of them.
 */
import { describeEffective } from '../evaluate/payers.js';
import { POLICY_FORMAT, type PayerPolicy, type PolicyBundle, type PolicyTest } from './policy.js';

export function mergeBundles(bundles: PolicyBundle[], errors: string[] = []): PolicyBundle {
    const packages = new Map<string, PolicyBundle['packages'][number]>();
    const codes = new Map<string, PolicyBundle['codes'][string]>();
    const modifiers = new Map<string, string>();
    const payers: PayerPolicy[] = [];
    const seenPayers = new Set<string>();
    const tests: PolicyTest[] = [];
    const seenTests = new Set<string>();
    for (const bundle of bundles) {
        for (const info of bundle.packages) {
            const earlier = packages.get(info.name);
            if (earlier && earlier.version !== info.version) {
                errors.push(`package ${info.name} is loaded in two versions (${earlier.version ?? 'unversioned'} and ${info.version ?? 'unversioned'})`);
            }
            packages.set(info.name, earlier ? { ...earlier, payers: [...new Set([...earlier.payers, ...info.payers])] } : info);
        }
        for (const [code, info] of Object.entries(bundle.codes)) codes.set(code, info);
        for (const [modifier, meaning] of Object.entries(bundle.modifiers)) modifiers.set(modifier, meaning);
        for (const payer of bundle.payers) {
            const identity = JSON.stringify([payer.id, payer.package ?? '', payer.effective, payer.location]);
            if (seenPayers.has(identity)) continue;
            seenPayers.add(identity);
            payers.push(payer);
        }
        for (const test of bundle.tests ?? []) {
            const identity = JSON.stringify([test.name, test.location]);
            if (seenTests.has(identity)) continue;
            seenTests.add(identity);
            tests.push(test);
        }
    }
    const merged: PolicyBundle = {
        format: POLICY_FORMAT,
        packages: [...packages.values()],
        codes: Object.fromEntries(codes),
        modifiers: Object.fromEntries(modifiers),
        payers,
        ...(tests.length > 0 ? { tests } : {})
    };
    errors.push(...payerOverlaps(merged));
    return merged;
}

/** Pairs of declarations with one payer id whose effective ranges share a day. */
export function payerOverlaps(bundle: PolicyBundle): string[] {
    const errors: string[] = [];
    const payers = bundle.payers;
    for (let i = 0; i < payers.length; i++) {
        for (let j = i + 1; j < payers.length; j++) {
            const a = payers[i]!;
            const b = payers[j]!;
            if (a.id !== b.id || !overlap(a, b)) continue;
            errors.push(`payer "${a.id}" is declared twice for overlapping dates: ${describe(a)} and ${describe(b)}`);
        }
    }
    return errors;
}

function overlap(a: PayerPolicy, b: PayerPolicy): boolean {
    const start = max(a.effective.from, b.effective.from);
    const end = min(a.effective.through, b.effective.through);
    return start === undefined || end === undefined || start <= end;
}

function max(a?: string, b?: string): string | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    return a > b ? a : b;
}

function min(a?: string, b?: string): string | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    return a < b ? a : b;
}

function describe(payer: PayerPolicy): string {
    return `${payer.name} (${payer.location.file}:${payer.location.line}, ${describeEffective(payer)})`;
}
