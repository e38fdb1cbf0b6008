/**
 * Formats whole files (and ranges) the way the example packs are written:
 * - every top-level declaration, payer member, test session, test line and expectation starts
 *   its own line; at most one blank line is kept between them;
 * - payer and test bodies are indented one level (4 spaces), test lines and notes two;
 * - a rule may run over several lines: a clause the author put on its own line (`on every line`,
 *   `require ...`, `when ...`, `source ...`) is kept there and indented one more level (8 spaces
 *   in a payer), and the continuation of a list or a condition one level further;
 * - within a line, one space between words, none before `,` and `)`, after `(` or around `.`;
 * - comments move with the line they stand on;
 * - line breaks are the file's own (CRLF in a file saved on Windows).
 * Each decision is made per token, with absolute indentation levels, so nested rules and
 * expressions never add up indentation by accident.
 */
import { AstUtils, CstUtils, isLeafCstNode, type AstNode, type CstNode, type LangiumDocument, type LeafCstNode, type TextDocument } from 'langium';
import { AbstractFormatter, type FormattingAction, type FormattingContext } from 'langium/lsp';
import type { FormattingOptions, Position, Range, TextEdit } from 'vscode-languageserver';
import {
    isCodeDecl, isCodeSet, isEffective, isExpectation, isFeeSchedule, isImport, isModifierDecl, isPayer, isPayerMember,
    isPolicyFile, isTest, isTestLine, isTestNote, isTestSession
} from '../generated/ast.js';
import { lineEnding, withLineEnding } from './line-endings.js';

const AGGREGATES = new Set(['sum', 'count', 'max', 'min']);

/** A line of its own at `level`, keeping at most one blank line before it. */
function statementStart(level: number): FormattingAction {
    return { options: {}, moves: [{ tabs: level, lines: 1 }, { tabs: level, lines: 2 }] };
}

function lineAt(level: number): FormattingAction {
    return { options: {}, moves: [{ tabs: level, lines: 1 }] };
}

function spaces(count: number): FormattingAction {
    return { options: {}, moves: [{ characters: count }] };
}

function indentOnly(level: number): FormattingAction {
    return { options: {}, moves: [{ tabs: level }] };
}

export class PayruleFormatter extends AbstractFormatter {
    protected format(node: AstNode): void {
        if (!isPolicyFile(node) || !node.$cstNode) return;
        const formatter = this.getNodeFormatter(node);
        const leaves = CstUtils.flattenCst(node.$cstNode).toArray();
        leaves.forEach((leaf, index) => {
            if (index === 0) return;
            const formatting = leaf.hidden ? this.commentFormatting(leaves, index) : this.tokenFormatting(leaf, leaves[index - 1]!, previousToken(leaves, index));
            if (formatting) formatter.cst([leaf]).prepend(formatting);
        });
    }

    /**
     * A range is formatted as part of the whole file, then only what changes on the selected lines
     * is kept: Langium keeps every edit that touches the last selected line, and the one between
     * that line and the next re-indents the next line too. Langium writes every line break as LF:
     * a CRLF file gets CRLF.
     */
    protected override doDocumentFormat(document: LangiumDocument, options: FormattingOptions, range?: Range): TextEdit[] {
        const edits = super.doDocumentFormat(document, options);
        const kept = range ? keepToLines(edits, selectedLines(range), document.textDocument) : edits;
        const eol = lineEnding(document.textDocument.getText());
        return kept.map(edit => ({ ...edit, newText: withLineEnding(edit.newText, eol) }));
    }

    protected tokenFormatting(leaf: LeafCstNode, previous: LeafCstNode, previousToken: LeafCstNode | undefined): FormattingAction | undefined {
        const statement = statementOf(leaf.astNode);
        const level = statementLevel(statement);
        if (firstToken(statement) === leaf) return statementStart(level);
        if (leaf.text === '}' && (isPayer(leaf.astNode) || isTest(leaf.astNode))) return lineAt(level);
        if (leaf.text === '{') return spaces(1);
        if (previous.range.end.line < leaf.range.start.line) {
            if (leaf.text === '}' && isFeeSchedule(leaf.astNode)) return lineAt(level);
            return lineAt(continuationLevel(leaf, statement, level, previousToken));
        }
        return spaces(inlineSpaces(leaf, previousToken));
    }

    /** Comments on a line of their own also keep at most one blank line before them. */
    protected override createHiddenTextEdits(previous: CstNode | undefined, hidden: CstNode, formatting: FormattingAction | undefined, context: FormattingContext): TextEdit[] {
        const edits = super.createHiddenTextEdits(previous, hidden, formatting, context);
        if (!formatting || !previous || hidden.range.start.line - previous.range.end.line <= 2) return edits;
        const lineStart = { line: hidden.range.start.line, character: 0 };
        return [{ range: { start: previous.range.end, end: lineStart }, newText: '\n\n' }, ...edits];
    }

