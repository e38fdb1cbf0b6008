/**
 * The engine's own checks (`unknown-modifier`): rules no policy declares, whose findings a test
 * may still expect. Each is the root of an in-memory document built from the model, not parsed,
 * and kept out of the workspace (nothing to build or validate): a test's reference to it resolves,
 * is indexed and is found like a reference to any rule, and since it has no text, there is nothing
 * to go to.
 */
import { ENGINE_RULES } from '@payrule/engine';
import { URI, type LangiumDocumentFactory } from 'langium';
import type { EngineRule } from '../generated/ast.js';

const ENGINE_RULE_SCHEME = 'payrule-engine';

export function engineRuleNodes(factory: LangiumDocumentFactory): EngineRule[] {
    return ENGINE_RULES.map(info => {
        const rule: EngineRule = { $type: 'EngineRule', name: info.id, severity: info.severity, summary: info.summary };
        factory.fromModel(rule, URI.from({ scheme: ENGINE_RULE_SCHEME, path: `/${info.id}` }));
        return rule;
    });
}
