/**
 * Go to definition. Langium follows cross-references (payers after `extends`, codes, code sets,
 * modifiers, rules after `without` and `expect finding`); PayruleReferences adds the codes and
 * modifiers of test lines. Here: on the id of an `override`, go to the rule it replaces.
 */
import { AstUtils, GrammarUtils, type CstNode } from 'langium';
import { DefaultDefinitionProvider, type GoToLink } from 'langium/lsp';
import { isPolicyRule } from '../generated/ast.js';
import { overriddenRule } from './payrule-references.js';

export class PayruleDefinitionProvider extends DefaultDefinitionProvider {
    protected override findLinks(source: CstNode): GoToLink[] {
        const node = source.astNode;
        if (isPolicyRule(node) && node.override && GrammarUtils.findAssignment(source)?.feature === 'name') {
            const base = overriddenRule(node);
            const target = base && (this.nameProvider.getNameNode(base) ?? base.$cstNode);
            if (base && target) return [{ source, target, targetDocument: AstUtils.getDocument(base) }];
        }
        return super.findLinks(source);
    }
}
