/**
 * Scoping: a document sees the names of its own package and of what it imports (transitively),
 * never the rest of the workspace. Rule ids are scoped by payer: `without` names an inherited
 * rule, and a test's `expect finding` names a rule in force for the payer its sessions bill.
 */
import { DefaultScopeProvider, MultiMapScope, WorkspaceCache, AstUtils, type AstNode, type LangiumDocuments, type ReferenceInfo, type Scope } from 'langium';
import { URI } from 'langium';
import { isDrop, isFindingExpectation, isPayer, type Payer, type PolicyFile, type PolicyRule, type Test } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import type { PackageIndex } from '../workspace/package-index.js';
import { baseChain, inheritedRules, ownRules, rulesInForce } from '../workspace/payer-inheritance.js';

export class PayruleScopeProvider extends DefaultScopeProvider {
    protected readonly packageIndex: PackageIndex;
    protected readonly documents: LangiumDocuments;
    protected readonly visibleScopes: WorkspaceCache<string, Scope>;
    /** Tests name rules often and payers rarely change: both are computed once per workspace state. */
    protected readonly visiblePayers: WorkspaceCache<string, Payer[]>;
    protected readonly testRules: WorkspaceCache<string, PolicyRule[]>;

    constructor(services: PayruleServices) {
        super(services);
        this.packageIndex = services.workspace.PackageIndex;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.visibleScopes = new WorkspaceCache(services.shared);
        this.visiblePayers = new WorkspaceCache(services.shared);
        this.testRules = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        const container = context.container;
        if (isDrop(container)) {
            const payer = container.$container;
            return this.createScopeForNodes(inheritedRules(payer).map(entry => entry.rule));
        }
        if (isFindingExpectation(container)) {
            return this.createScopeForNodes(this.rulesNamedInTest(container.$container));
        }
        return super.getScope(context);
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        const key = `${document.uri.toString()}\u0000${referenceType}`;
        return this.visibleScopes.get(key, () => {
            const uris = this.packageIndex.visibleUris(document);
            return new MultiMapScope(this.indexManager.allElements(referenceType, uris));
        });
    }

    /**
     * Rules a test may name: those in force for its payers, and also the rules their bases declare,
     * so a test can state that a dropped rule (`without kx`) no longer fires.
     */
    rulesNamedInTest(test: Test): PolicyRule[] {
        const ids = [...new Set(test.sessions.map(session => session.payer))].sort();
        const key = `${AstUtils.getDocument(test).uri.toString()}\u0000${ids.join('\u0000')}`;
        return this.testRules.get(key, () => {
            const payers = this.payersVisibleFrom(test).filter(payer => ids.includes(payer.payerId));
            const inForce = payers.flatMap(payer => rulesInForce(payer).map(entry => entry.rule));
            const names = new Set(inForce.map(rule => rule.name));
            const dropped = payers.flatMap(payer => baseChain(payer).flatMap(ownRules)).filter(rule => !names.has(rule.name));
            return [...inForce, ...dropped];
        });
    }

    /** Rules in force for every payer whose id the test's sessions name. */
    rulesForTest(test: Test) {
        const ids = new Set(test.sessions.map(session => session.payer));
        return this.payersVisibleFrom(test).filter(payer => ids.has(payer.payerId)).flatMap(payer => rulesInForce(payer));
    }

    payersVisibleFrom(node: AstNode): Payer[] {
        const document = AstUtils.getDocument(node);
        return this.visiblePayers.get(document.uri.toString(), () => {
            const payers: Payer[] = [];
            for (const uri of this.packageIndex.visibleUris(document)) {
                const root = this.documents.getDocument(URI.parse(uri))?.parseResult.value as PolicyFile | undefined;
                payers.push(...(root?.elements ?? []).filter(isPayer));
            }
            return payers;
        });
    }
}
