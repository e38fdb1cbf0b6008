import type { Report } from '@payrule/engine';

/** The report exactly as DATA.md §2 fixes it: other programs read these field names. */
export function writeJsonReport(report: Report): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}