    /** A comment on a line of its own takes the indentation of the code that follows it. */
    protected commentFormatting(leaves: LeafCstNode[], index: number): FormattingAction | undefined {
        const next = leaves.slice(index + 1).find(leaf => !leaf.hidden);
        if (!next) return indentOnly(0);
        const statement = statementOf(next.astNode);
        const level = statementLevel(statement);
        if (firstToken(statement) === next) return indentOnly(level);
        if (next.text === '}' && (isPayer(next.astNode) || isTest(next.astNode))) return indentOnly(level + 1);
        return indentOnly(continuationLevel(next, statement, level, previousToken(leaves, leaves.indexOf(next))));
    }
}

interface Lines {
    first: number;
    last: number;
}

/** The lines a range selects: one that ends at the start of a line (whole lines selected) leaves that line out. */
function selectedLines(range: Range): Lines {
    const endsAtLineStart = range.end.character === 0 && range.end.line > range.start.line;
    return { first: range.start.line, last: endsAtLineStart ? range.end.line - 1 : range.end.line };
}

/** What `edits` change on the selected lines, and nothing else; edits that would only change other lines are dropped. */
function keepToLines(edits: TextEdit[], lines: Lines, document: TextDocument): TextEdit[] {
    return edits.flatMap(edit => keepToLinesOne(edit, lines, document))
        .filter(edit => edit.newText !== document.getText(edit.range).replace(/\r/g, ''));
}

/**
 * A formatting edit replaces the white space between two tokens. One that starts or ends outside
 * the selected lines is cut down to its part on them: the end of the line its first token ends, or
 * the indentation of the line its second token starts. An edit that joins lines across the
 * selection's edge cannot be cut, and is dropped.
 */
function keepToLinesOne(edit: TextEdit, lines: Lines, document: TextDocument): TextEdit[] {
    const { start, end } = edit.range;
    const inside = (line: number) => line >= lines.first && line <= lines.last;
    if (inside(start.line) && inside(end.line)) return [edit];
    const newLines = edit.newText.split('\n');
    if (start.line === end.line || newLines.length === 1) return [];
    const kept: TextEdit[] = [];
    if (inside(start.line)) kept.push({ range: { start, end: lineEnd(document, start.line) }, newText: newLines[0]! });
    if (inside(end.line)) kept.push({ range: { start: { line: end.line, character: 0 }, end }, newText: newLines.at(-1)! });
    return kept;
}

function lineEnd(document: TextDocument, line: number): Position {
    const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    return { line, character: text.replace(/\r?\n$/, '').length };
}

/** The innermost node that starts a line of its own: a declaration, payer member, test part or the file's header. */
function statementOf(node: AstNode): AstNode {
    for (let current: AstNode | undefined = node; current; current = current.$container) {
        if (isImport(current) || isCodeDecl(current) || isCodeSet(current) || isModifierDecl(current) || isPayer(current) || isTest(current)
            || isEffective(current) || isPayerMember(current) || isTestSession(current) || isTestLine(current) || isTestNote(current)
            || isExpectation(current)) {
            return current;
        }
    }
    return AstUtils.findRootNode(node);
}

function statementLevel(statement: AstNode): number {
    if (isTestLine(statement) || isTestNote(statement)) return 2;
    if (isEffective(statement) || isPayerMember(statement) || isTestSession(statement) || isExpectation(statement)) return 1;
    return 0;
}

/**
 * Where a token that the author put on a new line goes: a clause of its statement one level in,
 * the continuation of a list or a condition two levels in (one for top-level declarations).
 */
function continuationLevel(leaf: LeafCstNode, statement: AstNode, level: number, previousToken: LeafCstNode | undefined): number {
    if (level === 0) return 1;
    if (previousToken?.text === ',') return level + 2;
    const part = directPart(leaf, statement);
    return part === leaf || firstLeaf(part) === leaf ? level + 1 : level + 2;
}

/** The outermost part of the statement that contains `leaf`: a clause, a condition, a list, or the token itself. */
function directPart(leaf: CstNode, statement: AstNode): CstNode {
    let node = leaf;
    while (node.container && node.container.astNode !== statement) node = node.container;
    return node;
}

function inlineSpaces(leaf: LeafCstNode, previousToken: LeafCstNode | undefined): number {
    const before = previousToken?.text;
    if (leaf.text === ',' || leaf.text === ')' || leaf.text === '.' || before === '.' || before === '(') return 0;
    if (leaf.text === '(' && before !== undefined && AGGREGATES.has(before)) return 0;
    return 1;
}

function firstToken(node: AstNode): LeafCstNode | undefined {
    return node.$cstNode ? firstLeaf(node.$cstNode) : undefined;
}

function firstLeaf(node: CstNode): LeafCstNode | undefined {
    if (isLeafCstNode(node)) return node.hidden ? undefined : node;
    return CstUtils.flattenCst(node).find(leaf => !leaf.hidden);
}

function previousToken(leaves: LeafCstNode[], index: number): LeafCstNode | undefined {
    for (let i = index - 1; i >= 0; i--) if (!leaves[i]!.hidden) return leaves[i];
    return undefined;
}
