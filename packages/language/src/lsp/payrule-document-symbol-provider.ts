/**
 * The outline: package, payers with their rules, codes, code sets, modifiers and tests, each with
 * a short detail (a rule's kind and severity, a payer's id, a code's summary).
 */
import type { AstNode, CstNode, LangiumDocument } from 'langium';
import { DefaultDocumentSymbolProvider } from 'langium/lsp';
import type { DocumentSymbol } from 'vscode-languageserver';
import { isCodeDecl, isCodeSet, isModifierDecl, isPayer, isPolicyFile, isPolicyRule } from '../generated/ast.js';
import { ruleKeyword } from './domain-text.js';

export class PayruleDocumentSymbolProvider extends DefaultDocumentSymbolProvider {
    protected override createSymbol(document: LangiumDocument, astNode: AstNode, cstNode: CstNode, nameNode: CstNode, computedName?: string): DocumentSymbol {
        const symbol = super.createSymbol(document, astNode, cstNode, nameNode, computedName);
        const detail = symbolDetail(astNode);
        return detail ? { ...symbol, detail } : symbol;
    }
}

function symbolDetail(node: AstNode): string | undefined {
    if (isPolicyRule(node)) return `${node.override ? 'override ' : ''}${ruleKeyword(node)} · ${node.severity}`;
    if (isPayer(node)) return `id "${node.payerId}"${node.base ? ` extends ${node.base.$refText}` : ''}`;
    if (isCodeDecl(node)) return `${node.kind} · ${node.summary}`;
    if (isCodeSet(node)) return `code set · ${node.members.length} members`;
    if (isModifierDecl(node)) return node.meaning;
    if (isPolicyFile(node)) return node.version;
    return undefined;
}
