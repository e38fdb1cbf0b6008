/** The code catalog: codes, code sets and modifiers are declared once per package. */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import { isCodeDecl, isCodeSet, isModifierDecl, type CodeSet, type PayruleAstType, type PolicyFile } from '../generated/ast.js';

export function catalogChecks(): ValidationChecks<PayruleAstType> {
    return {
        PolicyFile: (file: PolicyFile, accept: ValidationAcceptor) => {
            const kinds = [
                { label: 'code', nodes: file.elements.filter(isCodeDecl) },
                { label: 'code set', nodes: file.elements.filter(isCodeSet) },
                { label: 'modifier', nodes: file.elements.filter(isModifierDecl) }
            ];
            for (const { label, nodes } of kinds) {
                const seen = new Set<string>();
                for (const node of nodes) {
                    const name = String(node.name);
                    if (seen.has(name)) {
                        accept('error', `The ${label} ${name} is declared twice in this file.`, { node, property: 'name', code: 'duplicate-declaration' });
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
