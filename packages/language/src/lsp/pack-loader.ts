/**
 * Loads from disk the packs that documents import by name when the workspace does not contain
 * them, with the command line's search (pack folders beside and above the importing file). So a
 * policy opened on its own, or a workspace that holds only a payer pack, still links against
 * its code catalog and base payers, and go to definition lands in those packs. Node only.
 */
import { URI, type LangiumDocument, type LangiumSharedCoreServices } from 'langium';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PolicyFile } from '../generated/ast.js';
import { findInstalledPackage } from '../node/node-modules.js';
import { declaredDependencies, isInNodeModules, locatePackage, packFilesDeclaring, severalCopiesMessage } from '../node/pack-files.js';
import { isInside, nearestPackageRoot, packSourceFiles, readPack } from '../node/pack-manifest.js';
import { POLICY_LIMITS } from '../parser/policy-limits.js';
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
                const imports = this.importsOf(document, changedKeys.has(document.uri.toString()));
                const wanted: [label: string, files: string[]][] = [
                    ...imports.packs.filter(pack => !declared.has(pack)).map(pack => [pack, this.filesOfPackage(document, pack)] as [string, string[]]),
                    ...imports.paths.map(path => [path, this.filesOfPath(document, path)] as [string, string[]])
                ];
                for (const [label, files] of wanted) {
                    for (const file of files) {
                        const uri = URI.file(file);
                        if (documents.hasDocument(uri)) continue;
                        if (documents.all.count() >= POLICY_LIMITS.files) {
                            // Imports that fan out to thousands of files: the rest is not loaded (the command line refuses the same).
                            this.refuse(document, label, `Importing '${label}' would load more than ${POLICY_LIMITS.files.toLocaleString('en-US')} policy files; the rest are not loaded.`);
                            return loaded;
                        }
                        const added = await documents.getOrCreateDocument(uri);
                        loaded.push(uri);
                        next.push(added);
                        const name = (added.parseResult?.value as PolicyFile | undefined)?.name;
                        if (name) declared.add(name);
                    }
                }
            }
            pending = next;
        }
        return loaded;
    }

    /** `import name`: the package's files where the command line would find them (locatePackage); copies in several folders nearby are refused. */
    protected filesOfPackage(document: LangiumDocument, name: string): string[] {
        const file = document.uri.fsPath;
        const located = locatePackage(name, dirname(file), { installed: isInNodeModules(file), dependencies: declaredDependencies(file) });
        if ('local' in located) return located.local;
        if ('copies' in located) {
            this.refuse(document, name, severalCopiesMessage(name, located.copies));
            return [];
        }
        return located.packs.map(pack => packFilesDeclaring(pack, name)).find(files => files.length > 0) ?? [];
    }

    /** A relative path names a file; any other string an installed npm pack (its sources, and the index learns where it is). */
    protected filesOfPath(document: LangiumDocument, path: string): string[] {
        const dir = dirname(document.uri.fsPath);
        const kind = importPathKind(path);
        if (kind === 'relative') return this.relativeFile(document, path);
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

    /**
     * `import "./x.payrule"`: a file of the importing pack, never outside its folder (the pack's,
     * else the workspace folder's, else the file's own), symbolic links included; as the command line.
     */
    protected relativeFile(document: LangiumDocument, path: string): string[] {
        const file = resolve(dirname(document.uri.fsPath), path);
        const root = this.importRoot(document.uri.fsPath);
        if (!isInside(root, file)) {
            this.refuse(document, path, `Import "${path}" reaches outside the pack's folder (${root}): a policy imports only files of its own pack, and other packs by name.`);
            return [];
        }
        if (!existsSync(file)) return [];
        try {
            if (!isInside(realpathSync(root), realpathSync(file))) {
                this.refuse(document, path, `Import "${path}" is a symbolic link to a file outside the pack's folder (${root}): refused.`);
                return [];
            }
            if (!file.endsWith('.payrule') || !statSync(file).isFile()) {
                this.refuse(document, path, `Import "${path}" is not a .payrule file.`);
                return [];
            }
        } catch {
            return [];
        }
        return [file];
    }

    protected importRoot(file: string): string {
        const pack = nearestPackageRoot(file);
        if (pack) return pack;
        const folders = this.shared.workspace.WorkspaceManager.workspaceFolders ?? [];
        const inside = folders.map(folder => URI.parse(folder.uri)).filter(uri => uri.scheme === 'file').map(uri => uri.fsPath)
            .filter(folder => isInside(folder, file)).sort((a, b) => b.length - a.length);
        return inside[0] ?? dirname(file);
    }

    protected refuse(document: LangiumDocument, label: string, reason: string): void {
        const services = this.shared.ServiceRegistry.getServices(document.uri) as PayruleServices;
        services.workspace.PackageIndex.refuseImport(document.uri, label, reason);
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
            paths: matches.map(match => match[2]).filter((path): path is string => path !== undefined).flatMap(unescape)
        };
    }
}

/** The string as written between quotes, read as the language reads it; nothing for one half typed (`"\\x"`, a line break). */
function unescape(text: string): string[] {
    try {
        return [JSON.parse(`"${text}"`) as string];
    } catch {
        return [];
    }
}

function safeText(document: LangiumDocument): string {
    try {
        return document.textDocument.getText();
    } catch {
        return '';
    }
}
