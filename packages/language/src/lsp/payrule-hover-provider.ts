/**
 * Hover: what a name means to a biller. A code's summary and whether it is timed; a modifier's
 * meaning; a code set's codes; a payer's id, dates and inheritance; a rule's kind, message and
 * citation; what Payrule's own checks (`unknown-modifier`) look for; on a units rule's method, the
 * minutes-to-units chart it bills by. Keywords that start a payer member show a one-line reminder
 * of their syntax.
 */
import { CstUtils, GrammarAST, GrammarUtils, type AstNode, type DocumentationProvider, type LangiumDocument, type MaybePromise } from 'langium';
import { AstNodeHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import { isCodeDecl, isCodeSet, isEngineRule, isModifierDecl, isPayer, isPolicyRule, isUnitsRule, type UnitsRule } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import {
    KEYWORD_HELP, codeMarkdown, codeSetMarkdown, engineRuleMarkdown, modifierMarkdown, payerMarkdown, ruleMarkdown, unitMethodText, unitsTable
} from './domain-text.js';

export class PayruleHoverProvider extends AstNodeHoverProvider {
    protected readonly documentationProvider: DocumentationProvider;

    constructor(services: PayruleServices) {
        super(services);
        this.documentationProvider = services.documentation.DocumentationProvider;
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const offset = document.textDocument.offsetAt(params.position);
        const leaf = CstUtils.findDeclarationNodeAtOffset(root, offset, this.grammarConfig.nameRegexp);
        if (!leaf || leaf.end <= offset) return undefined;
        const targets = this.references.findDeclarations(leaf);
        const contents: string[] = [];
        for (const target of targets) {
            const content = await this.getAstNodeHoverContent(target);
            if (content) contents.push(content);
        }
        if (contents.length > 0) return markdown(contents.join('\n\n---\n\n'));
        const node = leaf.astNode;
        if (isUnitsRule(node) && GrammarUtils.findAssignment(leaf)?.feature !== 'citation') return markdown(this.unitsHover(node));
        if (GrammarAST.isKeyword(leaf.grammarSource) && KEYWORD_HELP[leaf.text]) return markdown(KEYWORD_HELP[leaf.text]!);
        return undefined;
    }

    protected getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        if (isCodeDecl(node)) return codeMarkdown(node);
        if (isModifierDecl(node)) return modifierMarkdown(node);
        if (isCodeSet(node)) return codeSetMarkdown(node);
        if (isPayer(node)) return payerMarkdown(node, this.documentationProvider.getDocumentation(node));
        if (isPolicyRule(node)) return ruleMarkdown(node);
        if (isEngineRule(node)) return engineRuleMarkdown(node);
        return this.documentationProvider.getDocumentation(node);
    }

    protected unitsHover(rule: UnitsRule): string {
        return `**${rule.method === 'pooled' ? 'Pooled units' : 'Units per code'}** · ${rule.name}\n\n${unitMethodText(rule)}\n\n${unitsTable(rule)}`;
    }
}

function markdown(value: string): Hover {
    return { contents: { kind: 'markdown', value } };
}
