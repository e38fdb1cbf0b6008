/**
 * Rename. References come from PayruleReferences, so renaming a rule id renames the rule, every
 * `override` of it in payers that extend it, and every `without` and `expect finding` naming it;
 * renaming a code set or a code renames its uses in rules, conditions and test lines. The new
 * name must be one the grammar reads back as the same kind of name. Payrule's own checks
 * (`unknown-modifier`) are not the policy's to rename.
 */
import { AstUtils, CstUtils, GrammarAST, type AstNode, type LangiumDocument, type Lexer } from 'langium';
import { DefaultRenameProvider } from 'langium/lsp';
import { ErrorCodes, ResponseError, type Position, type Range, type RenameParams, type TextDocumentPositionParams, type WorkspaceEdit } from 'vscode-languageserver';
import type { CancellationToken } from 'vscode-languageserver';
import { isCodeDecl, isCodeSet, isEngineRule, isModifierDecl, isPayer, isPolicyRule } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';

export class PayruleRenameProvider extends DefaultRenameProvider {
    protected readonly lexer: Lexer;
    /** Keywords a rule id may still be (the grammar's `Word` rule). */
    protected readonly wordKeywords: Set<string>;

    constructor(services: PayruleServices) {
        super(services);
        this.lexer = services.parser.Lexer;
        const word = services.Grammar.rules.find(rule => rule.name === 'Word');
        this.wordKeywords = new Set(word ? AstUtils.streamAllContents(word).filter(GrammarAST.isKeyword).map(k => k.value) : []);
    }

    override async rename(document: LangiumDocument, params: RenameParams, cancelToken?: CancellationToken): Promise<WorkspaceEdit | undefined> {
        const target = this.targetAt(document, params.position);
        if (target) {
            const problem = this.nameProblem(target, params.newName);
            if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
        }
        return super.rename(document, params, cancelToken);
    }

    /** The editor asks first: an engine check is refused before a new name is typed. */
    override async prepareRename(document: LangiumDocument, params: TextDocumentPositionParams, cancelToken?: CancellationToken): Promise<Range | undefined> {
        const target = this.targetAt(document, params.position);
        if (isEngineRule(target)) throw new ResponseError(ErrorCodes.InvalidRequest, engineRuleProblem(target.name));
        return super.prepareRename(document, params, cancelToken);
    }

    protected targetAt(document: LangiumDocument, position: Position): AstNode | undefined {
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findDeclarationNodeAtOffset(root, document.textDocument.offsetAt(position), this.grammarConfig.nameRegexp);
        return leaf ? this.references.findDeclarations(leaf)[0] : undefined;
    }

    /** Why `name` cannot name `target`, or undefined when it can. */
    protected nameProblem(target: AstNode, name: string): string | undefined {
        if (isEngineRule(target)) return engineRuleProblem(target.name);
        const tokens = this.lexer.tokenize(name);
        const token = tokens.errors.length === 0 && tokens.tokens.length === 1 ? tokens.tokens[0] : undefined;
        const type = token?.image === name ? token.tokenType.name : undefined;
        if (isPolicyRule(target)) {
            return type === 'ID' || this.wordKeywords.has(name) ? undefined : `'${name}' is not a valid rule id: use letters, digits, '_' and inner '-' (e.g. mue-97530).`;
        }
        if (isCodeSet(target) || isPayer(target)) {
            return type === 'ID' ? undefined : `'${name}' is not a valid name: use letters, digits, '_' and inner '-', and not a keyword.`;
        }
        if (isCodeDecl(target)) {
            return type === 'ID' || type === 'NUMBER' || type === 'ALNUM_CODE' ? undefined : `'${name}' is not a valid code.`;
        }
        if (isModifierDecl(target)) {
            return type === 'ID' || type === 'NUMBER' ? undefined : `'${name}' is not a valid modifier.`;
        }
        return undefined;
    }
}

function engineRuleProblem(name: string): string {
    return `'${name}' is Payrule's own check, not a rule of the policy: its id cannot be renamed.`;
}
