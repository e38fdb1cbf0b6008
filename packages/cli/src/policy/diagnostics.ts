import type { PolicyDiagnostic } from '@payrule/language/node';
import type { OutputStream } from '../io.js';
import type { LoadedPolicies } from './load-policy.js';

/**
 * `file:line:column: severity: message`, the form editors and CI annotate from: one line each,
 * so parser messages that span lines are joined.
 */
export function formatDiagnostic(d: PolicyDiagnostic): string {
    return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message.replace(/\s*\n\s*/g, ' ').trim()}`;
}

/**
 * Prints every diagnostic (warnings too) and every conflict between policies on `stream`;
 * returns whether the policies are unusable, which stops the run with exit 2.
 */
export function reportPolicyProblems(loaded: LoadedPolicies, stream: OutputStream): boolean {
    for (const d of loaded.diagnostics) stream.write(`${formatDiagnostic(d)}\n`);
    for (const problem of loaded.problems) stream.write(`payrule: error: ${problem}\n`);
    return !loaded.bundle || loaded.diagnostics.some(d => d.severity === 'error') || loaded.problems.length > 0;
}
