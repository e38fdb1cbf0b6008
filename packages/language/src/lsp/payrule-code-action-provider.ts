/**
 * Quick fixes where the fix is clear:
 * - "did you mean": a misspelled code, code set, modifier, payer, rule id or package replaced by
 *   the nearest name in scope (the nearest by edit distance; several only when equally near);
 * - a rule without a citation gets a `source "..."` stub to fill in;
 * - a rule that re-declares an inherited id gets `override`;
 * - `code is therapy` (a set tested with `is`) becomes `code in therapy`.
 */
import { AstUtils, CstUtils, GrammarUtils, type AstNode, type LangiumDocument, type MaybePromise, type Reference, type ReferenceInfo } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { isBinaryExpression, isPolicyRule, type PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { closestNames } from '../validation/closest-names.js';
import { visibleDeclarations } from '../workspace/visible-declarations.js';
import { lineEnding } from './line-endings.js';

/** What the citation stub says until the author writes the real one. */
export const CITATION_STUB = 'TODO: the payer manual section or CMS text this rule comes from';

export class PayruleCodeActionProvider implements CodeActionProvider {
    protected readonly services: PayruleServices;

    constructor(services: PayruleServices) {
        this.services = services;
    }

    getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<Array<Command | CodeAction> | undefined> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            actions.push(...this.fixesFor(document, diagnostic));
        }
        return actions.length > 0 ? actions : undefined;
    }

    protected fixesFor(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        switch (diagnosticCode(diagnostic)) {
            case 'linking-error': return this.didYouMean(document, diagnostic, this.referenceCandidates(document, diagnostic));
            case 'unknown-code': return this.didYouMean(document, diagnostic, visibleDeclarations(this.services, document).codes.map(c => String(c.name)));
            case 'unknown-modifier': return this.didYouMean(document, diagnostic, visibleDeclarations(this.services, document).modifiers.map(m => String(m.name)));
            case 'unresolved-import': return this.didYouMean(document, diagnostic, this.services.workspace.PackageIndex.packageNames());
            case 'missing-citation': return this.addCitation(document, diagnostic);
            case 'implicit-override': return this.addOverride(document, diagnostic);
            case 'is-with-set': return this.isToIn(document, diagnostic);
            default: return [];
        }
    }

    /** Replaces the misspelled name with each of the nearest candidates. */
    protected didYouMean(document: LangiumDocument, diagnostic: Diagnostic, candidates: string[]): CodeAction[] {
        const text = document.textDocument.getText(diagnostic.range);
        if (!/^[\w.-]+$/.test(text)) return []; // e.g. a quoted import path: nothing to guess
        const names = closestNames(text, candidates);
        return names.map(name => ({
            title: `Change to '${name}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: names.length === 1,
            edit: { changes: { [document.textDocument.uri]: [{ range: diagnostic.range, newText: name }] } }
        }));
    }

    /** Names the unresolved reference could have meant: everything its scope offers. */
    protected referenceCandidates(document: LangiumDocument, diagnostic: Diagnostic): string[] {
        const data = diagnostic.data as { property?: string } | undefined;
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(diagnostic.range.start));
        const container = leaf?.astNode;
        const property = data?.property ?? (leaf && GrammarUtils.findAssignment(leaf)?.feature);
        if (!container || !property) return [];
        const reference: Reference = { $refText: '', ref: undefined };
        const info: ReferenceInfo = { reference, container, property };
        try {
            return this.services.references.ScopeProvider.getScope(info).getAllElements().map(d => d.name).toArray();
        } catch {
            return [];
        }
    }

    protected addCitation(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const rule = this.nodeAt(document, diagnostic.range);
        if (!isPolicyRule(rule) || !rule.$cstNode) return [];
        const text = document.textDocument;
        const start = rule.$cstNode.range.start;
        const end = rule.$cstNode.range.end;
        let edit: TextEdit;
        if (rule.citation !== undefined) {
            const node = GrammarUtils.findNodeForProperty(rule.$cstNode, 'citation');
            if (!node) return [];
            edit = { range: node.range, newText: JSON.stringify(CITATION_STUB) };
        } else if (end.line > start.line) {
            // A rule written over several lines gets the citation as one more clause line.
            const lineText = text.getText({ start: { line: start.line, character: 0 }, end: start });
            const indent = `${lineText.match(/^\s*/)?.[0] ?? ''}    `;
            edit = { range: { start: end, end }, newText: `${lineEnding(text.getText())}${indent}source ${JSON.stringify(CITATION_STUB)}` };
        } else {
            edit = { range: { start: end, end }, newText: ` source ${JSON.stringify(CITATION_STUB)}` };
        }
        return [{
            title: `Add a source citation to '${rule.name}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [text.uri]: [edit] } }
        }];
    }

    protected addOverride(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const rule = this.nodeAt(document, diagnostic.range);
        if (!isPolicyRule(rule) || !rule.$cstNode || rule.override) return [];
        const start = rule.$cstNode.range.start;
        return [{
            title: `Override the inherited '${rule.name}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.textDocument.uri]: [{ range: { start, end: start }, newText: 'override ' }] } }
        }];
    }

    protected isToIn(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const node = this.nodeAt(document, diagnostic.range);
        const expression = node && AstUtils.getContainerOfType(node, isBinaryExpression);
        const keyword = expression?.$cstNode && GrammarUtils.findNodeForProperty(expression.$cstNode, 'op');
        if (!keyword || keyword.text !== 'is') return [];
        return [{
            title: "Test membership with 'in'",
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.textDocument.uri]: [{ range: keyword.range, newText: 'in' }] } }
        }];
    }

    /** The AST node whose name or property the diagnostic marks. */
    protected nodeAt(document: LangiumDocument, range: Range): AstNode | undefined {
        const root = (document.parseResult.value as PolicyFile).$cstNode;
        return root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(range.start))?.astNode;
    }
}

function diagnosticCode(diagnostic: Diagnostic): string | undefined {
    const data = diagnostic.data as { code?: unknown } | undefined;
    if (typeof data?.code === 'string') return data.code;
    return typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
}
