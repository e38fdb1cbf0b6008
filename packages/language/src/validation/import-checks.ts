/** Imports: each names a loaded package or an existing file, and none closes a cycle. */
import { AstUtils, type ValidationAcceptor, type ValidationChecks } from 'langium';
import type { Import, PayruleAstType, PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';

export function importChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const packages = services.workspace.PackageIndex;
    return {
        Import: (imp: Import, accept: ValidationAcceptor) => {
            const document = AstUtils.getDocument(imp);
            const targets = packages.resolveImport(imp, document.uri);
            if (targets.length === 0) {
                if (imp.pack) {
                    const known = packages.packageNames();
                    const hint = known.length > 0 ? ` Loaded packages: ${known.join(', ')}.` : '';
                    accept('error', `Cannot find the package '${imp.pack}'. Load its pack folder with --policy, or check the name.${hint}`,
                        { node: imp, property: 'pack', code: 'unresolved-import' });
                } else {
                    accept('error', `Cannot find the file "${imp.path}" (paths are relative to this file).`,
                        { node: imp, property: 'path', code: 'unresolved-import' });
                }
                return;
            }
            const cycle = packages.importCycle(imp, document);
            if (cycle) {
                accept('error', `Import cycle: ${cycle.join(' -> ')}. Packages may not import each other in a circle.`,
                    { node: imp, code: 'import-cycle' });
            }
        },
        PolicyFile: (file: PolicyFile, accept: ValidationAcceptor) => {
            const seen = new Set<string>();
            for (const imp of file.imports) {
                const key = imp.pack ?? imp.path ?? '';
                if (seen.has(key)) accept('warning', `'${key}' is imported twice.`, { node: imp, code: 'duplicate-import' });
                seen.add(key);
            }
        }
    };
}
