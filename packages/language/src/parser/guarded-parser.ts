/**
 * The parser behind every policy document. The lexer (payrule-lexer.ts) keeps pathological text
 * away from it; this is the backstop should the generated parser still run out of stack: the
 * document becomes an empty policy with one error, and a fresh parser (the old one may be left
 * half-way through a rule) reads the next document, so the language server keeps answering.
 * Its syntax errors get hints where the parser's words miss the point (syntax-hints.ts).
 */
import type { AstNode, LangiumCoreServices, LangiumParser, ParseResult, ParserOptions } from 'langium';
import { createLangiumParser } from 'langium';
import { addSyntaxHints } from './syntax-hints.js';

/** Only `parse` of the Langium parser service is used (by the document factory and the async parser). */
export class GuardedParser {
    protected parser: LangiumParser;

    constructor(protected readonly services: LangiumCoreServices) {
        this.parser = createLangiumParser(services);
    }

    parse<T extends AstNode = AstNode>(text: string, options?: ParserOptions): ParseResult<T> {
        try {
            const result = this.parser.parse<T>(text, options);
            addSyntaxHints(text, result.parserErrors);
            return result;
        } catch (error) {
            if (!(error instanceof RangeError)) throw error;
            this.parser = createLangiumParser(this.services);
            const empty = this.parser.parse<T>('', options);
            return {
                value: empty.value,
                parserErrors: [],
                lexerErrors: [{
                    offset: 0, line: 1, column: 1, length: 1,
                    message: 'This policy file is too complex to read (nested too deeply): simplify its expressions or split it into several files.'
                }]
            };
        }
    }
}

export function createGuardedParser(services: LangiumCoreServices): LangiumParser {
    // The services only ever call parse(); the rest of LangiumParser is the generated parser's own business.
    return new GuardedParser(services) as unknown as LangiumParser;
}
