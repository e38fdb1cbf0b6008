/**
 * References as a biller thinks of them, beyond Langium's cross-references:
 * - a rule id is one thing across payers: the rule first written, every `override` of it in
 *   payers that extend it, and the `without` and `expect finding` that name any of them. Finding
 *   references or renaming any of these covers them all.
 * - codes and modifiers written in test sessions (`line 97530 ... modifiers GP`) are plain
 *   names, not cross-references, but they mean the catalog's declarations: go to definition,
 *   hover, find references and rename treat them as references.
 */
import {
    AstUtils, CstUtils, DefaultReferences, GrammarUtils, UriUtils, stream, type AstNode, type CstNode, type FindReferencesOptions,
    type LangiumDocument, type LangiumDocuments, type ReferenceDescription, type Stream
} from 'langium';
import {
    isCodeDecl, isModifierDecl, isPayer, isPolicyRule, isTestLine, isTestSession, isUnitsExpectation, type PolicyFile,
    type PolicyRule
} from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { inheritedRules, ownRules } from '../workspace/payer-inheritance.js';
import { visibleDeclarations } from '../workspace/visible-declarations.js';

export class PayruleReferences extends DefaultReferences {
    protected readonly services: PayruleServices;
    protected readonly langiumDocuments: LangiumDocuments;

    constructor(services: PayruleServices) {
        super(services);
        this.services = services;
        this.langiumDocuments = services.shared.workspace.LangiumDocuments;
    }

    override findDeclarations(source: CstNode | undefined): AstNode[] {
        if (!source) return [];
        const found = super.findDeclarations(source);
        if (found.length > 0) return found;
        const node = source.astNode;
        const property = GrammarUtils.findAssignment(source)?.feature;
        const text = (CstUtils.getDatatypeNode(source) ?? source).text;
        const document = AstUtils.getDocument(node);
        if ((isTestLine(node) || isUnitsExpectation(node)) && property === 'code') {
            return visibleDeclarations(this.services, document).codes.filter(code => String(code.name) === text);
        }
        if (isTestLine(node) && property === 'modifiers') {
            return visibleDeclarations(this.services, document).modifiers.filter(modifier => String(modifier.name) === text);
        }
        if (isTestSession(node) && property === 'payer') {
            return visibleDeclarations(this.services, document).payers.filter(payer => payer.payerId === node.payer);
        }
        return [];
    }

    override findReferences(target: AstNode, options: FindReferencesOptions): Stream<ReferenceDescription> {
        const found: ReferenceDescription[] = [];
        if (isPolicyRule(target)) {
            for (const rule of ruleFamily(target, this.langiumDocuments)) {
                // The other declarations of the id are references to it (an override names what it replaces).
                const includeDeclaration = rule === target ? options.includeDeclaration : true;
                found.push(...super.findReferences(rule, { ...options, includeDeclaration }));
            }
        } else {
            found.push(...super.findReferences(target, options));
        }
        if (isCodeDecl(target) || isModifierDecl(target)) found.push(...this.testMentions(target));
        const filtered = options.documentUri ? found.filter(ref => UriUtils.equals(ref.sourceUri, options.documentUri)) : found;
        return stream(filtered).distinct(ref => `${ref.sourceUri.toString()}:${ref.segment.offset}`);
    }

    /** Test lines and `expect units` that name the code or modifier, in documents that see its declaration. */
    protected testMentions(target: AstNode & { name: string | number }): ReferenceDescription[] {
        const targetDocument = AstUtils.getDocument(target);
        const name = String(target.name);
        const mentions: ReferenceDescription[] = [];
        for (const document of this.langiumDocuments.all) {
            if (!this.services.workspace.PackageIndex.visibleUris(document).has(targetDocument.uri.toString())) continue;
            for (const node of AstUtils.streamAst(document.parseResult.value)) {
                if (isCodeDecl(target) && (isTestLine(node) || isUnitsExpectation(node)) && String(node.code) === name) {
                    this.pushMention(mentions, document, node, GrammarUtils.findNodeForProperty(node.$cstNode, 'code'), target, targetDocument);
                }
                if (isModifierDecl(target) && isTestLine(node)) {
                    node.modifiers.forEach((modifier, index) => {
                        if (String(modifier) === name) {
                            this.pushMention(mentions, document, node, GrammarUtils.findNodeForProperty(node.$cstNode, 'modifiers', index), target, targetDocument);
                        }
                    });
                }
            }
        }
        return mentions;
    }

    protected pushMention(into: ReferenceDescription[], document: LangiumDocument, node: AstNode, cst: CstNode | undefined, target: AstNode, targetDocument: LangiumDocument): void {
        if (!cst) return;
        into.push({
            sourceUri: document.uri,
            sourcePath: this.nodeLocator.getAstNodePath(node),
            targetUri: targetDocument.uri,
            targetPath: this.nodeLocator.getAstNodePath(target),
            segment: CstUtils.toDocumentSegment(cst),
            local: UriUtils.equals(document.uri, targetDocument.uri)
        });
    }
}

/** The inherited rule an `override` replaces, or undefined. */
export function overriddenRule(rule: PolicyRule): PolicyRule | undefined {
    if (!rule.override) return undefined;
    return inheritedRules(rule.$container).find(entry => entry.rule.name === rule.name)?.rule;
}

/** The rule an id was first written as: follows overrides up the `extends` chain. */
export function originalRule(rule: PolicyRule): PolicyRule {
    const seen = new Set<PolicyRule>([rule]);
    let current = rule;
    for (let base = overriddenRule(current); base && !seen.has(base); base = overriddenRule(current)) {
        seen.add(base);
        current = base;
    }
    return current;
}

/** The original rule and every override of it in the loaded documents. */
export function ruleFamily(rule: PolicyRule, documents: LangiumDocuments): PolicyRule[] {
    const original = originalRule(rule);
    const family = [original];
    for (const document of documents.all) {
        for (const payer of (document.parseResult.value as PolicyFile).elements?.filter(isPayer) ?? []) {
            for (const candidate of ownRules(payer)) {
                if (candidate !== original && candidate.override && candidate.name === original.name && originalRule(candidate) === original) {
                    family.push(candidate);
                }
            }
        }
    }
    return family;
}
