/**
 * Rebuilds, on a workspace change, the documents whose imports may now mean something else.
 * Langium relinks a document only when one of its references failed or points into a changed
 * file; an import is not such a reference (the PackageIndex resolves it), so a policy linked to
 * a package only by `import clinic.extra` kept "Cannot find the package" after the package was
 * opened or created, and a clean one was not told when the file it imports went away.
 *
 * This runs for every document on every change: it looks only at the document's own imports
 * and diagnostics, never at the other files.
 */
import { DefaultDocumentBuilder, UriUtils, type LangiumDocument } from 'langium';
import type { Import, PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { importPathKind, type PackageIndex } from './package-index.js';

/** Diagnostic codes of imports that may resolve once other files change. */
const IMPORT_FAILURES = new Set<unknown>(['unresolved-import', 'refused-import']);

export class PayruleDocumentBuilder extends DefaultDocumentBuilder {
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return super.shouldRelink(document, changedUris)
            || hasFailedImport(document)
            || this.importsAnyOf(document, changedUris);
    }

    /** Whether one of the document's imports brings in (or brought in, before this change) a changed document. */
    protected importsAnyOf(document: LangiumDocument, changedUris: Set<string>): boolean {
        const imports = (document.parseResult.value as Partial<PolicyFile>).imports ?? [];
        if (imports.length === 0) return false;
        const packages = this.packageIndexOf(document);
        return packages !== undefined && imports.some(imp => importTargets(imp, document, packages).some(uri => changedUris.has(uri)));
    }

    protected packageIndexOf(document: LangiumDocument): PackageIndex | undefined {
        const services = this.serviceRegistry.getServices(document.uri) as Partial<PayruleServices>;
        return services.workspace?.PackageIndex;
    }
}

function hasFailedImport(document: LangiumDocument): boolean {
    return document.diagnostics?.some(diagnostic => IMPORT_FAILURES.has(diagnostic.code)) ?? false;
}

/**
 * The URIs an import points at, as of the last build (the index is refreshed after this check).
 * A relative path is resolved here, not looked up, so that a deleted file (no longer a document)
 * still counts. An npm pack's files are left out: finding them walks every document, and a pack
 * that is missing or refused is already caught by its diagnostic.
 */
function importTargets(imp: Import, document: LangiumDocument, packages: PackageIndex): string[] {
    if (imp.pack !== undefined) return packages.documentsOfPackage(imp.pack);
    if (imp.path !== undefined && importPathKind(imp.path) === 'relative') {
        return [UriUtils.resolvePath(UriUtils.dirname(document.uri), imp.path).toString()];
    }
    return [];
}
