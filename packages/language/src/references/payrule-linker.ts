/**
 * Linking errors in words a policy author knows ("Unknown modifier 'GZ'") with the nearest names
 * in scope as a suggestion, since the command line has no quick fix to offer.
 */
import { AstUtils, DefaultLinker, type AstNodeDescription, type LangiumDocument, type LinkingError, type ReferenceInfo } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { closestNames, resetSuggestionBudget, suggestionBudget } from '../validation/closest-names.js';

const WHAT: Record<string, string> = {
    CodeTarget: 'code or code set',
    CodeDecl: 'code',
    CodeSet: 'code set',
    ModifierDecl: 'modifier',
    Payer: 'payer',
    PolicyRule: 'rule',
    ExpectedRule: 'rule'
};

const WHERE_TO_LOOK: Record<string, string> = {
    CodeTarget: ' Is it declared in an imported catalog pack?',
    CodeDecl: ' Is it declared in an imported catalog pack?',
    ModifierDecl: ' Is it declared in an imported catalog pack?',
    Payer: ' Is the pack that declares it imported?',
    PolicyRule: '',
    ExpectedRule: ''
};

export class PayruleLinker extends DefaultLinker {
    /** Each linking pass may spend a budget of comparisons on suggestions, so thousands of unknown names in a large catalog stay fast. */
    override async link(document: LangiumDocument, cancelToken?: CancellationToken): Promise<void> {
        resetSuggestionBudget(document);
        await super.link(document, cancelToken);
    }

    override createLinkingError(refInfo: ReferenceInfo, targetDescription?: AstNodeDescription): LinkingError {
        const error = super.createLinkingError(refInfo, targetDescription);
        const type = this.reflection.getReferenceType(refInfo);
        const what = WHAT[type];
        if (!what) return error;
        const name = refInfo.reference.$refText;
        const candidates = this.scopeProvider.getScope(refInfo).getAllElements().map(description => description.name);
        const near = closestNames(name, candidates, 4, suggestionBudget(AstUtils.getDocument(refInfo.container)));
        const hint = near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : WHERE_TO_LOOK[type] ?? '';
        return { ...error, message: `Unknown ${what} '${name}'.${hint}` };
    }
}
