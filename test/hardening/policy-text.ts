/** Compiles policy text written in a test (one file) to the IR, through the language, as the CLI does. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyBundle } from '@payrule/engine';
import { loadPolicySources } from '@payrule/language/node';

export async function buildPolicy(text: string): Promise<PolicyBundle> {
    const file = join(mkdtempSync(join(tmpdir(), 'payrule-policy-')), 'policy.payrule');
    writeFileSync(file, text);
    const loaded = await loadPolicySources([file]);
    const errors = loaded.diagnostics.filter(d => d.severity === 'error');
    if (!loaded.bundle || errors.length > 0) throw new Error(`the policy does not compile: ${errors.map(d => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
    return loaded.bundle;
}
