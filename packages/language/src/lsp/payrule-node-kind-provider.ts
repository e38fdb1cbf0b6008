/** Which icon the editor shows for Payrule's things in the outline, symbol search and completion. */
import type { AstNode, AstNodeDescription } from 'langium';
import type { NodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind } from 'vscode-languageserver';

const RULE_TYPES = new Set([
    'UnitsRule', 'LimitRule', 'LineRule', 'ThresholdRule', 'PairRule', 'DocumentationRule', 'ConsistencyRule', 'FilingRule', 'AuthorizationRule', 'EngineRule'
]);

export class PayruleNodeKindProvider implements NodeKindProvider {
    getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        switch (typeOf(node)) {
            case 'PolicyFile': return SymbolKind.Package;
            case 'Payer': return SymbolKind.Class;
            case 'CodeDecl': return SymbolKind.Constant;
            case 'CodeSet': return SymbolKind.Enum;
            case 'ModifierDecl': return SymbolKind.EnumMember;
            case 'Test': return SymbolKind.Event;
            default: return RULE_TYPES.has(typeOf(node)) ? SymbolKind.Method : SymbolKind.Field;
        }
    }

    getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        switch (typeOf(node)) {
            case 'PolicyFile': return CompletionItemKind.Module;
            case 'Payer': return CompletionItemKind.Class;
            case 'CodeDecl': return CompletionItemKind.Constant;
            case 'CodeSet': return CompletionItemKind.Enum;
            case 'ModifierDecl': return CompletionItemKind.EnumMember;
            case 'Test': return CompletionItemKind.Event;
            default: return RULE_TYPES.has(typeOf(node)) ? CompletionItemKind.Method : CompletionItemKind.Reference;
        }
    }
}

function typeOf(node: AstNode | AstNodeDescription): string {
    return '$type' in node ? node.$type : node.type;
}
