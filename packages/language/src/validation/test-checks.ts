/** Tests: their sessions bill a payer that is in scope, with real codes. */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import type { PayruleAstType, Test } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import type { PayruleScopeProvider } from '../references/payrule-scope-provider.js';

export function testChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const scopes = services.references.ScopeProvider as PayruleScopeProvider;
    return {
        Test: (test: Test, accept: ValidationAcceptor) => {
            const known = new Set(scopes.payersVisibleFrom(test).map(payer => payer.payerId));
            for (const session of test.sessions) {
                if (!known.has(session.payer)) {
                    const list = known.size > 0 ? ` Payers in scope: ${[...known].sort().join(', ')}.` : ' Import the pack that declares it.';
                    accept('error', `No payer with id "${session.payer}" is in scope.${list}`, { node: session, property: 'payer', code: 'unknown-payer' });
                }
            }
        }
    };
}
