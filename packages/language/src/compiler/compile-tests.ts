/**
 * Lowers `test` blocks to IR tests: sessions become records in the input shape of DATA.md §1,
 * so the engine's own reader and evaluator run them exactly as they run real exports.
 */
import type { PolicyTest, TestExpectation } from '@payrule/engine';
import {
    isCleanExpectation, isFindingExpectation, isUnitsExpectation, type Expectation, type PolicyFile, type Test, type TestSession
} from '../generated/ast.js';
import type { Locate } from './compile-rules.js';

export function compileTest(test: Test, root: PolicyFile, locate: Locate): PolicyTest {
    return {
        name: test.name,
        ...(root.name ? { package: root.name } : {}),
        location: locate(test),
        sessions: test.sessions.map((session, index) => compileSession(session, `${test.name} #${index + 1}`)),
        expectations: test.expectations.map(expectation => compileExpectation(expectation, locate))
    };
}

function compileSession(session: TestSession, fallbackId: string): Record<string, unknown> {
    const note = Object.fromEntries(session.notes.map(n => [n.element, n.text]));
    const extra = Object.fromEntries(session.extras.map(e => [e.name, e.value]));
    return {
        id: session.id ?? fallbackId,
        patient: session.patient ?? 'TEST-PATIENT',
        // Without a date the runner uses the start of the payer's effective range.
        ...(session.date ? { date: session.date } : {}),
        payer: session.payer,
        discipline: session.discipline,
        ...(session.role ? { provider: { role: session.role } } : {}),
        ...(session.diagnoses.length > 0 ? { diagnoses: [...session.diagnoses] } : {}),
        lines: session.lines.map(line => ({
            code: String(line.code),
            ...(line.minutes !== undefined ? { minutes: line.minutes } : {}),
            // Without units the runner bills what the payer's unit method supports.
            ...(line.units !== undefined ? { units: line.units } : {}),
            modifiers: line.modifiers.map(String),
            ...(line.allowed !== undefined ? { allowed: line.allowed } : {}),
            ...(line.assistantMinutes !== undefined ? { assistantMinutes: line.assistantMinutes } : {})
        })),
        ...(session.totalMinutes !== undefined ? { totalMinutes: session.totalMinutes } : {}),
        note,
        ...(session.extras.length > 0 ? { extra } : {}),
        ...(session.submitted ? { submitted: session.submitted } : {}),
        ...(session.authorizationId !== undefined ? {
            authorization: {
                id: session.authorizationId,
                ...(session.visitNumber !== undefined ? { visitNumber: session.visitNumber } : {}),
                ...(session.visitsApproved !== undefined ? { visitsApproved: session.visitsApproved } : {})
            }
        } : {})
    };
}

function compileExpectation(expectation: Expectation, locate: Locate): TestExpectation {
    const location = locate(expectation);
    if (isUnitsExpectation(expectation)) {
        return { kind: 'units', code: String(expectation.code), units: expectation.units, location };
    }
    if (isFindingExpectation(expectation)) {
        return {
            kind: 'finding', rule: expectation.rule.$refText, absent: expectation.absent,
            ...(expectation.severity ? { severity: expectation.severity as 'error' | 'warning' | 'info' } : {}),
            ...(expectation.text !== undefined ? { text: expectation.text } : {}),
            location
        };
    }
    if (isCleanExpectation(expectation)) return { kind: 'clean', level: expectation.level as 'errors' | 'warnings' | 'findings', location };
    throw new Error(`Unexpected expectation ${(expectation as Expectation).$type}`);
}
