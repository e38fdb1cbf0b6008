/** JUnit XML for CI dashboards: one test suite per policy package, one test case per policy test. */
import type { TestOutcome, TestRun } from '@payrule/engine';

export function writeTestJunit(run: TestRun): string {
    const suites = new Map<string, TestOutcome[]>();
    for (const outcome of run.outcomes) {
        const name = outcome.test.package ?? outcome.test.location.file;
        suites.set(name, [...(suites.get(name) ?? []), outcome]);
    }
    const out = ['<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="payrule" tests="${run.summary.total}" failures="${run.summary.failed}" time="${seconds(run.outcomes)}">`];
    for (const [name, outcomes] of suites) {
        const failures = outcomes.filter(o => !o.passed && !o.error).length;
        const errors = outcomes.filter(o => o.error).length;
        out.push(`  <testsuite name="${xml(name)}" tests="${outcomes.length}" failures="${failures}" errors="${errors}" time="${seconds(outcomes)}">`);
        for (const outcome of outcomes) out.push(...testCase(name, outcome));
        out.push('  </testsuite>');
    }
    out.push('</testsuites>');
    return `${out.join('\n')}\n`;
}

function testCase(suite: string, outcome: TestOutcome): string[] {
    const { test } = outcome;
    const open = `    <testcase classname="${xml(suite)}" name="${xml(test.name)}" file="${xml(test.location.file)}" line="${test.location.line}" time="${(outcome.durationMs / 1000).toFixed(3)}"`;
    if (outcome.passed) return [`${open}/>`];
    const body = outcome.error
        ? [`      <error message="${xml(outcome.error)}"/>`]
        : outcome.failures.map(f => `      <failure message="${xml(f.message)}">${xml(`${f.message}\nat ${f.expectation.location.file}:${f.expectation.location.line}`)}</failure>`);
    return [`${open}>`, ...body, '    </testcase>'];
}

function seconds(outcomes: TestOutcome[]): string {
    return (outcomes.reduce((sum, o) => sum + o.durationMs, 0) / 1000).toFixed(3);
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold. */
export function xml(text: string): string {
    return text
        .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
        .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
