/** Code sets name codes and other sets; rules in the IR carry the plain list of codes. */
import type { Reference } from 'langium';
import { isCodeDecl, isCodeSet, type CodeSelector, type CodeTarget } from '../generated/ast.js';

export function expandCodeTargets(targets: Reference<CodeTarget>[], seen = new Set<CodeTarget>()): string[] {
    const codes = new Set<string>();
    for (const target of targets) {
        const node = target.ref;
        if (!node || seen.has(node)) continue;
        if (isCodeDecl(node)) codes.add(String(node.name));
        if (isCodeSet(node)) {
            seen.add(node);
            for (const code of expandCodeTargets(node.members, seen)) codes.add(code);
        }
    }
    return [...codes];
}

export function expandSelector(selector: CodeSelector | undefined): string[] | undefined {
    return selector ? expandCodeTargets(selector.codes) : undefined;
}
