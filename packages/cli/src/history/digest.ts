/**
 * SHA-256 digests that let an auditor prove which policy and which input a run used: the input
 * files byte for byte, and the compiled policy (the IR) as canonical JSON, so the same policy
 * gives the same digest whatever order its keys were written in.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PolicyBundle } from '@payrule/engine';

export function sha256(data: string | Buffer): string {
    return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level (arrays keep their order: it is meaningful). */
export function canonicalJson(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) return `[${value.map(item => canonicalJson(item === undefined ? null : item)).join(',')}]`;
    const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export interface PolicyDigest {
    package: string;
    version?: string;
    payers: string[];
    digest: string;
}

/**
 * One digest per package: its name and version with every payer declaration it compiled to
 * (rules, fees, effective dates). A change to any rule of the package changes its digest.
 */
export function policyDigests(bundle: PolicyBundle): PolicyDigest[] {
    return bundle.packages.map(info => ({
        package: info.name,
        ...(info.version !== undefined ? { version: info.version } : {}),
        payers: [...info.payers],
        digest: sha256(canonicalJson({ package: info, payers: bundle.payers.filter(payer => payer.package === info.name) }))
    }));
}

/**
 * The whole compiled policy the sessions were evaluated against: code catalog, modifiers, payers.
 * Not its tests: they change no finding, and `check` leaves test files unread, so the same rules
 * give the same digest whether checked from their sources or from `payrule compile`'s output.
 */
export function bundleDigest(bundle: PolicyBundle): string {
    const { tests: _tests, ...checked } = bundle;
    return sha256(canonicalJson(checked));
}

export interface InputDigest {
    path: string;
    digest?: string;
    bytes?: number;
}

/** A file's digest and size; standard input is not kept, so it has none. */
export function inputDigest(path: string, file: string | undefined): InputDigest {
    if (file === undefined) return { path };
    const data = readFileSync(file);
    return { path, digest: sha256(data), bytes: data.length };
}
