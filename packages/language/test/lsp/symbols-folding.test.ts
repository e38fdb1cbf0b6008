/** The outline (document symbols) and folding, with langium/test's expectSymbols and expectFoldings. */
import { describe, expect, test } from 'vitest';
import { expectFoldings, expectSymbols } from 'langium/test';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { packWorkspace } from './lsp-workspace.js';

const { services } = await packWorkspace();
const KINDS: Record<number, string> = { [SymbolKind.Package]: 'Package', [SymbolKind.Class]: 'Class', [SymbolKind.Method]: 'Method', [SymbolKind.Event]: 'Event' };
const symbols = expectSymbols(services);
const foldings = expectFoldings(services);

const POLICY = `package clinic version "1.0.0"
import cms.medicare
payer Clinic id "clinic" extends Medicare {
    override units units-match error per-code source "s"
    limit cap error 97530 at most 4 units per day source "s"
    without kx
}
test "38 minutes" {
    session payer "clinic" discipline PT
        line 97530 minutes 38
}
`;

describe('document symbols', () => {
    test('package, payers with their rules, tests; each with a kind and a detail', async () => {
        await symbols({
            text: POLICY, disposeAfterCheck: true,
            assert: found => {
                const show = (symbol: DocumentSymbol, depth = 0): string[] => [
                    `${'  '.repeat(depth)}${symbol.name} [${KINDS[symbol.kind] ?? symbol.kind}] ${symbol.detail ?? ''}`.trimEnd(),
                    ...(symbol.children ?? []).flatMap(child => show(child, depth + 1))
                ];
                expect(found.flatMap(symbol => show(symbol))).toEqual([
                    'clinic [Package] 1.0.0',
                    '  Clinic [Class] id "clinic" extends Medicare',
                    '    units-match [Method] override units · error',
                    '    cap [Method] limit · error',
                    '  38 minutes [Event]'
                ]);
            }
        });
    });

    test('a catalog: codes with their kind and summary, code sets, modifiers', async () => {
        await symbols({
            text: 'code 97530 timed for PT "Activities"\ncodeset strength = 97530\nmodifier GP "PT plan of care"\n', disposeAfterCheck: true,
            expectedSymbols: ['97530', 'strength', 'GP'],
            symbolToString: symbol => symbol.name
        });
    });
});

describe('folding', () => {
    test('comments, payers, rules written over several lines, tests and their sessions fold', async () => {
        await foldings({
            text: `package clinic
import cms.medicare
/*
 * A clinic.
 */
payer Clinic id "clinic" extends Medicare {
    rule gp error on every line
        require modifier GP when discipline is PT
        source "s"
    without kx
}
test "t" {
    session payer "clinic" discipline PT
        line 97530 minutes 38
        line 97110 minutes 15
        note activities "lifts"
}
`,
            disposeAfterCheck: true,
            assert: found => {
                // 1-based first and last folded lines; a block folds up to the line before its closing brace.
                const ranges = found.map(range => `${range.startLine + 1}-${range.endLine + 1}${range.kind ? ` ${range.kind}` : ''}`).sort();
                expect(ranges).toEqual(['12-16', '13-16', '3-4 comment', '6-10', '7-9'].sort());
            }
        });
    });
});
