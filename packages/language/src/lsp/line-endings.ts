/**
 * Edits keep a file's own line ending: a file saved on Windows (CRLF) that got bare LF breaks
 * from the formatter or a quick fix would end up with mixed line endings, which some tools and
 * version control show as changes on every line.
 */

/** The line ending `text` uses: that of its first line break, LF for a file of one line. */
export function lineEnding(text: string): '\r\n' | '\n' {
    const first = text.indexOf('\n');
    return first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
}

/** `newText` with its LF line breaks written as `eol`. */
export function withLineEnding(newText: string, eol: '\r\n' | '\n'): string {
    return eol === '\n' ? newText : newText.replace(/\r?\n/g, eol);
}
