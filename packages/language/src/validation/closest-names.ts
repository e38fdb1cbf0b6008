/** Names close to a misspelled one, for "did you mean" messages and quick fixes. */
import { editDistance as engineEditDistance } from '@payrule/engine';

/** Edit distance (the engine's) without case: `gp` is `GP` mistyped, 97350 one edit from 97530. */
export function editDistance(a: string, b: string): number {
    return engineEditDistance(a.toUpperCase(), b.toUpperCase());
}

/** How many edits still count as a misspelling of a name this long: one per three characters, at least one. */
export function maxEdits(name: string): number {
    return Math.max(1, Math.floor(name.length / 3));
}

/**
 * Candidates compared per "did you mean" at most: a name is checked against a catalog of this
 * size in a few milliseconds; beyond it (a hostile or generated catalog) no suggestion is made.
 */
export const MAX_SUGGESTION_CANDIDATES = 20_000;

/** Comparisons the suggestions of one document may still make (see references/payrule-linker.ts). */
export interface SuggestionBudget {
    remaining: number;
}

/**
 * The candidates nearest to `name`, when they are near enough to be what was meant; several only
 * when they are equally near (at most `limit`). Empty when nothing is close, and when the
 * candidates are too many to compare (or the budget is spent): a suggestion is a courtesy.
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 4, budget?: SuggestionBudget): string[] {
    let best = Infinity;
    let found = new Set<string>();
    const allowed = maxEdits(name);
    let compared = 0;
    for (const candidate of candidates) {
        if (++compared > MAX_SUGGESTION_CANDIDATES || (budget && --budget.remaining < 0)) return [];
        // Each edit changes the length by one at most: a far longer or shorter name is never close.
        if (candidate === name || Math.abs(candidate.length - name.length) > allowed) continue;
        const distance = editDistance(name, candidate);
        if (distance > allowed) continue;
        if (distance < best) {
            best = distance;
            found = new Set([candidate]);
        } else if (distance === best) {
            found.add(candidate);
        }
    }
    return [...found].sort().slice(0, limit);
}

/** " Did you mean 97530 or 97535?" (with a leading space), or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>, budget?: SuggestionBudget): string {
    const close = closestNames(name, candidates, 4, budget);
    if (close.length === 0) return '';
    return ` Did you mean ${close.join(' or ')}?`;
}

/** Comparisons one document's suggestions may make per build: enough for hundreds of typos in a large catalog. */
export const DOCUMENT_SUGGESTION_BUDGET = 1_000_000;

const budgets = new WeakMap<object, SuggestionBudget>();

/** The suggestion budget of a document (keyed by the document object), full again after resetSuggestionBudget. */
export function suggestionBudget(document: object): SuggestionBudget {
    let budget = budgets.get(document);
    if (!budget) budgets.set(document, (budget = { remaining: DOCUMENT_SUGGESTION_BUDGET }));
    return budget;
}

export function resetSuggestionBudget(document: object): void {
    budgets.set(document, { remaining: DOCUMENT_SUGGESTION_BUDGET });
}
