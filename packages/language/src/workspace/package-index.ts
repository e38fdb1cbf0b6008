/**
 * Which documents make up each policy package, and which documents a document can see through
 * its imports. Imports are transitive: importing a payer's pack also brings the code catalog it
 * imports, the way a biller expects "the Medicare pack" to come with its codes.
 */
import { URI, UriUtils, WorkspaceCache, type LangiumDocument, type LangiumDocuments, type LangiumSharedCoreServices } from 'langium';
import type { Import, PolicyFile } from '../generated/ast.js';

export class PackageIndex {
    protected readonly documents: LangiumDocuments;
    /** package name -> URIs of its documents */
    protected readonly packages: WorkspaceCache<'packages', Map<string, string[]>>;
    protected readonly visible: WorkspaceCache<string, Set<string>>;

    constructor(shared: LangiumSharedCoreServices) {
        this.documents = shared.workspace.LangiumDocuments;
        this.packages = new WorkspaceCache(shared);
        this.visible = new WorkspaceCache(shared);
    }

    /** URIs of the loaded documents that declare package `name`. */
    documentsOfPackage(name: string): string[] {
        return this.packageMap().get(name) ?? [];
    }

    packageNames(): string[] {
        return [...this.packageMap().keys()].sort();
    }

    /** URIs an import brings in: every document of the named package, or the file at the path. */
    resolveImport(imp: Import, from: URI): string[] {
        if (imp.pack) return this.documentsOfPackage(imp.pack);
        if (imp.path !== undefined) {
            const target = UriUtils.resolvePath(UriUtils.dirname(from), imp.path);
            return this.documents.hasDocument(target) ? [target.toString()] : [];
        }
        return [];
    }

    /** The document itself, the other documents of its package, and everything reachable through imports. */
    visibleUris(document: LangiumDocument): Set<string> {
        const key = document.uri.toString();
        return this.visible.get(key, () => {
            const seen = new Set<string>();
            const pending = [key];
            while (pending.length > 0) {
                const uri = pending.pop()!;
                if (seen.has(uri)) continue;
                seen.add(uri);
                const doc = this.documentAt(uri);
                if (!doc) continue;
                const root = doc.parseResult.value as PolicyFile;
                if (root.name) pending.push(...this.documentsOfPackage(root.name));
                for (const imp of root.imports ?? []) pending.push(...this.resolveImport(imp, doc.uri));
            }
            return seen;
        });
    }

    /**
     * A chain of package names that leads from `imp` back to the package (or file) that imports it,
     * or undefined when the import does not close a cycle.
     */
    importCycle(imp: Import, from: LangiumDocument): string[] | undefined {
        const start = packageKey(from);
        const first = this.resolveImport(imp, from.uri);
        const stack: { uri: string; path: string[] }[] = first.map(uri => ({ uri, path: [start, importLabel(imp)] }));
        const seen = new Set<string>();
        while (stack.length > 0) {
            const { uri, path } = stack.pop()!;
            const doc = this.documentAt(uri);
            if (!doc) continue;
            if (packageKey(doc) === start) return path;
            if (seen.has(uri)) continue;
            seen.add(uri);
            const root = doc.parseResult.value as PolicyFile;
            for (const next of root.imports ?? []) {
                for (const target of this.resolveImport(next, doc.uri)) {
                    stack.push({ uri: target, path: [...path, importLabel(next)] });
                }
            }
        }
        return undefined;
    }

    protected documentAt(uri: string): LangiumDocument | undefined {
        return this.documents.getDocument(URI.parse(uri));
    }

    protected packageMap(): Map<string, string[]> {
        return this.packages.get('packages', () => {
            const map = new Map<string, string[]>();
            for (const doc of this.documents.all) {
                const name = (doc.parseResult.value as PolicyFile).name;
                if (!name) continue;
                const uris = map.get(name) ?? [];
                uris.push(doc.uri.toString());
                map.set(name, uris);
            }
            return map;
        });
    }
}

function packageKey(doc: LangiumDocument): string {
    return (doc.parseResult.value as PolicyFile).name ?? doc.uri.toString();
}

function importLabel(imp: Import): string {
    return imp.pack ?? imp.path ?? '?';
}
