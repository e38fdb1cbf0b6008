/**
 * The text summary of `payrule test`, in the manner of vitest: a line per test, details under each
 * failing one (expected against actual, then what the engine found and why), coverage, totals.
 */
import type { TestOutcome, TestRun } from '@payrule/engine';
import { createStyle, type Style } from '../report/style.js';

export interface TestTextOptions {
    color: boolean;
    coverage: boolean;
}

export function writeTestText(run: TestRun, options: TestTextOptions): string {
    const style = createStyle(options.color);
    const out: string[] = [];
    for (const outcome of run.outcomes) out.push(...describeOutcome(outcome, style));
    if (run.outcomes.length === 0) out.push(style.caution('No tests found.'));
    if (options.coverage) out.push('', ...describeCoverage(run, style));
    const { passed, failed, total } = run.summary;
    out.push('', `${style.heading('Tests')}  ${failed > 0 ? style.bad(`${failed} failed`) + ' | ' : ''}${style.good(`${passed} passed`)} (${total})`);
    // The plain closing line CI systems look for.
    out.push(`${passed} passed, ${failed} failed`);
    return `${out.join('\n')}\n`;
}

function describeOutcome(outcome: TestOutcome, style: Style): string[] {
    const where = `${outcome.test.location.file}:${outcome.test.location.line}`;
    if (outcome.passed) return [` ${style.good('✓')} ${outcome.test.name} ${style.dim(`(${where})`)}`];
    const lines = [` ${style.bad('✗')} ${style.heading(outcome.test.name)} ${style.dim(`(${where})`)}`];
    if (outcome.error) lines.push(`     ${style.bad('could not run:')} ${outcome.error}`);
    for (const failure of outcome.failures) {
        lines.push(`     ${failure.message}`);
        lines.push(`       ${style.dim(`at ${failure.expectation.location.file}:${failure.expectation.location.line}`)}`);
    }
    const result = outcome.result;
    if (result) {
        const units = Object.entries(result.units).map(([code, n]) => `${code} x${n}`).join(', ') || 'none';
        lines.push(`     ${style.dim(`session ${result.id} (${result.policy ?? result.payer}, ${result.date}): supported units ${units}`)}`);
        for (const finding of result.findings) {
            lines.push(`       ${style.severity[finding.severity](finding.severity)} ${finding.rule}: ${finding.message}`);
            for (const step of finding.explain) lines.push(`         ${style.dim(step)}`);
        }
    }
    return lines;
}

function describeCoverage(run: TestRun, style: Style): string[] {
    const lines = [`${style.heading('Rule coverage')}  ${run.totalCoverage}% of rules in force fired in some test`];
    for (const payer of run.coverage) {
        lines.push(`  ${payer.payer} (${payer.id}): ${payer.covered}/${payer.total} rules, ${payer.percent}%`);
        const missing = payer.rules.filter(rule => !rule.fired);
        for (const rule of missing) lines.push(`    ${style.caution('never fired')} ${rule.id} ${style.dim(`${rule.location.file}:${rule.location.line}`)}`);
    }
    return lines;
}
