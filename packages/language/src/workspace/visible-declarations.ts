/**
 * What a document can name: the codes, code sets, modifiers and payers of its own package and of
 * everything it imports (the same documents scoping links against). Completion, hover, quick
 * fixes and the checks of test lines offer or accept these, never the rest of the workspace.
 */
import { URI, WorkspaceCache, type LangiumDocument } from 'langium';
import {
    isCodeDecl, isCodeSet, isModifierDecl, isPayer, type CodeDecl, type CodeSet, type ModifierDecl, type Payer, type PolicyFile
} from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';

export interface VisibleDeclarations {
    codes: CodeDecl[];
    codeSets: CodeSet[];
    modifiers: ModifierDecl[];
    payers: Payer[];
    /** The names of `codes` and `modifiers`, for lookups that must not scan a large catalog each time. */
    codeNames: Set<string>;
    modifierNames: Set<string>;
}

/** Per language services: document URI -> what it sees, until the workspace changes. */
const caches = new WeakMap<PayruleServices, WorkspaceCache<string, VisibleDeclarations>>();

export function visibleDeclarations(services: PayruleServices, document: LangiumDocument): VisibleDeclarations {
    let cache = caches.get(services);
    if (!cache) {
        cache = new WorkspaceCache(services.shared);
        caches.set(services, cache);
    }
    return cache.get(document.uri.toString(), () => collect(services, document));
}

function collect(services: PayruleServices, document: LangiumDocument): VisibleDeclarations {
    const documents = services.shared.workspace.LangiumDocuments;
    const visible: VisibleDeclarations = { codes: [], codeSets: [], modifiers: [], payers: [], codeNames: new Set(), modifierNames: new Set() };
    for (const uri of services.workspace.PackageIndex.visibleUris(document)) {
        const root = documents.getDocument(URI.parse(uri))?.parseResult.value as PolicyFile | undefined;
        for (const element of root?.elements ?? []) {
            if (isCodeDecl(element)) {
                visible.codes.push(element);
                visible.codeNames.add(String(element.name));
            } else if (isCodeSet(element)) visible.codeSets.push(element);
            else if (isModifierDecl(element)) {
                visible.modifiers.push(element);
                visible.modifierNames.add(String(element.name));
            }
            else if (isPayer(element)) visible.payers.push(element);
        }
    }
    return visible;
}

/** The declaration of code `name` visible from `document`, if any. */
export function findVisibleCode(services: PayruleServices, document: LangiumDocument, name: string): CodeDecl | undefined {
    return visibleDeclarations(services, document).codes.find(code => String(code.name) === name);
}

export function findVisibleModifier(services: PayruleServices, document: LangiumDocument, name: string): ModifierDecl | undefined {
    return visibleDeclarations(services, document).modifiers.find(modifier => String(modifier.name) === name);
}
