/**
 * Imports: each names a loaded package, an existing file or an installed pack, none reaches
 * outside its pack (refusals come from the package index), none closes a cycle, and none only
 * brings in the importing file's own package (not needed: not a cycle either).
 */
import { AstUtils, type ValidationAcceptor, type ValidationChecks } from 'langium';
import type { Import, PayruleAstType, PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { importPathKind } from '../workspace/package-index.js';
import { closestNames } from './closest-names.js';

export function importChecks(services: PayruleServices): ValidationChecks<PayruleAstType> {
    const packages = services.workspace.PackageIndex;
    const inEditor = services.shared.lsp.Connection !== undefined;
    return {
        Import: (imp: Import, accept: ValidationAcceptor) => {
            const document = AstUtils.getDocument(imp);
            const refusal = packages.importRefusal(imp, document.uri);
            if (refusal) {
                accept('error', refusal, { node: imp, code: 'refused-import' });
                return;
            }
            const targets = packages.resolveImport(imp, document.uri);
            if (targets.length === 0) {
                if (imp.pack) {
                    const known = packages.packageNames();
                    const near = closestNames(imp.pack, known);
                    const hint = near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : known.length > 0 ? ` Loaded packages: ${known.join(', ')}.` : '';
                    // The editor loads what its workspace folders hold; the command line what --policy names.
                    const load = inEditor ? 'Open its pack folder in the workspace' : 'Load its pack folder with --policy';
                    accept('error', `Cannot find the package '${imp.pack}'. ${load}, install the pack that provides it (npm install), or check the name.${hint}`,
                        { node: imp, property: 'pack', code: 'unresolved-import' });
                } else if (imp.path !== undefined && importPathKind(imp.path) === 'npm') {
                    const hint = imp.path.endsWith('.payrule') ? ` For a file next to this one, write "./${imp.path}".` : '';
                    accept('error', `Cannot find the installed pack "${imp.path}": install it (npm install ${imp.path}) or check the name.${hint}`,
                        { node: imp, property: 'path', code: 'unresolved-import' });
                } else {
                    accept('error', `Cannot find the file "${imp.path}" (paths are relative to this file).`,
                        { node: imp, property: 'path', code: 'unresolved-import' });
                }
                return;
            }
            if (packages.importsOwnPackage(imp, document)) {
                // A file of one's own package imported by path is what brings it in when payrule is given this file alone: needed, and no cycle.
                if (imp.pack === undefined) return;
                const pkg = (document.parseResult.value as PolicyFile).name;
                accept('warning', `This file is itself in package ${pkg}, so this import does nothing. To use another file of the package, import it by its path ("./codes.payrule").`,
                    { node: imp, code: 'unneeded-import' });
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
