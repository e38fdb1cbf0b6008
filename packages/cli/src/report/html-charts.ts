/**
 * The HTML report's charts, as plain SVG written here: bars stacked by severity, each chart with
 * a text title and summary for screen readers and its numbers in a table under "Show the numbers".
 */
import type { SessionResult, Severity } from '@payrule/engine';
import { providerLabel, type ReportContext } from './context.js';
import { escapeMarkup } from './markup.js';

export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const COLOR: Record<Severity, string> = { error: '#b42318', warning: '#dc6803', info: '#175cd3' };
const NOUN: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'] };

export interface ChartRow {
    label: string;
    counts: Record<Severity, number>;
}

export type Dimension = 'rule' | 'code' | 'payer' | 'provider' | 'week';

/** Findings counted by one dimension, largest first (by week: in date order, empty weeks included). */
export function countFindings(sessions: SessionResult[], dimension: Dimension, context?: ReportContext): ChartRow[] {
    const rows = new Map<string, ChartRow>();
    for (const session of sessions) {
        for (const finding of session.findings) {
            let label: string;
            switch (dimension) {
                case 'rule': label = finding.rule; break;
                case 'code': label = finding.code ?? '(whole session)'; break;
                case 'payer': label = session.payer; break;
                case 'provider': label = providerLabel(context?.sources.get(session.id)?.session) ?? '(no provider)'; break;
                case 'week': label = weekOf(session.date); break;
            }
            let row = rows.get(label);
            if (!row) rows.set(label, row = { label, counts: { error: 0, warning: 0, info: 0 } });
            row.counts[finding.severity]++;
        }
    }
    if (dimension === 'week') return fillWeeks([...rows.values()]);
    return [...rows.values()].sort((a, b) => total(b) - total(a) || b.counts.error - a.counts.error || a.label.localeCompare(b.label));
}

export function total(row: ChartRow): number {
    return row.counts.error + row.counts.warning + row.counts.info;
}

/** The Monday of the ISO week of a date, as YYYY-MM-DD. */
export function weekOf(date: string): string {
    const day = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(day.getTime())) return date;
    day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    return day.toISOString().slice(0, 10);
}

/** Weeks in order, with the weeks between that had no finding shown as empty (at most the last 104). */
function fillWeeks(rows: ChartRow[]): ChartRow[] {
    if (rows.length === 0) return rows;
    const byWeek = new Map(rows.map(row => [row.label, row]));
    const sorted = [...byWeek.keys()].sort();
    const out: ChartRow[] = [];
    const last = new Date(`${sorted[sorted.length - 1]}T00:00:00Z`);
    for (const day = new Date(`${sorted[0]}T00:00:00Z`); day <= last; day.setUTCDate(day.getUTCDate() + 7)) {
        const label = day.toISOString().slice(0, 10);
        out.push(byWeek.get(label) ?? { label, counts: { error: 0, warning: 0, info: 0 } });
    }
    return out.slice(-104);
}

function describeCounts(counts: Record<Severity, number>): string {
    const parts = SEVERITIES.filter(s => counts[s] > 0).map(s => `${counts[s]} ${NOUN[s][counts[s] === 1 ? 0 : 1]}`);
    return parts.length > 0 ? parts.join(', ') : 'no findings';
}

function shorten(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const WIDTH = 560;
const LABEL_WIDTH = 180;
const VALUE_WIDTH = 44;
const ROW_HEIGHT = 24;
const MAX_BARS = 15;

/** Horizontal bars, one per value of the dimension, the largest first; past 15, the rest are summed as one bar. */
export function barChart(id: string, title: string, rows: ChartRow[], noun: string): string {
    const shownRows = rows.length > MAX_BARS ? [...rows.slice(0, MAX_BARS - 1), othersRow(rows.slice(MAX_BARS - 1), noun)] : rows;
    const max = Math.max(1, ...shownRows.map(total));
    const barArea = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    const height = Math.max(1, shownRows.length) * ROW_HEIGHT + 6;
    const bars = shownRows.map((row, index) => {
        const y = index * ROW_HEIGHT + 4;
        let x = LABEL_WIDTH;
        const segments = SEVERITIES.filter(s => row.counts[s] > 0).map(severity => {
            const width = (row.counts[severity] / max) * barArea;
            const rect = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(width, 1).toFixed(1)}" height="${ROW_HEIGHT - 10}" fill="${COLOR[severity]}"/>`;
            x += width;
            return rect;
        }).join('');
        return `<g><title>${escapeMarkup(`${row.label}: ${describeCounts(row.counts)}`)}</title>`
            + `<text x="${LABEL_WIDTH - 8}" y="${y + ROW_HEIGHT / 2 + 2}" text-anchor="end">${escapeMarkup(shorten(row.label, 26))}</text>`
            + segments
            + `<text class="value" x="${(x + 6).toFixed(1)}" y="${y + ROW_HEIGHT / 2 + 2}">${total(row)}</text></g>`;
    }).join('');
    const empty = rows.length === 0 ? `<text x="8" y="20">No findings</text>` : '';
    return figure(id, title, rows, noun, `<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">`
        + `<title id="${id}-title">${escapeMarkup(title)}</title><desc id="${id}-desc">${escapeMarkup(summaryOf(rows, noun))}</desc>${bars}${empty}</svg>`);
}

