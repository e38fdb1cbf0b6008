/**
 * The one-line verdict the text and HTML reports close or open with: nothing read, not ready
 * (errors or rejected records), review first (warnings, or a notice of what the run could not
 * check), or ready. Each report words it in its own voice from these counts.
 */
import type { Report } from '@payrule/engine';
import { count } from './layout.js';

export type VerdictLook = 'nothing' | 'bad' | 'review' | 'good';

export interface Verdict {
    look: VerdictLook;
    /** Not ready: what to do first ("fix 2 errors in 1 session and correct 1 rejected record"). Review: what to look at. */
    todo: string;
}

export function verdictOf(report: Report): Verdict {
    const { summary } = report;
    const errors = summary.findings.error ?? 0;
    const warnings = summary.findings.warning ?? 0;
    const notices = report.notices?.length ?? 0;
    if (summary.records === 0) return { look: 'nothing', todo: '' };
    if (errors > 0 || summary.rejected > 0) {
        const blockers: string[] = [];
        if (errors > 0) blockers.push(`fix ${count(errors, 'error')} in ${count(sessionsWithErrors(report), 'session')}`);
        if (summary.rejected > 0) blockers.push(`correct ${count(summary.rejected, 'rejected record')}`);
        return { look: 'bad', todo: blockers.join(' and ') };
    }
    if (warnings > 0 || notices > 0) {
        const review: string[] = [];
        if (warnings > 0) review.push(count(warnings, 'warning'));
        if (notices > 0) review.push(count(notices, 'notice'));
        return { look: 'review', todo: review.join(' and ') };
    }
    return { look: 'good', todo: '' };
}

function sessionsWithErrors(report: Report): number {
    return report.sessions.filter(session => session.findings.some(finding => finding.severity === 'error')).length;
}
