/**
 * Which documents make up each policy package, and which documents a document can see through
 * its imports. Imports are transitive: importing a payer's pack also brings the code catalog it
 * imports, the way a biller expects "the Medicare pack" to come with its codes.
 *
 * An import names a package (`import cms.medicare`), a file relative to the importing one
 * (`import "./codes.payrule"`), or an installed npm pack (`import "@acme/medicare-rules"`).
 * What lives on disk (node_modules, the pack's root, symbolic links) is decided by the loader
 * that reads the files (node/load-policies.ts): it tells this index which folder an npm name
 * resolved to, and which imports it refused and why; absolute paths are refused here.
 */
import { URI, UriUtils, WorkspaceCache, type LangiumDocument, type LangiumDocuments, type LangiumSharedCoreServices } from 'langium';
import type { Import, PolicyFile } from '../generated/ast.js';

export class PackageIndex {
    protected readonly documents: LangiumDocuments;
    /** package name -> URIs of its documents */
    protected readonly packages: WorkspaceCache<'packages', Map<string, string[]>>;
    protected readonly visible: WorkspaceCache<string, Set<string>>;
    /** `importer URI + import text` -> why the import was refused (outside the pack, a bad manifest, ...). */
    protected readonly refusals = new Map<string, string>();
    /** `importer URI + npm name` -> URI of the installed pack's folder. */
    protected readonly npmPacks = new Map<string, string>();

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

    /**
     * URIs an import brings in: every document of the named package, the file at the relative
     * path, or the documents of the installed npm pack. None for a refused import.
     */
    resolveImport(imp: Import, from: URI): string[] {
        if (this.importRefusal(imp, from)) return [];
        if (imp.pack) return this.documentsOfPackage(imp.pack);
        if (imp.path === undefined) return [];
        switch (importPathKind(imp.path)) {
            case 'relative': {
                const target = UriUtils.resolvePath(UriUtils.dirname(from), imp.path);
                return this.documents.hasDocument(target) ? [target.toString()] : [];
            }
            case 'npm': {
                const root = this.npmPacks.get(importKey(from, imp.path));
                if (!root) return [];
                const prefix = root.endsWith('/') ? root : `${root}/`;
                return this.documents.all
                    .map(doc => doc.uri.toString())
                    .filter(uri => uri.startsWith(prefix) && !uri.slice(prefix.length).split('/').includes('node_modules'))
                    .toArray()
                    .sort();
            }
            default: return [];
        }
    }

    /** Why an import may not be followed, when it may not: set by the loader, or an absolute path. */
    importRefusal(imp: Import, from: URI): string | undefined {
        const label = importLabel(imp);
        const refused = this.refusals.get(importKey(from, label));
        if (refused) return refused;
        if (imp.path !== undefined && importPathKind(imp.path) === 'absolute') {
            return `Import "${imp.path}" is an absolute path: import files by a path relative to this file ("./..."), or packs by name.`;
        }
        return undefined;
    }

    /** Records that the import `label` (a package name or the path as written) of `from` is refused, and why. */
    refuseImport(from: URI, label: string, reason: string): void {
        this.refusals.set(importKey(from, label), reason);
    }

    /** Records that `import "<npmName>"` in `from` names the installed pack in folder `root`. */
    registerNpmImport(from: URI, npmName: string, root: URI): void {
        this.npmPacks.set(importKey(from, npmName), root.toString());
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
        // Files of the package itself are not a way back to it: see importsOwnPackage.
        const first = this.resolveImport(imp, from.uri).filter(uri => !this.inNamedPackage(uri, from));
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

    /**
     * True when everything `imp` brings in belongs to the named package of `from` itself (`import
     * "./gd-codes.payrule"` in package gd, or `import gd`): the files of one package see each other
     * without an import.
     */
    importsOwnPackage(imp: Import, from: LangiumDocument): boolean {
        const targets = this.resolveImport(imp, from.uri);
        return targets.length > 0 && targets.every(uri => this.inNamedPackage(uri, from));
    }

    /** Whether the document at `uri` declares the same package as `from`, which has a package name. */
    protected inNamedPackage(uri: string, from: LangiumDocument): boolean {
        const name = (from.parseResult.value as PolicyFile).name;
        const doc = this.documentAt(uri);
        return name !== undefined && doc !== undefined && (doc.parseResult.value as PolicyFile).name === name;
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

function importKey(from: URI, label: string): string {
    return `${from.toString()}\u0000${label}`;
}

/**
 * What an import string names: `./x.payrule` or `../x.payrule` a file relative to the importing
 * one; `/x`, `C:\\x` or `file:...` an absolute path (refused); anything else an npm package name.
 */
export function importPathKind(path: string): 'relative' | 'absolute' | 'npm' {
    if (/^\.\.?(?:[\\/]|$)/.test(path)) return 'relative';
    if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path) || /^[a-z][a-z0-9+.-]*:/i.test(path)) return 'absolute';
    return 'npm';
}
