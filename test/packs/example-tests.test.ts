/**
 * The example packs carry their own policy tests (examples/packs/**\/*.tests.payrule): every rule of
 * every payer they declare is made to fire by some test, and every test passes.
 */
import { describe, expect, it } from 'vitest';
import { PACKS, payrule } from '../cli/run-payrule.js';

interface JsonTestReport {
    summary: { total: number; passed: number; failed: number };
    tests: { name: string; passed: boolean; error?: string; failures: { message: string }[] }[];
    coverage: { total: number; payers: { payer: string; covered: number; total: number; percent: number; rules: { id: string; fired: boolean }[] }[] };
}

describe('payrule test over the example packs', () => {
    it('passes every test with 100% rule coverage', async () => {
        const run = await payrule(['test', PACKS, '--min-coverage', '100']);
        expect(run.stderr).toBe('');
        expect(run.stdout).toMatch(/\b0 failed\b/);
        expect(run.code).toBe(0);
    });

    it('reports 100% coverage for every payer in the JSON report', async () => {
        const run = await payrule(['test', PACKS, '--min-coverage', '100', '--format', 'json']);
        const report = JSON.parse(run.stdout) as JsonTestReport;
        const failing = report.tests.filter(test => !test.passed)
            .map(test => `${test.name}: ${test.error ?? test.failures.map(failure => failure.message).join('; ')}`);
        expect(failing).toEqual([]);
        expect(report.summary.failed).toBe(0);
        expect(report.summary.total).toBeGreaterThan(0);
        expect(report.coverage.total).toBe(100);
        const payers = Object.fromEntries(report.coverage.payers.map(payer => [payer.payer, payer]));
        expect(Object.keys(payers).sort()).toEqual(['AcmePPO', 'Medicare', 'Medicare2025']);
        for (const payer of report.coverage.payers) {
            const never = payer.rules.filter(rule => !rule.fired).map(rule => `${payer.payer} ${rule.id}`);
            expect(never).toEqual([]);
            expect(payer.percent).toBe(100);
        }
        expect(run.code).toBe(0);
    });
});
