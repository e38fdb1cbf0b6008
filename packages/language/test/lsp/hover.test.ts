/** Hover: codes, modifiers, code sets, payers, rules and the minutes-to-units chart, with langium/test's expectHover. */
import { describe, test } from 'vitest';
import { expectHover } from 'langium/test';
import { packWorkspace } from './lsp-workspace.js';

const { services } = await packWorkspace();
const hover = expectHover(services);

const POLICY = `package clinic
import cms.medicare
payer Clinic id "clinic" extends Med<|>icare {
    override units units-match error per-<|>code unit 15 minutes minimum 8 minutes source "Clinic manual s2"
    limit mue-97530 error 97<|>530 at most 4 units per day source "Clinic manual s3"
    rule gp error on every line where code in thera<|>py require modifier G<|>P when discipline is PT source "Pub 100-04 Ch 5 s20.1"
    without k<|>x
}
test "a session" {
    session payer "clinic" discipline PT
        line 971<|>12 minutes 38 modifiers X<|>U
    expect finding mue-<|>97530
}
`;

describe('hover', () => {
    test("a code: its summary and whether it is timed", async () => {
        await hover({ text: POLICY, index: 2, disposeAfterCheck: true, hover: /^\*\*97530\*\* · timed: billed in units of minutes · PT, OT\n\nTherapeutic activities/ });
    });

    test('a code written in a test line', async () => {
        await hover({ text: POLICY, index: 6, disposeAfterCheck: true, hover: /^\*\*97112\*\* · timed.*\n\nNeuromuscular re-education/ });
    });

    test("a modifier's meaning, in a rule and in a test line", async () => {
        await hover({ text: POLICY, index: 4, disposeAfterCheck: true, hover: /^\*\*Modifier GP\*\*\n\nService delivered under an outpatient physical therapy plan of care/ });
        await hover({ text: POLICY, index: 7, disposeAfterCheck: true, hover: /^\*\*Modifier XU\*\*\n\nUnusual service/ });
    });

    test("a code set's codes", async () => {
        await hover({ text: POLICY, index: 3, disposeAfterCheck: true, hover: /^\*\*Code set therapy\*\* · 41 codes\n\n97010, 97012/ });
    });

    test("a payer's id, dates, documentation and rules", async () => {
        await hover({
            text: POLICY, index: 0, disposeAfterCheck: true,
            hover: /^\*\*payer Medicare\*\* · id `"medicare"`\n\nEffective 2026-01-01 through 2026-12-31\n\nMedicare Part B outpatient therapy\..*\n\n\d+ rules in force/s
        });
    });

    test("a rule's citation and message, where `without` names it", async () => {
        await hover({
            text: POLICY, index: 5, disposeAfterCheck: true,
            hover: /^\*\*threshold kx\*\* · error · Medicare\n\nOnce allowed amounts for PT and SLP this calendar year exceed \$2,480\.00; from then on lines need KX\.\n\n> .*KX.*\n\nSource: SSA 1833\(g\)/
        });
        await hover({ text: POLICY, index: 8, disposeAfterCheck: true, hover: /^\*\*limit mue-97530\*\* · error · Clinic\n\nAt most 4 units of 97530 per day per patient\.\n\nSource: Clinic manual s3$/ });
    });

    test("Payrule's own check, which a test names though no policy declares it", async () => {
        await hover({
            text: 'package t\nimport cms.medicare\ntest "t" {\n    session payer "medicare" discipline PT\n        line 97530 minutes 38 modifiers GP, ZZ\n    expect finding unknown-mod<|>ifier warning\n}\n',
            index: 0, disposeAfterCheck: true,
            hover: /^\*\*unknown-modifier\*\* · warning · Payrule's own check\n\nA claim line carries a modifier that no loaded package declares.*\n\nNo policy declares this rule: Payrule makes the finding itself\./s
        });
    });

    test("a units rule's method, with its minutes-to-units chart", async () => {
        await hover({
            text: POLICY, index: 1, disposeAfterCheck: true,
            hover: /^\*\*Units per code\*\* · units-match\n\nPer code \(AMA "substantial portion"\).*\n\n\| Minutes \| Units \|\n\|---\|---\|\n\| 0-7 \| 0 \|\n\| 8-22 \| 1 \|\n\| 23-37 \| 2 \|\n\| 38-52 \| 3 \|\n\| 53-67 \| 4 \|/s
        });
    });

    test('the chart follows the unit length and minimum', async () => {
        await hover({
            text: 'package p\nimport cpt.therapy\npayer P id "p" {\n    units u error poo<|>led unit 10 minutes minimum 5 minutes\n}\n', index: 0, disposeAfterCheck: true,
            hover: /\| 0-4 \| 0 \|\n\| 5-14 \| 1 \|\n\| 15-24 \| 2 \|/
        });
    });
});
