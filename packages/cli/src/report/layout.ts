/** Plain-text layout helpers for reports read in a terminal or a ticket: wrapping and counting. */

/** Splits `text` into lines of at most `width` characters at spaces; a longer word keeps its own line. */
export function wrapWords(text: string, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
        if (current === '') current = word;
        else if (current.length + 1 + word.length <= width) current += ` ${word}`;
        else {
            lines.push(current);
            current = word;
        }
    }
    lines.push(current);
    return lines;
}

/**
 * Wraps `text` under a label: the first line starts with `label` (already padded to `indent`
 * visible characters), the next lines with spaces, so continuation lines align with the text.
 */
export function hanging(label: string, indent: number, text: string, width: number, paint: (s: string) => string = s => s): string[] {
    const pad = ' '.repeat(indent);
    return wrapWords(text, Math.max(20, width - indent)).map((line, i) => (i === 0 ? label : pad) + paint(line));
}

/** "1 error", "3 errors"; `info` does not take a plural. */
export function count(n: number, noun: string): string {
    if (n === 1 || noun === 'info') return `${n} ${noun}`;
    return `${n} ${noun.endsWith('s') ? noun : `${noun}s`}`;
}
