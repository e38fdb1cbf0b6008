/** Periods of limits: which sessions share a visit, day, ISO week (Monday to Sunday), month or calendar year. */
import type { Period } from '../ir/policy.js';
import type { HistoryEntry } from '../evaluate/history.js';
import { dateParts, monthName, weekStart } from '../util/dates.js';

export function periodKey(period: Period, entry: Pick<HistoryEntry, 'id' | 'date'>): string {
    switch (period) {
        case 'visit': return `visit ${entry.id}`;
        case 'day': return entry.date;
        case 'week': return weekStart(entry.date);
        case 'month': return entry.date.slice(0, 7);
        case 'year': return entry.date.slice(0, 4);
    }
}

/** "this visit", "on 2026-03-04", "in the week of 2026-03-02", "in March 2026", "in 2026". */
export function periodPhrase(period: Period, entry: HistoryEntry): string {
    switch (period) {
        case 'visit': return 'this visit';
        case 'day': return `on ${entry.date}`;
        case 'week': return `in the week of ${weekStart(entry.date)}`;
        case 'month': {
            const parts = dateParts(entry.date)!;
            return `in ${monthName(parts.month)} ${parts.year}`;
        }
        case 'year': return `in ${entry.date.slice(0, 4)}`;
    }
}
