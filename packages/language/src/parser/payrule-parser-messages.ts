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

    /**
     * The parser looks a few words ahead to choose: `override kx-ot error` fails at `kx-ot`, not at
     * `override` (which the message would otherwise say it "found" while listing it as expected).
     * So the words that did match are named, and what could follow them.
     */
    buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[] }): string {
        const { actual } = options;
        let paths = options.expectedPathsPerAlt.flat();
        let depth = 0;
        for (; depth < actual.length - 1; depth++) {
            const token = actual[depth]!;
            const going = paths.filter(path => path.length > depth + 1 && matches(token, path[depth]!));
            if (going.length === 0) break;
            paths = going;
        }
        if (depth === 0) return `Expected ${oneOf(paths)} but found ${found(actual[0])}.`;
        const matched = actual.slice(0, depth).map(token => token.image).join(' ');
        const hint = actual[0]?.image === 'override' ? ' After override comes the whole rule as it should now read, kind first: override threshold kx error ...' : '';
        return `After '${matched}', expected ${oneOf(paths.map(path => path.slice(depth)))} but found ${found(actual[depth])}.${hint}`;
    }

    buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[] }): string {
        return `Expected at least one ${oneOf(options.expectedIterationPaths)} but found ${found(options.actual[0])}.`;
    }
}

/** Whether the token is of the type, or of a type in its category (a keyword that may also be a name). */
function matches(token: IToken, type: TokenType): boolean {
    return token.tokenType === type || (token.tokenType?.CATEGORIES?.includes(type) ?? false);
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
