/** The readable report the extension writes to its output channel. */
import { describe, expect, test } from 'vitest';
import type { EditorReport } from '../src/protocol.js';
import { reportText, summaryLine } from '../src/report-text.js';

const report: EditorReport = {
    format: 'payrule-report/1',
    policies: [{ package: 'acme.ppo', payers: ['acme-ppo'] }],
    sessions: [
        {
            id: 'S-1', patient: 'P-1', date: '2026-03-04', payer: 'acme-ppo', policy: 'AcmePPO', status: 'findings',
            units: { '97530': 3 }, billed: { '97530': 4 },
            findings: [{
                rule: 'units-match', severity: 'error', message: '97530 billed 4 units; 38 minutes support 3', line: 0, code: '97530',
                explain: ['38 minutes of 97530 -> 3 units (38-52 minutes)'], fix: 'Bill 3 units of 97530',
                citation: 'Acme PPO provider manual s4.2', source: { file: 'examples/packs/acme-ppo/acme-ppo.payrule', line: 14 }
            }]
        },
        { id: 'S-2', patient: 'P-2', date: '2026-03-05', payer: 'acme-ppo', status: 'ok', units: {}, billed: {}, findings: [] }
    ],
    rejected: [{ record: 9, file: 'week.csv', id: 'S-9', error: 'row 9: minutes must be a non-negative integer' }],
    summary: { records: 3, evaluated: 2, rejected: 1, sessionsWithFindings: 1, findings: { error: 1, warning: 0, info: 0 } },
    inputs: [{ file: 'examples/sessions/week.csv', uri: 'file:///w/examples/sessions/week.csv', sessions: 2 }],
    checked: { policy: 'file:///w/acme-ppo.payrule', payer: 'acme-ppo', skipped: 40 }
};

describe('report text', () => {
    test('the run\'s notices under the summary line, before the sessions', () => {
        const message = 'All 2 lines that count toward the medicare thresholds (kx) have no allowed amount.';
        const text = reportText({ ...report, notices: [{ kind: 'unpriced-lines', payer: 'medicare', lines: 2, of: 2, message }] }, 'acme-ppo.payrule');
        expect(text).toContain(`1 error, 0 warnings, 0 info\n\nNotice: ${message}\n\nS-1`);
        expect(reportText(report, 'acme-ppo.payrule')).not.toContain('Notice:');
    });

    test('a summary line with counts', () => {
        expect(summaryLine(report)).toBe('3 records: 2 checked, 1 rejected · 1 session with findings · 1 error, 0 warnings, 0 info');
    });

    test('each session with findings: why, fix and source; then the clean ones and the rejected records', () => {
        expect(reportText(report, 'acme-ppo.payrule')).toBe([
            'Payrule check: acme-ppo.payrule against examples/sessions/week.csv for payer "acme-ppo"',
            '40 sessions billed to other payers left out',
            '3 records: 2 checked, 1 rejected · 1 session with findings · 1 error, 0 warnings, 0 info',
            '',
            'S-1  patient P-1  2026-03-04  acme-ppo (AcmePPO)',
            '  units supported / billed: 97530 3/4',
            '  ERROR units-match: 97530 billed 4 units; 38 minutes support 3 (line 1, 97530)',
            '      why: 38 minutes of 97530 -> 3 units (38-52 minutes)',
            '      fix: Bill 3 units of 97530',
            '      source: Acme PPO provider manual s4.2 — examples/packs/acme-ppo/acme-ppo.payrule:14',
            '',
            '1 session without findings: S-2',
            '',
            'Records that could not be checked:',
            '  week.csv record 9 (S-9): row 9: minutes must be a non-negative integer',
            ''
        ].join('\n'));
    });
});
