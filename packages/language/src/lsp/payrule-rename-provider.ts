/**
 * Rename. References come from PayruleReferences, so renaming a rule id renames the rule, every
 * `override` of it in payers that extend it, and every `without` and `expect finding` naming it;
 * renaming a code set or a code renames its uses in rules, conditions and test lines. The new
 * name must be one the grammar reads back as the same kind of name, and must not be taken by
 * another rule of the payers concerned, or another name of its kind in scope. Refused outright:
 * Payrule's own checks (`unknown-modifier`), a payer id in a test session (an id, not a name),
 * and anything whose declaration or uses lie in an installed pack (under node_modules: npm
 * replaces those files on the next install, so the rename would not last).
 */
import { AstUtils, CstUtils, GrammarAST, GrammarUtils, type AstNode, type CstNode, type LangiumDocument, type LangiumDocuments, type Lexer, type URI } from 'langium';
import { DefaultRenameProvider } from 'langium/lsp';
import { ErrorCodes, ResponseError, type Position, type Range, type RenameParams, type TextDocumentPositionParams, type WorkspaceEdit } from 'vscode-languageserver';
import type { CancellationToken } from 'vscode-languageserver';
import { engineRule } from '@payrule/engine';
import {
    isCodeDecl, isCodeSet, isEngineRule, isModifierDecl, isPayer, isPolicyRule, isTestSession, type Payer, type PolicyFile, type PolicyRule
} from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { baseChain, droppedIds, ownRules } from '../workspace/payer-inheritance.js';
import { visibleDeclarations } from '../workspace/visible-declarations.js';
import { originalRule, ruleFamily } from './payrule-references.js';

export class PayruleRenameProvider extends DefaultRenameProvider {
    protected readonly services: PayruleServices;
    protected readonly lexer: Lexer;
    protected readonly documents: LangiumDocuments;
    /** Keywords a rule id may still be (the grammar's `Word` rule). */
    protected readonly wordKeywords: Set<string>;

    constructor(services: PayruleServices) {
        super(services);
        this.services = services;
        this.lexer = services.parser.Lexer;
        this.documents = services.shared.workspace.LangiumDocuments;
        const word = services.Grammar.rules.find(rule => rule.name === 'Word');
        this.wordKeywords = new Set(word ? AstUtils.streamAllContents(word).filter(GrammarAST.isKeyword).map(k => k.value) : []);
    }

    override async rename(document: LangiumDocument, params: RenameParams, cancelToken?: CancellationToken): Promise<WorkspaceEdit | undefined> {
        const { leaf, target } = this.sourceAt(document, params.position);
        if (target) {
            const problem = this.renameProblem(leaf, target) ?? this.nameProblem(target, params.newName) ?? this.clashProblem(target, params.newName);
            if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
        }
        return super.rename(document, params, cancelToken);
    }

    /** The editor asks first: what cannot be renamed at all is refused before a new name is typed. */
    override async prepareRename(document: LangiumDocument, params: TextDocumentPositionParams, cancelToken?: CancellationToken): Promise<Range | undefined> {
        const { leaf, target } = this.sourceAt(document, params.position);
        const problem = target && this.renameProblem(leaf, target);
        if (problem) throw new ResponseError(ErrorCodes.InvalidRequest, problem);
        return super.prepareRename(document, params, cancelToken);
    }

    /** The name under the cursor and the declaration it means, found as the default provider finds them. */
    protected sourceAt(document: LangiumDocument, position: Position): { leaf?: CstNode; target?: AstNode } {
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findDeclarationNodeAtOffset(root, document.textDocument.offsetAt(position), this.grammarConfig.nameRegexp);
        return { leaf, target: leaf ? this.references.findDeclarations(leaf)[0] : undefined };
    }

    /** Why the thing under the cursor cannot be renamed whatever the new name, or undefined when it can. */
    protected renameProblem(leaf: CstNode | undefined, target: AstNode): string | undefined {
        if (isEngineRule(target)) return engineRuleProblem(target.name);
        if (leaf && isTestSession(leaf.astNode) && GrammarUtils.findAssignment(leaf)?.feature === 'payer' && isPayer(target)) {
            // Go to definition leads from the id to the payer, but renaming would change the payer's name, not its id.
            return `"${target.payerId}" is the id of payer ${target.name}, the id sessions and reports carry: it is not renamed from here. `
                + `To change it, edit id "${target.payerId}" on payer ${target.name} and each test session that names it.`;
        }
        return this.installedPackProblem(target);
    }