function othersRow(rows: ChartRow[], noun: string): ChartRow {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const row of rows) for (const s of SEVERITIES) counts[s] += row.counts[s];
    return { label: `${rows.length} other ${noun}s`, counts };
}

const COLUMN_HEIGHT = 150;

/** Columns by week, in date order, so a week with more findings than usual stands out. */
export function weekChart(id: string, title: string, rows: ChartRow[]): string {
    const left = 34;
    const bottom = 34;
    const area = WIDTH - left - 8;
    const step = area / Math.max(1, rows.length);
    const barWidth = Math.max(2, Math.min(36, step * 0.7));
    const max = Math.max(1, ...rows.map(total));
    const every = Math.max(1, Math.ceil(rows.length / 8));
    const top = 12;
    const y = (value: number) => top + COLUMN_HEIGHT - (value / max) * COLUMN_HEIGHT;
    const axis = `<line x1="${left}" y1="${top + COLUMN_HEIGHT}" x2="${WIDTH - 4}" y2="${top + COLUMN_HEIGHT}" stroke="#98a2b3"/>`
        + `<text class="value" x="${left - 6}" y="${top + 4}" text-anchor="end">${max}</text>`
        + `<text class="value" x="${left - 6}" y="${top + COLUMN_HEIGHT}" text-anchor="end">0</text>`;
    let labelledYear = '';
    const columns = rows.map((row, index) => {
        const x = left + index * step + (step - barWidth) / 2;
        let base = 0;
        const segments = SEVERITIES.filter(s => row.counts[s] > 0).map(severity => {
            const from = y(base);
            base += row.counts[severity];
            const to = y(base);
            return `<rect x="${x.toFixed(1)}" y="${to.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.max(from - to, 1).toFixed(1)}" fill="${COLOR[severity]}"/>`;
        }).join('');
        let label = '';
        if (index % every === 0) {
            // The year on the first label and wherever it changes: "Oct 20 '25 ... Jan 5 '26 ... Mar 2".
            const year = row.label.slice(0, 4);
            label = `<text x="${(x + barWidth / 2).toFixed(1)}" y="${top + COLUMN_HEIGHT + 16}" text-anchor="middle">`
                + `${escapeMarkup(shortDate(row.label, year !== labelledYear))}</text>`;
            labelledYear = year;
        }
        return `<g><title>${escapeMarkup(`Week of ${row.label}: ${describeCounts(row.counts)}`)}</title>${segments}${label}</g>`;
    }).join('');
    const height = top + COLUMN_HEIGHT + bottom;
    const empty = rows.length === 0 ? `<text x="${left + 8}" y="${top + 20}">No findings</text>` : '';
    return figure(id, title, rows, 'week', `<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">`
        + `<title id="${id}-title">${escapeMarkup(title)}</title><desc id="${id}-desc">${escapeMarkup(summaryOf(rows, 'week'))}</desc>${axis}${columns}${empty}</svg>`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mar 2", or "Mar 2 '26" with the year. */
function shortDate(date: string, withYear: boolean): string {
    const [year, month, day] = date.split('-');
    return `${MONTHS[Number(month) - 1] ?? month} ${Number(day)}${withYear ? ` '${year!.slice(2)}` : ''}`;
}

/** A sentence a screen reader gives instead of the picture. */
function summaryOf(rows: ChartRow[], noun: string): string {
    if (rows.length === 0) return 'No findings.';
    if (noun === 'week') {
        const busiest = [...rows].sort((a, b) => total(b) - total(a))[0]!;
        return `${rows.length} weeks from ${rows[0]!.label} to ${rows[rows.length - 1]!.label}; the most findings (${total(busiest)}) in the week of ${busiest.label}.`;
    }
    const top = rows.slice(0, 3).map(row => `${row.label} (${describeCounts(row.counts)})`).join('; ');
    return `${rows.length} ${rows.length === 1 ? noun : `${noun}s`} with findings. Most: ${top}.`;
}

function figure(id: string, title: string, rows: ChartRow[], noun: string, svg: string): string {
    const heading = noun === 'week' ? 'Week of' : noun.charAt(0).toUpperCase() + noun.slice(1);
    const body = rows.map(row => `<tr><th scope="row">${escapeMarkup(row.label)}</th>${SEVERITIES.map(s => `<td class="num">${row.counts[s]}</td>`).join('')}`
        + `<td class="num">${total(row)}</td></tr>`).join('');
    return `<figure class="chart" id="${id}"><figcaption>${escapeMarkup(title)}</figcaption>${svg}`
        + `<ul class="legend" aria-hidden="true">${SEVERITIES.map(s => `<li><span class="swatch ${s}"></span>${NOUN[s][1] === 'info' ? 'Info' : NOUN[s][1].charAt(0).toUpperCase() + NOUN[s][1].slice(1)}</li>`).join('')}</ul>`
        + `<details><summary>Show the numbers</summary><table class="small-table"><caption>${escapeMarkup(title)}</caption>`
        + `<thead><tr><th scope="col">${escapeMarkup(heading)}</th><th scope="col" class="num">Errors</th><th scope="col" class="num">Warnings</th>`
        + `<th scope="col" class="num">Info</th><th scope="col" class="num">Total</th></tr></thead><tbody>${body}</tbody></table></details></figure>`;
}
