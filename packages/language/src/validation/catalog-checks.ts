/** The code catalog: codes, code sets and modifiers are declared once per package. */
import { AstUtils, URI, UriUtils, type ValidationAcceptor, type ValidationChecks } from 'langium';
import { isCodeDecl, isCodeSet, isModifierDecl, type CodeSet, type PayruleAstType, type PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';

/** What a package declares once: in one file, and across its files in one folder. */
const KINDS = [
    { label: 'code', is: isCodeDecl },
    { label: 'code set', is: isCodeSet },
    { label: 'modifier', is: isModifierDecl }
] as const;

export function catalogChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const packages = services.workspace.PackageIndex;
    const documents = services.shared.workspace.LangiumDocuments;
    return {
        PolicyFile: (file: PolicyFile, accept: ValidationAcceptor) => {
            const here = AstUtils.getDocument(file).uri;
            // The package's other files beside this one: a name there is the same declaration made twice. (Files of another
            // folder may be another copy of the package, which the loader warns about.)
            const besides = file.name === undefined ? [] : packages.documentsOfPackage(file.name)
                .map(uri => URI.parse(uri))
                .filter(uri => uri.toString() !== here.toString() && UriUtils.dirname(uri).toString() === UriUtils.dirname(here).toString())
                .flatMap(uri => {
                    const other = documents.getDocument(uri)?.parseResult.value as PolicyFile | undefined;
                    return other ? [{ name: UriUtils.basename(uri), elements: other.elements }] : [];
                });
            for (const { label, is } of KINDS) {
                const elsewhere = new Map<string, string>();
                for (const other of besides) {
                    for (const node of other.elements.filter(is)) if (!elsewhere.has(String(node.name))) elsewhere.set(String(node.name), other.name);
                }
                const seen = new Set<string>();
                for (const node of file.elements.filter(is)) {
                    const name = String(node.name);
                    if (seen.has(name)) {
                        accept('error', `The ${label} ${name} is declared twice in this file.`, { node, property: 'name', code: 'duplicate-declaration' });
                    } else if (elsewhere.has(name)) {
                        accept('error', `The ${label} ${name} is also declared in ${elsewhere.get(name)}, another file of package ${file.name}. Declare it once.`,
                            { node, property: 'name', code: 'duplicate-declaration' });
                    }
                    seen.add(name);
                }
            }
        },
        CodeSet: (set: CodeSet, accept: ValidationAcceptor) => {
            const seen = new Set<string>();
            set.members.forEach((member, index) => {
                if (seen.has(member.$refText)) {
                    accept('warning', `${member.$refText} is listed twice in code set ${set.name}.`, { node: set, property: 'members', index });
                }
                seen.add(member.$refText);
                if (member.ref === set) {
                    accept('error', `Code set ${set.name} cannot contain itself.`, { node: set, property: 'members', index });
                }
            });
        }
    };
}
