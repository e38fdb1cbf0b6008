/**
 * Go to definition. Langium follows cross-references (payers after `extends`, codes, code sets,
 * modifiers, rules after `without` and `expect finding`); PayruleReferences adds the codes and
 * modifiers of test lines. Here: on the id of an `override`, go to the rule it replaces; on an
 * import, go to the file it brings in (for a package or a pack of several files, the first of its
 * policy files, at its `package` line).
 */
import { AstUtils, CstUtils, GrammarUtils, URI, type CstNode, type LangiumDocuments } from 'langium';
import { DefaultDefinitionProvider, type GoToLink } from 'langium/lsp';
import { isImport, isPolicyRule, type Import, type PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import type { PackageIndex } from '../workspace/package-index.js';
import { isTestFile } from '../workspace/test-files.js';
import { overriddenRule } from './payrule-references.js';

export class PayruleDefinitionProvider extends DefaultDefinitionProvider {
    protected readonly packages: PackageIndex;
    protected readonly documents: LangiumDocuments;

    constructor(services: PayruleServices) {
        super(services);
        this.packages = services.workspace.PackageIndex;
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    protected override findLinks(source: CstNode): GoToLink[] {
        const node = source.astNode;
        if (isPolicyRule(node) && node.override && GrammarUtils.findAssignment(source)?.feature === 'name') {
            const base = overriddenRule(node);
            const target = base && (this.nameProvider.getNameNode(base) ?? base.$cstNode);
            if (base && target) return [{ source, target, targetDocument: AstUtils.getDocument(base) }];
        }
        if (isImport(node)) return this.importLinks(node, source);
        return super.findLinks(source);
    }

    protected importLinks(imp: Import, source: CstNode): GoToLink[] {
        const importer = AstUtils.getDocument(imp);
        const documents = this.packages.resolveImport(imp, importer.uri)
            .flatMap(uri => this.documents.getDocument(URI.parse(uri)) ?? [])
            .filter(document => document !== importer);
        // A package's tests are in files of their own: the policy file is the one worth landing on.
        const first = documents.find(document => !isTestFile(document.uri.path)) ?? documents[0];
        const root = first?.parseResult.value as PolicyFile | undefined;
        const target = root?.$cstNode && (GrammarUtils.findNodeForProperty(root.$cstNode, 'name')
            ?? CstUtils.flattenCst(root.$cstNode).find(leaf => !leaf.hidden) ?? root.$cstNode);
        if (!first || !target) return [];
        const written = imp.$cstNode && GrammarUtils.findNodeForProperty(imp.$cstNode, imp.pack !== undefined ? 'pack' : 'path');
        return [{ source: written ?? source, target, targetDocument: first }];
    }
}
