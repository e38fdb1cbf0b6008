/**
 * Sorts a list in place, stably, as Array.prototype.sort does. The lists sorted per session (a
 * day's codes, a session's findings) hold a handful of items: an insertion sort then does without
 * the scratch arrays the built-in sort allocates on every call. Longer lists go to the built-in.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
    if (items.length > 16) return items.sort(compare);
    for (let i = 1; i < items.length; i++) {
        const item = items[i]!;
        let j = i - 1;
        for (; j >= 0 && compare(items[j]!, item) > 0; j--) items[j + 1] = items[j]!;
        items[j + 1] = item;
    }
    return items;
}