    /** A declaration in an installed pack, or one used there: its files are npm's to replace, not the editor's to change. */
    protected installedPackProblem(target: AstNode): string | undefined {
        const name = displayName(target);
        const declaration = isPolicyRule(target) ? originalRule(target) : target;
        const declaredIn = installedPackOf(AstUtils.getDocument(declaration).uri) ?? installedPackOf(AstUtils.getDocument(target).uri);
        if (declaredIn) return `${name} is declared in the installed pack at ${declaredIn}: rename it there, not from here.`;
        for (const reference of this.references.findReferences(target, { includeDeclaration: true })) {
            const usedIn = installedPackOf(reference.sourceUri);
            if (usedIn) {
                return `${name} is also used in the installed pack at ${usedIn}, whose files are not changed from here (npm would replace them on the next install).`;
            }
        }
        return undefined;
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

    /** Why `name` is already taken where `target` is declared or used, or undefined when it is free. */
    protected clashProblem(target: AstNode, name: string): string | undefined {
        if (isPolicyRule(target)) return this.ruleClash(target, name);
        // Codes and code sets share one namespace: `limit cap error therapy` may name either.
        const taken = (seen: ReturnType<typeof visibleDeclarations>): AstNode[] =>
            isCodeDecl(target) || isCodeSet(target) ? [...seen.codes, ...seen.codeSets]
                : isModifierDecl(target) ? seen.modifiers
                    : isPayer(target) ? seen.payers : [];
        for (const document of this.documentsConcerned(target)) {
            const other = taken(visibleDeclarations(this.services, document)).find(node => node !== target && nameOf(node) === name);
            if (isCodeDecl(other)) return `There is already a code '${name}' (${other.summary}): pick another code.`;
            if (isCodeSet(other)) return `There is already a code set named '${name}': pick another name.`;
            if (isModifierDecl(other)) return `There is already a modifier '${name}' (${other.meaning}): pick another modifier.`;
            if (isPayer(other)) return `There is already a payer named '${name}' (id "${other.payerId}"): pick another name.`;
        }
        return undefined;
    }

    /**
     * A rule id is taken when another rule has it in a payer that declares the renamed rule (or an
     * override of it), in a payer those extend (the payer would inherit the id twice), or in a payer
     * that extends them (its rule would re-declare the renamed one).
     */
    protected ruleClash(target: PolicyRule, name: string): string | undefined {
        if (engineRule(name)) return `'${name}' is the id of Payrule's own check: give the rule another id.`;
        const family = new Set(ruleFamily(target, this.documents));
        const taken = (payer: Payer) => ownRules(payer).some(rule => rule.name === name && !family.has(rule));
        const declaring = new Set([...family].map(rule => rule.$container));
        for (const payer of declaring) {
            if (taken(payer)) return `'${name}' is already a rule of ${payer.name}: pick another id.`;
            // An id the payer drops with `without` is free for a rule of its own (payer-checks allows it).
            const base = droppedIds(payer).has(name) ? undefined : baseChain(payer).find(taken);
            if (base) return `${payer.name} already inherits a rule '${name}' from ${base.name}: pick another id.`;
        }
        for (const payer of this.allPayers()) {
            const declaringBase = declaring.has(payer) ? undefined : baseChain(payer).find(base => declaring.has(base));
            if (declaringBase && taken(payer)) return `${payer.name}, which extends ${declaringBase.name}, already has a rule '${name}': pick another id.`;
        }
        return undefined;
    }

    /** The declaration's document and every document that names it: the rename must fit in each. */
    protected documentsConcerned(target: AstNode): LangiumDocument[] {
        const uris = new Set([AstUtils.getDocument(target).uri.toString()]);
        for (const reference of this.references.findReferences(target, { includeDeclaration: false })) uris.add(reference.sourceUri.toString());
        return this.documents.all.filter(document => uris.has(document.uri.toString())).toArray();
    }

    protected allPayers(): Payer[] {
        return this.documents.all.flatMap(document => (document.parseResult.value as PolicyFile).elements?.filter(isPayer) ?? []).toArray();
    }
}

function engineRuleProblem(name: string): string {
    return `'${name}' is Payrule's own check, not a rule of the policy: its id cannot be renamed.`;
}

function nameOf(node: AstNode): string | undefined {
    return 'name' in node && (typeof node.name === 'string' || typeof node.name === 'number') ? String(node.name) : undefined;
}

function displayName(node: AstNode): string {
    const name = nameOf(node);
    return name === undefined ? 'This name' : `'${name}'`;
}

/**
 * `node_modules/<pack>` (the innermost one) when the document lies in an installed pack, as the
 * biller sees it in the project: `node_modules/@payrule-examples/medicare`.
 */
export function installedPackOf(uri: URI): string | undefined {
    const folders = uri.path.split('/').slice(0, -1);
    const index = folders.lastIndexOf('node_modules');
    if (index < 0) return undefined;
    const scoped = folders[index + 1]?.startsWith('@') ?? false;
    return folders.slice(index, index + (scoped ? 3 : 2)).join('/');
}
