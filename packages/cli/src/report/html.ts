/**
 * The HTML report: one self-contained page (style, script and charts inline, nothing fetched) for
 * practice owners, billers, compliance leads and auditors. Summary figures and the verdict first,
 * then the money at risk, where the findings are (charts), and every session with what to fix,
 * why, and the payer's rule behind it, in a table that can be searched, filtered and sorted.
 *
 * Every value from records and policies is escaped; the page's Content-Security-Policy runs only
 * its own script and style (by hash), loads nothing, and sends nothing anywhere.
 */
import { createHash } from 'node:crypto';
import type { Finding, Report, SessionResult, Severity } from '@payrule/engine';
import { describeRecord, providerLabel, type ReportContext, type SessionSource } from './context.js';
import { barChart, countFindings, SEVERITIES, weekChart } from './html-charts.js';
import { HTML_NOSCRIPT_STYLE, HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { count } from './layout.js';
import { escapeMarkup as esc } from './markup.js';
import { formatDollars, VALUATION_NOTE, type RevenueAtRisk, type UnitGap } from './money.js';
import { verdictOf } from './verdict.js';

export interface HtmlReportOptions {
    context?: ReportContext;
}

const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };
const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
/** Sessions shown at first, and added by each "Show more". */
const PAGE = 200;

