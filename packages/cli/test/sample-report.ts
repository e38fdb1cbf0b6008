/** A hand-built report with one of everything the writers must show. */
import type { Report } from '@payrule/engine';

export function sampleReport(): Report {
    return {
        format: 'payrule-report/1',
        policies: [
            { package: 'cpt.therapy', version: '2026.1.0', payers: [] },
            { package: 'cms.medicare', version: '2026.1.0', payers: ['medicare'] }
        ],
        sessions: [
            {
                id: 'S-2026-0001', patient: 'P-0042', date: '2026-03-04', payer: 'medicare', policy: 'Medicare',
                status: 'findings', units: { '97530': 3 }, billed: { '97530': 2 },
                findings: [
                    {
                        rule: 'skilled-activity', severity: 'warning',
                        message: 'The note does not show the skilled service billed as 97530',
                        code: '97530',
                        explain: ['activities: "therapeutic activities performed" is too vague to show a skilled service'],
                        fix: 'Describe the activity, the cues given and how the patient responded',
                        citation: "Pub 100-02 Ch 15 s220.3 (documentation must show the skilled service and the patient's response)",
                        source: { file: 'examples/packs/medicare/medicare.payrule', line: 76 }
                    },
                    {
                        rule: 'units-match', severity: 'error',
                        message: '97530 billed 2 units; 38 timed minutes support 3',
                        line: 0, code: '97530',
                        explain: ['38 total timed minutes -> 3 units (38-52 minutes)', '97530 carries all 38 timed minutes'],
                        fix: 'Bill 3 units of 97530',
                        citation: 'Pub 100-04 Ch 5 s20.2 (timed minutes pooled per day; 8-minute rule)',
                        source: { file: 'examples/packs/medicare/medicare.payrule', line: 14 }
                    }
                ]
            },
            {
                id: 'S-2026-0002', patient: 'P-0042', date: '2026-03-06', payer: 'medicare',
                status: 'ok', units: { '97110': 2 }, billed: { '97110': 2 }, findings: []
            },
            {
                id: 'S-2026-0003', patient: 'P-0050', date: '2026-03-06', payer: 'medicare',
                status: 'ok', units: { '97110': 1 }, billed: { '97110': 1 }, findings: []
            }
        ],
        rejected: [{ record: 4, file: 'sessions.csv', id: 'S-2026-0004', error: 'row 4: minutes must be a non-negative integer' }],
        summary: {
            records: 4, evaluated: 3, rejected: 1, sessionsWithFindings: 1,
            findings: { error: 1, warning: 1, info: 0 }
        }
    };
}

/** The same report with nothing wrong: every session clean, nothing rejected. */
export function cleanReport(): Report {
    const report = sampleReport();
    report.sessions = report.sessions.filter(s => s.findings.length === 0);
    report.rejected = [];
    report.summary = { records: 2, evaluated: 2, rejected: 0, sessionsWithFindings: 0, findings: { error: 0, warning: 0, info: 0 } };
    return report;
}
