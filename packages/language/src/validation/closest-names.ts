/** Names close to a misspelled one, for "did you mean" messages and quick fixes. */

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
 * so 97350 is one edit from 97530. Letters are compared without case: `gp` is `GP` mistyped.
 */
export function editDistance(a: string, b: string): number {
    const s = a.toUpperCase();
    const t = b.toUpperCase();
    const rows = s.length + 1;
    const cols = t.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = s[i - 1] === t[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
            if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
                best = Math.min(best, d[i - 2]![j - 2]! + 1);
            }
            d[i]![j] = best;
        }
    }
    return d[rows - 1]![cols - 1]!;
}

/** How many edits still count as a misspelling of a name this long: one per three characters, at least one. */
export function maxEdits(name: string): number {
    return Math.max(1, Math.floor(name.length / 3));
}

/**
 * The candidates nearest to `name`, when they are near enough to be what was meant; several only
 * when they are equally near (at most `limit`). Empty when nothing is close.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 4): string[] {
    let best = Infinity;
    let found: string[] = [];
    for (const candidate of new Set(candidates)) {
        if (candidate === name) continue;
        const distance = editDistance(name, candidate);
        if (distance > maxEdits(name)) continue;
        if (distance < best) {
            best = distance;
            found = [candidate];
        } else if (distance === best) {
            found.push(candidate);
        }
    }
    return found.sort().slice(0, limit);
}

/** " Did you mean 97530 or 97535?" (with a leading space), or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
    const close = closestNames(name, candidates);
    if (close.length === 0) return '';
    return ` Did you mean ${close.join(' or ')}?`;
}
