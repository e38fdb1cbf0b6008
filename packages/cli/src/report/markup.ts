/**
 * Escaping for the markup formats (HTML, SVG, XML). Everything a report shows comes from
 * records and policies the report's reader does not control, so every value goes through here.
 */

/**
 * Characters XML 1.0 does not allow at all (C0 controls other than tab, line feed and carriage
 * return, lone surrogates, U+FFFE and U+FFFF): dropped, so the document stays well-formed.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' };

/** Text safe in element content and in quoted attribute values, for HTML, SVG and XML alike. */
export function escapeMarkup(value: string | number | undefined): string {
    if (value === undefined) return '';
    return String(value).replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, char => ENTITIES[char]!);
}

/** In XML attributes line breaks and tabs would be normalised to spaces by the parser: keep them as references. */
export function escapeXmlAttribute(value: string | number | undefined): string {
    return escapeMarkup(value).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