export function writeHtmlReport(report: Report, options: HtmlReportOptions = {}): string {
    const context = options.context;
    const csp = [
        "default-src 'none'",
        `style-src '${hashOf(HTML_STYLE)}' '${hashOf(HTML_NOSCRIPT_STYLE)}'`,
        `script-src '${hashOf(HTML_SCRIPT)}'`,
        'img-src data:',
        "base-uri 'none'",
        "form-action 'none'"
    ].join('; ');
    const title = `Billing check: ${count(report.summary.evaluated, 'session')}${context?.generatedAt ? `, ${context.generatedAt.slice(0, 10)}` : ''}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="Payrule${context?.toolVersion ? ` ${esc(context.toolVersion)}` : ''}">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
<noscript><style>${HTML_NOSCRIPT_STYLE}</style></noscript>
</head>
<body>
<a class="skip" href="#sessions">Skip to the sessions</a>
${header(report, context)}
<main>
${summarySection(report)}
${noticesSection(report)}
${moneySection(context?.money)}
${chartsSection(report, context)}
${sessionsSection(report, context)}
${rejectedSection(report, context)}
${aboutSection(context)}
</main>
<footer><p>Made by Payrule${context?.toolVersion ? ` ${esc(context.toolVersion)}` : ''} from the session records and payer policies named above.`
        + ` Findings are checks against the policies as written; the payer's own text, cited with each rule, decides.</p></footer>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

function hashOf(text: string): string {
    return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

function header(report: Report, context: ReportContext | undefined): string {
    const meta: string[] = [];
    if (context?.generatedAt) meta.push(`<span>Checked <time datetime="${esc(context.generatedAt)}">${esc(readableTime(context.generatedAt))}</time></span>`);
    if (report.policies.length > 0) {
        const policies = report.policies.map(p => `${p.package}${p.version ? ` ${p.version}` : ''}${p.payers.length > 0 ? ` (${p.payers.join(', ')})` : ''}`);
        meta.push(`<span>Against ${esc(policies.join(', '))}</span>`);
    }
    if (context?.inputs?.length) meta.push(`<span>${context.inputs.length === 1 ? 'Input' : 'Inputs'}: ${esc(context.inputs.join(', '))}</span>`);
    if (context?.redacted) meta.push('<span>Patient identifiers replaced by tokens</span>');
    const verdict = verdictText(report);
    return `<header>
<h1>Billing check before the claims go out</h1>
<p class="meta">${meta.join('')}</p>
<p class="verdict verdict-${verdict.look}" role="status">${esc(verdict.text)}</p>
</header>`;
}

function readableTime(iso: string): string {
    const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** The same one-line verdict as the text report: ready, review first, or not ready and why. */
function verdictText(report: Report): { text: string; look: 'good' | 'review' | 'bad' } {
    const verdict = verdictOf(report);
    switch (verdict.look) {
        case 'nothing': return { text: 'Nothing to check: no session records were read.', look: 'review' };
        case 'bad': return { text: `Not ready to bill: ${verdict.todo}, then check again.`, look: 'bad' };
        case 'review': return { text: `Review before billing: no errors, but ${verdict.todo} to look at.`, look: 'review' };
        case 'good': return { text: `Ready to bill: no errors or warnings in ${count(report.summary.evaluated, 'session')}.`, look: 'good' };
    }
}

function figure(label: string, value: string, extra = '', note = ''): string {
    return `<div class="figure${extra ? ` ${extra}` : ''}"><dt>${esc(label)}</dt><dd>${esc(value)}${note ? `<small>${esc(note)}</small>` : ''}</dd></div>`;
}

function summarySection(report: Report): string {
    const { summary } = report;
    const figures = [
        figure('Records read', String(summary.records)),
        figure('Sessions checked', String(summary.evaluated)),
        figure('Sessions with findings', String(summary.sessionsWithFindings)),
        figure('Errors', String(summary.findings.error ?? 0), 'error', 'must be fixed before billing'),
        figure('Warnings', String(summary.findings.warning ?? 0), 'warning', 'to review'),
        figure('Info', String(summary.findings.info ?? 0), 'info', 'for your information'),
        figure('Rejected records', String(summary.rejected), summary.rejected > 0 ? 'error' : '', 'could not be checked')
    ];
    return `<section aria-labelledby="summary-heading">
<h2 id="summary-heading">Summary</h2>
<dl class="figures" id="summary-figures">${figures.join('')}</dl>
</section>`;
}

/** What the run could not check and no finding says: before the sessions, since it bears on all of them. */
function noticesSection(report: Report): string {
    const notices = report.notices ?? [];
    if (notices.length === 0) return '';
    return `<section aria-labelledby="notices-heading" id="notices">
<h2 id="notices-heading">What this check could not see</h2>
<ul class="notices">${notices.map(notice => `<li>${esc(notice.message)}</li>`).join('')}</ul>
</section>`;
}

function moneySection(money: RevenueAtRisk | undefined): string {
    if (!money) return '';
    const rows = gapRows(money.gaps);
    const table = rows.length === 0 ? '<p>Every session bills the units its minutes support: nothing to recoup, nothing left behind.</p>'
        : `<table class="small-table"><caption>Unit differences by payer and code</caption>
<thead><tr><th scope="col">Payer</th><th scope="col">Code</th><th scope="col" class="num">Over-billed units</th><th scope="col" class="num">Would be recouped</th>`
        + `<th scope="col" class="num">Under-billed units</th><th scope="col" class="num">Left behind</th><th scope="col" class="num">Sessions</th></tr></thead>
<tbody>${rows.map(row => `<tr><td>${esc(row.payer)}</td><td>${esc(row.code)}</td><td class="num">${row.overUnits}</td>`
            + `<td class="num">${esc(formatDollars(row.recoupedCents))}</td><td class="num">${row.underUnits}</td><td class="num">${esc(formatDollars(row.leftBehindCents))}</td>`
            + `<td class="num">${row.sessions}</td></tr>`).join('')}</tbody></table>`;
    const unpriced = money.unpricedUnits > 0
        ? `<p>${esc(count(money.unpricedUnits, 'unit'))} of difference had no allowed amount and no fee in the policy: counted above, not valued.</p>` : '';
    return `<section aria-labelledby="money-heading" id="money">
<h2 id="money-heading">Revenue at risk</h2>
<dl class="figures">${figure('Would be recouped', formatDollars(money.recoupedCents), 'money error', `${count(money.overUnits, 'unit')} billed beyond the minutes`)}`
        + `${figure('Left behind', formatDollars(money.leftBehindCents), 'money warning', `${count(money.underUnits, 'unit')} the minutes support but not billed`)}`
        + `${figure('Sessions affected', String(money.sessions))}</dl>
<p class="note"><strong>How this is valued.</strong> ${esc(VALUATION_NOTE)}</p>
${unpriced}
${table}
</section>`;
}

interface GapRow {
    payer: string;
    code: string;
    overUnits: number;
    recoupedCents: number;
    underUnits: number;
    leftBehindCents: number;
    sessions: number;
}

function gapRows(gaps: UnitGap[]): GapRow[] {
    const rows = new Map<string, GapRow & { ids: Set<string> }>();
    for (const gap of gaps) {
        const key = `${gap.payer}\u0000${gap.code}`;
        let row = rows.get(key);
        if (!row) rows.set(key, row = { payer: gap.payer, code: gap.code, overUnits: 0, recoupedCents: 0, underUnits: 0, leftBehindCents: 0, sessions: 0, ids: new Set() });
        if (gap.direction === 'over') {
            row.overUnits += gap.units;
            row.recoupedCents += gap.cents ?? 0;
        } else {
            row.underUnits += gap.units;
            row.leftBehindCents += gap.cents ?? 0;
        }
        row.ids.add(gap.sessionId);
        row.sessions = row.ids.size;
    }
    return [...rows.values()].sort((a, b) => (b.recoupedCents + b.leftBehindCents) - (a.recoupedCents + a.leftBehindCents) || a.payer.localeCompare(b.payer) || a.code.localeCompare(b.code));
}

function chartsSection(report: Report, context: ReportContext | undefined): string {
    const sessions = report.sessions;
    return `<section aria-labelledby="charts-heading" id="charts">
<h2 id="charts-heading">Where the findings are</h2>
<div class="charts">
${barChart('chart-rule', 'Findings by rule', countFindings(sessions, 'rule', context), 'rule')}
${barChart('chart-payer', 'Findings by payer', countFindings(sessions, 'payer', context), 'payer')}
${barChart('chart-code', 'Findings by code', countFindings(sessions, 'code', context), 'code')}
${barChart('chart-provider', 'Findings by provider', countFindings(sessions, 'provider', context), 'provider')}
${weekChart('chart-week', 'Findings by week of service', countFindings(sessions, 'week', context))}
</div>
</section>`;
}

function worst(session: SessionResult): Severity | undefined {
    return SEVERITIES.find(severity => session.findings.some(f => f.severity === severity));
}

/** Sessions with errors first, then warnings, then information, then clean ones; input order within each. */
function sessionOrder(sessions: SessionResult[]): SessionResult[] {
    const rank = (s: SessionResult) => { const w = worst(s); return w ? SEVERITY_RANK[w] : 0; };
    return sessions.map((session, index) => ({ session, index }))
        .sort((a, b) => rank(b.session) - rank(a.session) || a.index - b.index)
        .map(item => item.session);
}

function sessionsSection(report: Report, context: ReportContext | undefined): string {
    // Past the first page rows start hidden: laying out thousands of sessions at once takes a browser many seconds.
    const rows = sessionOrder(report.sessions).map((session, index) => sessionRow(session, context?.sources.get(session.id), index >= PAGE)).join('\n');
    const sortable = (label: string, type = 'text', extra = '') =>
        `<th scope="col" aria-sort="none" data-type="${type}"${extra}><button type="button">${esc(label)}</button></th>`;
    return `<section aria-labelledby="sessions-heading" id="sessions">
<h2 id="sessions-heading">Sessions</h2>
<div class="controls" id="controls" hidden>
<label for="search">Search sessions, patients, claims, codes, messages<input type="search" id="search" autocomplete="off" placeholder="e.g. 97530 or units-match"></label>
<label for="severity">Show<select id="severity"><option value="">all sessions</option><option value="error">sessions with errors</option>`
        + `<option value="warning">sessions with warnings</option><option value="info">sessions with info</option></select></label>
<label class="check" for="only-findings"><input type="checkbox" id="only-findings"> Only sessions with findings</label>
<p id="shown" aria-live="polite"></p>
</div>
<table class="sessions" id="session-table" data-page="${PAGE}">
<caption>${esc(count(report.sessions.length, 'session'))} checked, those with errors first. Each finding says what is wrong, why, what to do, and the payer rule behind it. Click a column heading to sort.</caption>
<colgroup><col class="c-session"><col class="c-claim"><col class="c-patient"><col class="c-date"><col class="c-payer"><col class="c-provider">`
        + `<col class="c-units"><col class="c-status"><col class="c-findings"></colgroup>
<thead><tr>${sortable('Session')}${sortable('Claim')}${sortable('Patient')}${sortable('Date of service')}${sortable('Payer')}${sortable('Provider')}`
        + `<th scope="col">Units billed</th>${sortable('Status', 'number')}<th scope="col">Findings</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p id="no-match" class="none" hidden>No session matches the search.</p>
<div class="paging" id="paging" hidden><button type="button" id="show-more">Show more</button><button type="button" id="show-all">Show all</button>`
        + `<span class="none">Printing shows the sessions listed on screen.</span></div>
</section>`;
}

function sessionRow(session: SessionResult, source: SessionSource | undefined, hidden: boolean): string {
    const severities = SEVERITIES.filter(severity => session.findings.some(f => f.severity === severity));
    const w = worst(session);
    const statusSort = w ? SEVERITY_RANK[w] * 10000 + session.findings.length : 0;
    const status = w
        ? SEVERITIES.filter(s => severities.includes(s)).map(s => `<span class="status ${s}">${esc(count(session.findings.filter(f => f.severity === s).length, s))}</span>`).join(' ')
        : '<span class="status ok">No findings</span>';
    const findings = session.findings.length === 0 ? '<span class="none">Nothing to fix</span>'
        : `<ul class="findings">${[...session.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]).map(findingItem).join('')}</ul>`;
    const record = source ? `<span class="record">${esc(describeRecord(source))}</span>` : '';
    return `<tr data-status="${session.findings.length > 0 ? 'findings' : 'ok'}" data-severities="${severities.join(' ')}"${hidden ? ' hidden' : ''}>`
        + `<th scope="row" data-sort="${esc(session.id)}"><span class="nowrap">${esc(session.id)}</span>${record}</th>`
        + `<td class="nowrap">${esc(source?.session.claim ?? '')}</td>`
        + `<td class="nowrap">${esc(session.patient)}</td>`
        + `<td class="nowrap" data-sort="${esc(session.date)}">${esc(session.date)}</td>`
        + `<td class="nowrap">${esc(session.payer)}</td>`
        + `<td>${esc(providerLabel(source?.session) ?? '')}</td>`
        + `<td>${codesList(session)}</td>`
        + `<td data-sort="${statusSort}">${status}</td>`
        + `<td class="findings-cell">${findings}</td></tr>`;
}

/** Each code with its billed units; where the minutes support another number, both. */
function codesList(session: SessionResult): string {
    const codes = [...new Set([...Object.keys(session.billed), ...Object.keys(session.units)])];
    return `<ul class="codes">${codes.map(code => {
        const billed = session.billed[code] ?? 0;
        const supported = session.units[code];
        if (supported === undefined || supported === billed) return `<li>${esc(code)} × ${billed}</li>`;
        return `<li class="gap">${esc(code)} × ${billed} <span>(supports ${supported})</span></li>`;
    }).join('')}</ul>`;
}

function findingItem(finding: Finding): string {
    const details: string[] = [];
    if (finding.explain.length > 0) details.push(`<dt>Why</dt><dd><ul>${finding.explain.map(step => `<li>${esc(step)}</li>`).join('')}</ul></dd>`);
    if (finding.fix) details.push(`<dt>Fix</dt><dd>${esc(finding.fix)}</dd>`);
    const rule = [`${finding.rule}`];
    if (finding.line !== undefined) rule.push(`claim line ${finding.line + 1}${finding.code ? ` (${finding.code})` : ''}`);
    else if (finding.code) rule.push(finding.code);
    details.push(`<dt>Rule</dt><dd>${esc(rule.join(', '))}</dd>`);
    details.push(`<dt>Source</dt><dd>${finding.citation ? `${esc(finding.citation)} ` : ''}<span class="cite">(${esc(`${finding.source.file}:${finding.source.line}`)})</span></dd>`);
    return `<li class="finding ${finding.severity}"><p class="what"><span class="sev">${SEVERITY_LABEL[finding.severity]}</span>${esc(finding.message)}</p>`
        + `<dl>${details.join('')}</dl></li>`;
}

function rejectedSection(report: Report, context: ReportContext | undefined): string {
    if (report.rejected.length === 0) return '';
    const single = context?.inputs?.length === 1 ? context.inputs[0] : undefined;
    const rows = report.rejected.map(r => `<tr><td>${esc(r.file ?? single ?? '')}</td><td class="num">${r.record}</td><td>${esc(r.id ?? '')}</td><td>${esc(r.error)}</td></tr>`).join('');
    return `<section aria-labelledby="rejected-heading" id="rejected">
