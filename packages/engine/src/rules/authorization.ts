/**
 * `authorization`: visits count per patient, payer id and calendar year in date order (ties by
 * session id). Visit k beyond `afterVisits` (every visit when absent) needs an authorization id;
 * an authorization's visit number may not exceed the visits it approves.
 * Placeholders: visit (this visit's number in the year), afterVisits, approved, visitNumber.
 */
import type { AuthorizationRule } from '../ir/policy.js';
import type { Finding } from '../report/report.js';
import { plural } from '../util/text.js';
import type { RuleContext } from './context.js';
import { makeFinding } from './finding.js';

export function evaluateAuthorization(rule: AuthorizationRule, context: RuleContext): Finding[] {
    const { session } = context;
    const visit = visitOfYear(context);
    const findings: Finding[] = [];
    const needsAuthorization = rule.afterVisits === undefined || visit > rule.afterVisits;
    const authorization = session.authorization;
    const values = {
        visit,
        afterVisits: rule.afterVisits ?? 0,
        approved: authorization?.visitsApproved ?? '',
        visitNumber: authorization?.visitNumber ?? ''
    };
    if (needsAuthorization && !authorization?.id) {
        const free = rule.afterVisits === undefined ? 'every visit needs one' : `${plural(rule.afterVisits, 'visit')} per year are allowed without one`;
        findings.push(makeFinding(rule, context, {
            message: `Visit ${visit} in ${session.date.slice(0, 4)} has no authorization; ${free}`,
            values,
            explain: [`${session.payer}: ${free}`, `This is visit ${visit} of ${session.patient} with ${session.payer} in ${session.date.slice(0, 4)}`],
            fix: 'Obtain an authorization and record its number on the session'
        }));
    }
    const approved = authorization?.visitsApproved;
    const number = authorization?.visitNumber;
    if (approved !== undefined && number !== undefined && number > approved) {
        findings.push(makeFinding(rule, context, {
            message: `Visit ${number} of ${authorization?.id ? `authorization ${authorization.id}` : 'the authorization'} goes beyond the ${plural(approved, 'visit')} it approves`,
            values,
            explain: [`The authorization approves ${plural(approved, 'visit')}; this session is its visit ${number}`],
            fix: 'Request more visits on the authorization before billing this one'
        }));
    }
    return findings;
}

/** 1-based number of the session among the patient's visits with this payer id in its calendar year. */
function visitOfYear(context: RuleContext): number {
    return context.history.visitOfYear();
}
