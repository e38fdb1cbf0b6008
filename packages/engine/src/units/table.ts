/** Minutes to units: the CMS chart (8-22 minutes = 1 unit, 23-37 = 2, ...) with the unit length and minimum as parameters. */

/** floor(m / U) + 1 when the remainder reaches the minimum; under the minimum nothing is billable. */
export function unitsFor(minutes: number, unitMinutes = 15, minimumMinutes = 8): number {
    if (!(minutes > 0) || unitMinutes <= 0) return 0;
    const full = Math.floor(minutes / unitMinutes);
    return full + (minutes % unitMinutes >= minimumMinutes ? 1 : 0);
}

/** The minutes that give exactly `units` units, as the chart prints them: "38-52 minutes", "fewer than 8 minutes". */
export function unitRange(units: number, unitMinutes = 15, minimumMinutes = 8): string {
    if (units <= 0) return `fewer than ${minimumMinutes} minutes`;
    // With a minimum above the unit length nothing rounds up, so ranges are whole units.
    const bump = minimumMinutes <= unitMinutes ? minimumMinutes : unitMinutes;
    const low = (units - 1) * unitMinutes + bump;
    const high = units * unitMinutes + bump - 1;
    return `${Math.max(low, 1)}-${high} minutes`;
}
