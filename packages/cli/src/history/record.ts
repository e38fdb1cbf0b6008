/** Writes one `payrule check` run and every finding it made into the history, in one transaction. */
import type { Database } from 'better-sqlite3';
import type { Report } from '@payrule/engine';
import { describeRecord, type ReportContext } from '../report/context.js';
import type { InputDigest, PolicyDigest } from './digest.js';

export interface RunRecord {
    recordedAt: string;
    toolVersion: string;
    inputKey: string;
    asOf?: string;
    redacted: boolean;
    exitCode: number;
    policies: PolicyDigest[];
    policyDigest: string;
    inputs: InputDigest[];
}

/** Records the run; returns its number. */
export function recordRun(db: Database, run: RunRecord, report: Report, context: ReportContext): number {
    const insertRun = db.prepare(`INSERT INTO runs (recorded_at, tool_version, input_key, as_of, redacted, records, evaluated, rejected,
        sessions_with_findings, errors, warnings, infos, exit_code, policy_digest)
        VALUES (@recordedAt, @toolVersion, @inputKey, @asOf, @redacted, @records, @evaluated, @rejected, @sessionsWithFindings,
        @errors, @warnings, @infos, @exitCode, @policyDigest)`);
    const insertPolicy = db.prepare('INSERT INTO run_policies (run_id, position, package, version, payers, digest) VALUES (?, ?, ?, ?, ?, ?)');
    const insertInput = db.prepare('INSERT INTO run_inputs (run_id, position, path, digest, bytes) VALUES (?, ?, ?, ?, ?)');
    const insertFinding = db.prepare(`INSERT INTO findings (run_id, session_id, claim, patient, date_of_service, payer, provider, code, line,
        rule, severity, message, fix, citation, policy_source, input_record)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const { summary } = report;
    return db.transaction(() => {
        const result = insertRun.run({
            recordedAt: run.recordedAt,
            toolVersion: run.toolVersion,
            inputKey: run.inputKey,
            asOf: run.asOf ?? null,
            redacted: run.redacted ? 1 : 0,
            records: summary.records,
            evaluated: summary.evaluated,
            rejected: summary.rejected,
            sessionsWithFindings: summary.sessionsWithFindings,
            errors: summary.findings.error ?? 0,
            warnings: summary.findings.warning ?? 0,
            infos: summary.findings.info ?? 0,
            exitCode: run.exitCode,
            policyDigest: run.policyDigest
        });
        const runId = Number(result.lastInsertRowid);
        run.policies.forEach((policy, position) =>
            insertPolicy.run(runId, position, policy.package, policy.version ?? null, policy.payers.join(','), policy.digest));
        run.inputs.forEach((input, position) => insertInput.run(runId, position, input.path, input.digest ?? null, input.bytes ?? null));
        for (const session of report.sessions) {
            const source = context.sources.get(session.id);
            for (const finding of session.findings) {
                insertFinding.run(
                    runId, session.id, source?.session.claim ?? null, session.patient, session.date, session.payer,
                    source?.session.provider?.id ?? null, finding.code ?? null, finding.line ?? null, finding.rule, finding.severity,
                    finding.message, finding.fix ?? null, finding.citation ?? null, `${finding.source.file}:${finding.source.line}`,
                    source ? describeRecord(source) : null
                );
            }
        }
        return runId;
    })();
}
