/**
 * The lexer every policy text goes through (the parser's, completion's, the formatter's): the
 * generated lexer, behind the limits of policy-limits.ts. Text that crosses a limit yields no
 * tokens and one error at the place that crosses it, so the parser builds an empty policy and
 * nothing downstream (linking, validation, completion) meets the pathological input. What it
 * says of a character it cannot read comes from payrule-lexer-messages.ts.
 */
import { DefaultLexer, type LexerResult, type TokenizeOptions } from 'langium';
import { fileTooLarge, POLICY_LIMITS, tokenLimitProblem, type LimitProblem } from './policy-limits.js';
import { scanPolicyText } from './text-scan.js';

export class PayruleLexer extends DefaultLexer {
    override tokenize(text: string, options?: TokenizeOptions): LexerResult {
        if (text.length > POLICY_LIMITS.fileChars) {
            return refused({ offset: 0, line: 1, column: 1, length: 1, message: fileTooLarge(text.length) });
        }
        const scan = scanPolicyText(text);
        if (scan.refusal) return refused(scan.refusal);
        // A string or comment that never closes: the rest of the file is inside it, and is not read.
        const result = super.tokenize(scan.cut ? text.slice(0, scan.cut.offset) : text, options);
        const problem = tokenLimitProblem(result.tokens);
        if (problem) return refused(problem);
        return scan.cut ? { ...result, errors: [...result.errors, scan.cut] } : result;
    }
}

function refused(problem: LimitProblem): LexerResult {
    return { tokens: [], hidden: [], errors: [problem] };
}
