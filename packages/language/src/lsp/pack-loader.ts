/**
 * Loads from disk the packs that documents import by name when the workspace does not contain
 * them, with the command line's search (pack folders beside and above the importing file). So a
 * policy opened on its own, or a workspace that holds only a payer pack, still links against
 * its code catalog and base payers, and go to definition lands in those packs. Node only.
 */
import { URI, type LangiumDocument, type LangiumSharedCoreServices } from 'langium';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PolicyFile } from '../generated/ast.js';
import { findInstalledPackage } from '../node/node-modules.js';
import { findPackageFiles } from '../node/pack-files.js';
import { packSourceFiles, readPack } from '../node/pack-manifest.js';
import type { PayruleServices } from '../payrule-module.js';
import { importPathKind } from '../workspace/package-index.js';

const IMPORT = /^[ \t]*import[ \t]+(?:([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)|"((?:[^"\\]|\\.)*)")/gm;

/** What a document imports: package names, and relative paths of files. */
interface Imports {
    packs: string[];
    paths: string[];
}

export class PackLoader {
    protected readonly shared: LangiumSharedCoreServices;
    protected scannedAll = false;

    constructor(shared: LangiumSharedCoreServices) {
        this.shared = shared;
    }

    /** Runs before every rebuild, so loaded packs are built together with the documents that import them. */
    start(): void {
        this.shared.workspace.DocumentBuilder.onUpdate(async changed => {
            await this.loadImportedPacks(changed);
        });
    }

    async loadImportedPacks(changed: URI[]): Promise<URI[]> {
        const documents = this.shared.workspace.LangiumDocuments;
        const changedKeys = new Set(changed.map(uri => uri.toString()));
        let pending = this.scannedAll ? documents.all.filter(doc => changedKeys.has(doc.uri.toString())).toArray() : documents.all.toArray();
        this.scannedAll = true;
        const loaded: URI[] = [];
        while (pending.length > 0) {
            const declared = new Set(documents.all.map(doc => (doc.parseResult?.value as PolicyFile | undefined)?.name).filter(Boolean));
            const next: LangiumDocument[] = [];
            for (const document of pending) {
                if (document.uri.scheme !== 'file') continue;
                const dir = dirname(document.uri.fsPath);
                const imports = this.importsOf(document, changedKeys.has(document.uri.toString()));
                const files = [
                    ...imports.packs.filter(pack => !declared.has(pack)).flatMap(pack => findPackageFiles(pack, dir)),
                    ...imports.paths.flatMap(path => this.filesOfPath(document, path))
                ];
                for (const file of files) {
                    const uri = URI.file(file);
                    if (documents.hasDocument(uri)) continue;
                    const added = await documents.getOrCreateDocument(uri);
                    loaded.push(uri);
                    next.push(added);
                    const name = (added.parseResult?.value as PolicyFile | undefined)?.name;
                    if (name) declared.add(name);
                }
            }
            pending = next;
        }
        return loaded;
    }

    /** A relative path names a file; any other string an installed npm pack (its sources, and the index learns where it is). */
    protected filesOfPath(document: LangiumDocument, path: string): string[] {
        const dir = dirname(document.uri.fsPath);
        const kind = importPathKind(path);
        if (kind === 'relative') {
            const file = resolve(dir, path);
            return existsSync(file) ? [file] : [];
        }
        if (kind !== 'npm') return [];
        const root = findInstalledPackage(path, dir);
        try {
            const pack = root ? readPack(root) : undefined;
            if (!pack) return [];
            const services = this.shared.ServiceRegistry.getServices(document.uri) as PayruleServices;
            services.workspace.PackageIndex.registerNpmImport(document.uri, path, URI.file(pack.root));
            return packSourceFiles(pack);
        } catch {
            return []; // an unusable manifest: the import's diagnostic says so
        }
    }

    /** What a document imports: from its text when it just changed (not parsed yet), else from its AST. */
    protected importsOf(document: LangiumDocument, changed: boolean): Imports {
        if (!changed) {
            const root = document.parseResult?.value as PolicyFile | undefined;
            if (root?.imports) {
                return {
                    packs: root.imports.map(imp => imp.pack).filter((pack): pack is string => pack !== undefined),
                    paths: root.imports.map(imp => imp.path).filter((path): path is string => path !== undefined)
                };
            }
        }
        const text = this.shared.workspace.TextDocuments?.get(document.uri.toString())?.getText() ?? safeText(document);
        const matches = [...text.matchAll(IMPORT)];
        return {
            packs: matches.map(match => match[1]).filter((pack): pack is string => pack !== undefined),
            paths: matches.map(match => match[2]).filter((path): path is string => path !== undefined).map(path => JSON.parse(`"${path}"`) as string)
        };
    }
}

function safeText(document: LangiumDocument): string {
    try {
        return document.textDocument.getText();
    } catch {
        return '';
    }
}
