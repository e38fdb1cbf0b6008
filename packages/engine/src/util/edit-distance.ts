/**
 * Edit distance with an adjacent transposition counted as one edit (optimal string alignment):
 * `alowed` is one edit from `allowed`, 97350 one from 97530. Letters are compared as they are;
 * callers fold case first where case does not matter. For "did you mean" suggestions.
 */
export function editDistance(a: string, b: string): number {
    let beforePrevious = new Array<number>(b.length + 1).fill(0);
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
            current.push(best);
        }
        [beforePrevious, previous] = [previous, current];
    }
    return previous[b.length]!;
}