<h2 id="rejected-heading">Records that could not be checked</h2>
<p>Correct these records and check again: until then nothing is known about them.</p>
<table><caption>${esc(count(report.rejected.length, 'rejected record'))}</caption>
<thead><tr><th scope="col">Input</th><th scope="col" class="num">Record</th><th scope="col">Session</th><th scope="col">Problem</th></tr></thead>
<tbody>${rows}</tbody></table>
</section>`;
}

function aboutSection(context: ReportContext | undefined): string {
    const privacy = context?.redacted
        ? '<p>Patient identifiers (and names, where a field held them) were replaced by tokens made with the practice\'s secret key: the same patient has the same token throughout, and only the practice can tell who it is.</p>'
        : '<p>This report holds patient identifiers as the records gave them: share it only where patient information may go, or make it with <code>--redact</code>.</p>';
    return `<section aria-labelledby="about-heading" id="about">
<h2 id="about-heading">How to read this report</h2>
<ul>
<li><strong>Error</strong>: the claim would be denied or paid back as it stands; fix it before billing.</li>
<li><strong>Warning</strong>: likely to be questioned on review (often the note); look at it before billing.</li>
<li><strong>Info</strong>: worth knowing, nothing to fix (for example a patient nearing a yearly threshold).</li>
<li>Each finding names the payer rule it comes from, with the payer's own text cited and the line of the policy where it is written.</li>
</ul>
${context?.money ? `<p><strong>Revenue at risk.</strong> ${esc(VALUATION_NOTE)}</p>` : ''}
${privacy}
</section>`;
}
