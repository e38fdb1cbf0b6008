/**
 * Scoping: a document sees the names of its own package and of what it imports (transitively),
 * never the rest of the workspace. Rule ids are scoped by payer: `without` names an inherited
 * rule, and a test's `expect finding` names a rule in force for the payer its sessions bill, or
 * one of the engine's own checks (`unknown-modifier`), which no policy declares.
 */
import {
    DefaultScopeProvider, MapScope, MultiMapScope, WorkspaceCache, AstUtils, stream, type AstNode, type AstNodeDescription, type LangiumDocuments, type ReferenceInfo,
    type Scope, type Stream
} from 'langium';
import { URI, type LangiumDocumentFactory } from 'langium';
import { isDrop, isFindingExpectation, isPayer, type Payer, type PolicyFile, type PolicyRule, type Test } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import type { PackageIndex } from '../workspace/package-index.js';
import { baseChain, inheritedRules, ownRules, rulesInForce } from '../workspace/payer-inheritance.js';
import { engineRuleNodes } from './engine-rules.js';

export class PayruleScopeProvider extends DefaultScopeProvider {
    protected readonly packageIndex: PackageIndex;
    protected readonly documents: LangiumDocuments;
    protected readonly documentFactory: LangiumDocumentFactory;
    /** The engine's own checks, behind the rules a test names: built once, on first use. */
    protected engineRules?: Scope;
    protected readonly visibleScopes: WorkspaceCache<string, Scope>;
    /** Tests name rules often and payers rarely change: both are computed once per workspace state. */
    protected readonly visiblePayers: WorkspaceCache<string, Payer[]>;
    protected readonly testRules: WorkspaceCache<string, PolicyRule[]>;
    /** Container node -> reference type -> its local names. */
    protected readonly localIndex = new WeakMap<AstNode, Map<string, Map<string, AstNodeDescription>>>();

    constructor(services: PayruleServices) {
        super(services);
        this.packageIndex = services.workspace.PackageIndex;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.documentFactory = services.shared.workspace.LangiumDocumentFactory;
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
            return this.createScopeForNodes(this.rulesNamedInTest(container.$container), this.engineRuleScope());
        }
        return this.defaultScope(context);
    }

    /** Outside the policy's rules, so a rule the policy declares with the same id comes first. */
    protected engineRuleScope(): Scope {
        return this.engineRules ??= new MapScope(engineRuleNodes(this.documentFactory).map(rule => this.descriptions.createDescription(rule, rule.name)));
    }

    /**
     * The default lookup, with a document's own names found by name: Langium scans them in order
     * for every reference, which makes a catalog of thousands of codes quadratic to link. Each
     * container's names are indexed once per parse (its nodes are new after every parse); the
     * first declaration of a name wins, as in the scan (a second one is a validation error anyway).
     */
    protected defaultScope(context: ReferenceInfo): Scope {
        const referenceType = this.reflection.getReferenceType(context);
        const localSymbols = AstUtils.getDocument(context.container).localSymbols;
        const levels: Map<string, AstNodeDescription>[] = [];
        for (let node: AstNode | undefined = context.container; localSymbols && node; node = node.$container) {
            if (localSymbols.has(node)) levels.push(this.localNames(node, referenceType, () => localSymbols.getStream(node!)));
        }
        let result = this.getGlobalScope(referenceType, context);
        for (let i = levels.length - 1; i >= 0; i--) result = new IndexedScope(levels[i]!, result);
        return result;
    }

    protected localNames(node: AstNode, referenceType: string, symbols: () => Iterable<AstNodeDescription>): Map<string, AstNodeDescription> {
        let byType = this.localIndex.get(node);
        if (!byType) this.localIndex.set(node, (byType = new Map()));
        let names = byType.get(referenceType);
        if (!names) {
            names = new Map();
            for (const description of symbols()) {
                if (this.reflection.isSubtype(description.type, referenceType) && !names.has(description.name)) names.set(description.name, description);
            }
            byType.set(referenceType, names);
        }
        return names;
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

/** A level of local names over the scope outside it: lookups by name, the nearest level first. */
class IndexedScope implements Scope {
    constructor(protected readonly names: ReadonlyMap<string, AstNodeDescription>, protected readonly outer: Scope) {}

    getElement(name: string): AstNodeDescription | undefined {
        return this.names.get(name) ?? this.outer.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const local = this.names.get(name);
        return stream(local ? [local] : []).concat(this.outer.getElements(name));
    }

    getAllElements(): Stream<AstNodeDescription> {
        return stream(this.names.values()).concat(this.outer.getAllElements());
    }
}
