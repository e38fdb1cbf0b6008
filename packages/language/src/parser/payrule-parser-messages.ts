/**
 * Syntax errors in the words of the people who write policies: "Expected an amount such as
 * $2,480.00 but found 2480" rather than the parser's "Expecting token of type 'MONEY'". Terminals
 * are named by what they look like, keywords are quoted, and of several possible next words at
 * most a handful are listed.
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

/** What each terminal of the grammar looks like to the person typing it. */
const TERMINALS: Record<string, string> = {
    MONEY: 'an amount such as $2,480.00',
    NUMBER: 'a number',
    STRING: 'text in double quotes',
    DATE: 'a date such as 2026-03-04',
    ALNUM_CODE: 'a code such as 0001F',
    ID: 'a name'
};

/** More possible next words than this are summed up, not listed. */
const MAX_LISTED = 6;

export class PayruleParserErrorMessageProvider implements IParserErrorMessageProvider {
    buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken }): string {
        return `Expected ${describe(options.expected)} but found ${found(options.actual)}.`;
    }

    buildNotAllInputParsedMessage(options: { firstRedundant: IToken }): string {
        return `Did not expect ${found(options.firstRedundant)} here: a declaration (payer, code, codeset, modifier or test) or the end of the file should come next.`;
    }

    buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[] }): string {
        return `Expected ${oneOf(options.expectedPathsPerAlt.flat())} but found ${found(options.actual[0])}.`;
    }

    buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[] }): string {
        return `Expected at least one ${oneOf(options.expectedIterationPaths)} but found ${found(options.actual[0])}.`;
    }
}

function describe(type: TokenType): string {
    if (type.name === 'EOF') return 'the end of the file';
    return TERMINALS[type.name] ?? `'${type.name}'`;
}

/** The first word of each possible path, each once. */
function oneOf(paths: readonly TokenType[][]): string {
    const words = [...new Set(paths.flatMap(path => (path[0] ? [describe(path[0])] : [])))];
    if (words.length === 0) return 'something else';
    if (words.length > MAX_LISTED) return `${words.slice(0, MAX_LISTED).join(', ')} or another word the language knows`;
    return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function found(token: IToken | undefined): string {
    if (!token || token.tokenType?.name === 'EOF' || token.image === '') return 'the end of the file';
    const image = token.image.length > 40 ? `${token.image.slice(0, 40)}...` : token.image;
    return `'${image}'`;
}
