/** UTF-16 code units (and UTF-8 bytes) of the ASCII characters the text readers look for. */
export const TAB = 9;
export const NEWLINE = 10;
/** Carriage return; tab through carriage return (9-13) is the ASCII white space of a pattern's \s, with the space. */
export const RETURN = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const DOLLAR = 36;
export const COMMA = 44;
export const SEMICOLON = 59;
export const BACKSLASH = 92;
