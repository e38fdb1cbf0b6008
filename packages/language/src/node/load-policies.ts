/**
 * Loads policy sources from disk for the command line: the given files and folders, plus what
 * their imports name (packages in pack folders nearby or installed in node_modules, files by
 * relative path, installed packs by npm name), then builds and validates them all and compiles
 * them to the IR.
 *
 * A pack is data: its files are read, never run. Before any file of a pack is read the pack is
 * admitted: its language must be one this toolchain reads, its manifest usable, and the caller's
 * check (integrity, signature) must pass. Imports never reach outside the importing pack's folder
 * except by name, through node_modules.
 */
import { DocumentValidator, URI, type LangiumDocument } from 'langium';
import { dirname, relative, resolve, sep } from 'node:path';
import type { PolicyBundle } from '@payrule/engine';
import { compilePolicy } from '../compiler/compile-policy.js';
import type { Import, PolicyFile } from '../generated/ast.js';
import { describeSize, fileTooLarge, POLICY_LIMITS } from '../parser/policy-limits.js';
import { createPayruleServices } from '../payrule-module.js';
import { VALIDATION_WITHOUT_TESTS } from '../validation/payrule-validator.js';
import { importPathKind, type PackageIndex } from '../workspace/package-index.js';
import { isTestFile } from '../workspace/test-files.js';
import { pathExists, readText, realPath, statPath } from './file-reads.js';
import { PolicyFileSystem } from './file-system-provider.js';
import { findInstalledPackage, NPM_NAME } from './node-modules.js';
import { declaredDependencies, declaredPackage, isInNodeModules, locatePackage, packFilesDeclaring, policyFilesAt, PolicyPathError, severalCopiesMessage } from './pack-files.js';
import {
    describePack, isInside, languageProblem, nearestPackageRoot, PackManifestError, packSourceFiles, readPack,
    type FoundPack
} from './pack-manifest.js';

export interface PolicyDiagnostic {
    file: string;
    line: number;
    column: number;
    severity: 'error' | 'warning';
    message: string;
}

export interface LoadedPolicy {
    /** Present when no error was found. */
    bundle?: PolicyBundle;
    diagnostics: PolicyDiagnostic[];
    files: string[];
    /** Every loaded file (absolute path) with the package it declares and the pack it belongs to. */
    sources: LoadedSource[];
    /** The packs whose files were loaded, each admitted once. */
    packs: FoundPack[];
}

export interface LoadedSource {
    path: string;
    packageName?: string;
    pack?: FoundPack;
    /** The version its `package` line gives, if any. */
    packageVersion?: string;
    /** What the file imports from other packs: Payrule package names (`import cms.medicare`) and npm names (`import "@x/codes"`). */
    imports: string[];
}

export interface LoadPolicyOptions {
    /** Diagnostics and source locations name files relative to this folder. */
    cwd?: string;
    /**
     * Checks a pack before any of its files is read (integrity digests, signature). `sources` are
     * its source files, absolute. Returns why the pack is refused, or undefined.
     */
    checkPack?: (pack: FoundPack, sources: string[]) => string | undefined;
    /** node_modules folders searched after the importer's own (a pack unpacked from a tarball resolves in the project). */
    moduleDirs?: string[];
    /** Folders whose files are installed packs rather than the user's workspace (unpacked tarballs). */
    installedRoots?: string[];
    /** How a file is named in diagnostics and source locations (default: relative to cwd). */
    fileName?: (file: string) => string;
    /** How a file is named in the compiled policy's source locations, when not as in diagnostics (a pack names its own files). */
    locationName?: (file: string) => string;
    /**
     * Whether the policy tests come along (default true): their files (`*.tests.payrule`) are read
     * and their tests compiled. A run that only checks sessions needs neither, and starts several
     * times faster without them. Loading never runs them: that is `payrule test`'s to do and to
     * report (a failing test fails the test run; it does not make the policy invalid).
     */
    tests?: boolean;
}

export async function loadPolicySources(paths: string[], options: LoadPolicyOptions = {}): Promise<LoadedPolicy> {
    const cwd = options.cwd ?? process.cwd();
    const { shared, Payrule } = createPayruleServices(PolicyFileSystem);
    const loader = new SourceLoader(shared.workspace.LangiumDocuments, Payrule.workspace.PackageIndex, options, cwd);
    for (const path of paths) await loader.loadRoot(path);
    await loader.loadImports();

    const docs = [...loader.loaded.values()];
    // Every check but the policy tests' runs (the editor's diagnostics for failing expectations). A
    // file with a syntax error gets only its syntax errors: checks of what the parser made of the
    // rest (an amount it could not read taken as none, a name cut short) would only mislead.
    await shared.workspace.DocumentBuilder.build(docs, {
        validation: { categories: [...VALIDATION_WITHOUT_TESTS], stopAfterLexingErrors: true, stopAfterParsingErrors: true }
    });
    const nameOf = options.fileName ?? ((file: string) => displayPath(file, cwd));
    const fileName = (document: LangiumDocument) => nameOf(document.uri.fsPath);
    const unread: PolicyDiagnostic[] = loader.unread.map(({ file, message }) => ({ file: nameOf(file), line: 1, column: 1, severity: 'error', message }));
    const secondCopies: PolicyDiagnostic[] = loader.secondCopies.map(({ file, imp, message }) => ({
        file: nameOf(file), line: (imp.$cstNode?.range.start.line ?? 0) + 1, column: (imp.$cstNode?.range.start.character ?? 0) + 1, severity: 'warning', message
    }));
    // Warnings about an installed pack are its author's to act on, not the user's: only its errors are shown.
    const found = docs.flatMap(document => firstSyntaxError(document.diagnostics ?? [])
        .filter(d => d.severity === 1 || (d.severity === 2 && !loader.isInstalled(document.uri.fsPath)))
        .map(d => ({ document, d })));
    // An import that cannot be found comes first: the unknown codes and modifiers after it are its consequences.
    const importsFirst = [...found.filter(({ d }) => isImportProblem(d)), ...found.filter(({ d }) => !isImportProblem(d))];
    const diagnostics = unread.concat(secondCopies, importsFirst.map(({ document, d }) => ({
        file: fileName(document),
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: d.severity === 1 ? 'error' as const : 'warning' as const,
        message: d.message
    })));
    const files = docs.map(fileName);
    const sources = [...loader.loaded.entries()].map(([path, doc]) => {
        const file = doc.parseResult.value as PolicyFile;
        const pack = loader.packOfFile(path);
        const imports = (file.imports ?? []).map(imp => imp.pack ?? (imp.path !== undefined && importPathKind(imp.path) === 'npm' ? imp.path : undefined))
            .filter((name): name is string => name !== undefined);
        return {
            path, ...(file.name ? { packageName: file.name } : {}), ...(file.version !== undefined ? { packageVersion: file.version } : {}), ...(pack ? { pack } : {}), imports
        };
    });
    const result = { diagnostics, files, sources, packs: loader.admittedPacks() };
    if (diagnostics.some(d => d.severity === 'error')) return result;
    const locationName = options.locationName;
    const sourceName = locationName ? (document: LangiumDocument) => locationName(document.uri.fsPath) : fileName;
    return { ...result, bundle: compilePolicy(Payrule, docs, { fileName: sourceName }) };
}

/**
 * A file's diagnostics with only the first of its syntax errors, saying the rest of the file waits
 * for it (its checks stop at a syntax error): the parser's recovery after one mistake often
 * reports words further on that are fine ("Expected text in double quotes but found '}'"). The
 * editor shows them all, where they are seen in place.
 */
type Diagnostic = NonNullable<LangiumDocument['diagnostics']>[number];

function firstSyntaxError(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    const syntax = diagnostics.filter(d => d.data?.code === DocumentValidator.ParsingError);
    if (syntax.length === 0) return [...diagnostics];
    const first = syntax[0]!;
    const later = new Set(syntax.slice(1));
    return diagnostics.filter(d => !later.has(d)).map(d => (d === first
        ? { ...d, message: `${d.message} (The rest of the file is checked once this is fixed.)` }
        : d));
}

function isImportProblem(diagnostic: Diagnostic): boolean {
    const code = (diagnostic.data as { code?: unknown } | undefined)?.code ?? diagnostic.code;
    return code === 'unresolved-import' || code === 'refused-import';
}

type Resolution = { files: string[] } | { refusal: string };

class SourceLoader {
    readonly loaded = new Map<string, LangiumDocument>();
    /** Imports that would find another copy of a package than the one the run uses (noteSecondCopy). */
    readonly secondCopies: { file: string; imp: Import; message: string }[] = [];
    /** Files named on the command line (or in a folder named there): the user's choice of copy. */
    protected readonly rootFiles = new Set<string>();
    /** Files too large to be read at all, and why. */
    readonly unread: { file: string; message: string }[] = [];
    /** Bytes of the files read so far (POLICY_LIMITS.totalChars). */
    protected totalBytes = 0;
    /** Pack root -> the pack, its sources, or why it is refused. */
    protected readonly packs = new Map<string, { pack: FoundPack; sources: string[] } | { refusal: string }>();
    /** Folder -> nearest package.json folder. */
    protected readonly packageRoots = new Map<string, string | undefined>();
    protected readonly moduleCache = new Map<string, FoundPack[]>();
    /** Folders named with --policy: the root of loose files that have no package.json above them. */
    protected readonly policyRoots: string[] = [];
    protected readonly moduleDirs: string[];
    protected readonly installedRoots: string[];

    constructor(
        protected readonly documents: { getOrCreateDocument(uri: URI): Promise<LangiumDocument> },
        protected readonly index: PackageIndex,
        protected readonly options: LoadPolicyOptions,
        protected readonly cwd: string
    ) {
        this.moduleDirs = (options.moduleDirs ?? []).map(dir => resolve(dir));
        this.installedRoots = (options.installedRoots ?? []).map(dir => resolve(dir));
    }

    /** A path from the command line: a file, a folder of packs, or a pack folder (its sources only). */
    async loadRoot(path: string): Promise<void> {
        if (!pathExists(path)) throw new PolicyPathError(`Cannot read policy '${path}': no such file or folder.`);
        const absolute = resolve(path);
        this.policyRoots.push(statPath(absolute).isDirectory ? absolute : dirname(absolute));
        const files = policyFilesAt(path).filter(file => {
            const admitted = this.admitFile(file);
            if ('refusal' in admitted) throw new PolicyPathError(admitted.refusal);
            // A pack's files are the ones its manifest names as sources.
            return !admitted.pack || admitted.sources.includes(file);
        });
        if (files.length === 0) throw new PolicyPathError(`No .payrule files in '${path}'.`);
        // A test file named on the command line is read like any other; one found in a folder is a test file.
        const named = !statPath(absolute).isDirectory;
        for (const file of files) {
            this.rootFiles.add(file);
            const refusal = await this.load(file, named);
            if (refusal) throw new PolicyPathError(`Cannot load '${this.display(path)}': ${refusal}`);
        }
    }

    /** Follows imports until nothing new is found. */
    async loadImports(): Promise<void> {
        const handled = new Set<string>();
        let grew = true;
        while (grew) {
            grew = false;
            const declared = new Set([...this.loaded.values()].map(doc => (doc.parseResult.value as PolicyFile).name).filter(Boolean));
            for (const [file, doc] of [...this.loaded]) {
                for (const imp of (doc.parseResult.value as PolicyFile).imports ?? []) {
                    const label = imp.pack ?? imp.path;
                    if (label === undefined || handled.has(`${file}\u0000${label}`)) continue;
                    if (imp.pack && declared.has(imp.pack)) {
                        handled.add(`${file}\u0000${label}`);
                        this.noteSecondCopy(imp, imp.pack, file);
                        continue;
                    }
                    handled.add(`${file}\u0000${label}`);
                    const resolution = this.resolve(imp, file);
                    if ('refusal' in resolution) {
                        this.index.refuseImport(URI.file(file), label, resolution.refusal);
                        continue;
                    }
                    for (const found of resolution.files) {
                        if (this.loaded.has(found)) continue;
                        // A file imported by its path is wanted, whatever its name; a package's test files are not.
                        const refusal = await this.load(found, imp.path !== undefined);
                        if (refusal) {
                            this.index.refuseImport(URI.file(file), label, `Cannot import ${imp.pack ?? `"${imp.path}"`}: ${refusal}`);
                            break;
                        }
                        // Declared from now on, within this round too: a second import of the package meets this copy, not another one.
                        const name = (this.loaded.get(found)?.parseResult.value as PolicyFile | undefined)?.name;
                        if (name) declared.add(name);
                        grew = true;
                    }
                }
            }
        }
    }

    /**
     * A run holds one copy of each package: the first loaded. An import that would find another
     * copy, with other contents (another version installed for one pack, an edited copy in a
     * folder nearby), is checked against the first all the same, and says so: otherwise the order
     * of the imports would silently pick the edition. A copy named on the command line is the
     * user's choice, and is used without a word.
     */
    protected noteSecondCopy(imp: Import, name: string, importer: string): void {
        const inUse = [...this.loaded].filter(([file, doc]) => !isTestFile(file) && (doc.parseResult.value as PolicyFile).name === name).map(([file]) => file);
        if (inUse.some(file => this.rootFiles.has(file))) return;
        const found = this.wouldFind(name, importer).filter(file => !isTestFile(file));
        if (found.length === 0 || found.every(file => inUse.includes(file)) || sameTexts(found, inUse)) return;
        this.secondCopies.push({
            file: importer, imp,
            message: `Package ${name} is also in ${this.describeFiles(found)}, which this import would find, but the run already uses ${this.describeFiles(inUse)}: `
                + `a run holds one copy of each package, so this file is checked against that one. Keep one copy (for installed packs, one version: npm dedupe).`
        });
    }

    /** Where `import name` from `importer` would find the package (locatePackage), looking only (no pack is admitted). */
    protected wouldFind(name: string, importer: string): string[] {
        const located = this.locatePackage(name, importer);
        if ('local' in located) return located.local;
        if ('refusal' in located || located.packs.length !== 1) return [];
        return packFilesDeclaring(located.packs[0]!, name);
    }

    /** Where `import name` from `importer` leads (locatePackage), with a refusal for copies in several folders nearby. */
    protected locatePackage(name: string, importer: string): { local: string[] } | { packs: FoundPack[] } | { refusal: string } {
        const located = locatePackage(name, dirname(importer), {
            installed: this.isInstalled(importer),
            dependencies: declaredDependencies(importer),
            moduleDirs: this.moduleDirs, cache: this.moduleCache
        });
        if (!('copies' in located)) return located;
        return { refusal: severalCopiesMessage(name, located.copies.map(folder => this.display(folder)), ', or name the one you mean with --policy') };
    }

    /** A package's files as a message names them: by their pack (npm name and version) when they are in one, else by folder. */
    protected describeFiles(files: string[]): string {
        const root = this.packageRootOf(files[0]!);
        const pack = root ? safeReadPack(root) : undefined;
        return pack?.name ? `${pack.name}${pack.version ? ` ${pack.version}` : ''} (${this.display(pack.root)})` : this.display(dirname(files[0]!));
    }

    packOfFile(file: string): FoundPack | undefined {
        const root = this.packageRootOf(file);
        const entry = root ? this.packs.get(root) : undefined;
        return entry && 'pack' in entry ? entry.pack : undefined;
    }

    admittedPacks(): FoundPack[] {
        return [...this.packs.values()].flatMap(entry => 'pack' in entry ? [entry.pack] : []);
    }

    /**
     * Reads and parses one file, unless a limit forbids it: then says why (too many files, too many
     * bytes in all). A file far over the size limit is not read at all (it is listed in `unread`).
     * Without tests, a test file (`*.tests.payrule`) is left unread unless `named` by its path.
     */
    protected async load(file: string, named = false): Promise<string | undefined> {
        if (this.loaded.has(file) || (this.options.tests === false && !named && isTestFile(file))) return undefined;
        if (this.loaded.size >= POLICY_LIMITS.files) {
            return `a run loads at most ${POLICY_LIMITS.files.toLocaleString('en-US')} policy files, and this one would be file ${(this.loaded.size + 1).toLocaleString('en-US')}.`;
        }
        const bytes = statPath(file).size;
        // UTF-8 takes at most 4 bytes a character: a file this large is over the limit whatever it holds.
        if (bytes > 4 * POLICY_LIMITS.fileChars) {
            this.unread.push({ file, message: fileTooLarge(bytes) });
            return undefined;
        }
        if (this.totalBytes + bytes > POLICY_LIMITS.totalChars) {
            return `the policy files of a run may hold at most ${describeSize(POLICY_LIMITS.totalChars)} together, and this one would bring them past it.`;
        }
        this.totalBytes += bytes;
        this.loaded.set(file, await this.documents.getOrCreateDocument(URI.file(file)));
        return undefined;
    }

    protected resolve(imp: Import, importer: string): Resolution {
        if (imp.pack) return this.resolvePackage(imp.pack, importer);
        const path = imp.path!;
        switch (importPathKind(path)) {
            case 'relative': return this.resolveRelative(path, importer);
            case 'npm': return this.resolveNpm(path, importer);
            // Refused by the package index itself, for editors too.
            default: return { files: [] };
        }
    }

    /** `import cms.medicare`: where locatePackage leads (a declared installed dependency, pack folders nearby, then node_modules). */
    protected resolvePackage(name: string, importer: string): Resolution {
        const located = this.locatePackage(name, importer);
        if ('refusal' in located) return located;
        if ('local' in located) return this.admitFiles(located.local, `import ${name}`);
        const { packs } = located;
        if (packs.length === 0) return { files: [] };
        if (packs.length > 1) {
            return { refusal: `Package '${name}' is provided by several installed packs: ${packs.map(pack => describePack(pack, this.display(pack.root))).join(', ')}. Keep one of them.` };
        }
        const admitted = this.admitPack(packs[0]!);
        if ('refusal' in admitted) return admitted;
        const files = admitted.sources.filter(file => declaredPackage(file) === name);
        if (files.length === 0) {
            return { refusal: `${describePack(admitted.pack, this.display(admitted.pack.root))} says it provides '${name}', but none of its sources declares package ${name}.` };
        }
        return { files };
    }

    /** `import "./codes.payrule"`: a file of the importing pack, never outside its folder. */
    protected resolveRelative(path: string, importer: string): Resolution {
        const target = resolve(dirname(importer), path);
        const root = this.importRoot(importer);
        const where = `the pack's folder (${this.display(root)})`;
        if (!isInside(root, target)) {
            return { refusal: `Import "${path}" reaches outside ${where}: a policy imports only files of its own pack, and other packs by name.` };
        }
        if (!pathExists(target)) return { files: [] };
        if (!isInside(realPath(root), realPath(target))) {
            return { refusal: `Import "${path}" is a symbolic link to a file outside ${where}: refused.` };
        }
        if (!target.endsWith('.payrule') || !statPath(target).isFile) {
            return { refusal: `Import "${path}" is not a .payrule file.` };
        }
        const pack = this.packOfFile(importer);
        const sources = pack ? this.packs.get(pack.root) : undefined;
        if (sources && 'sources' in sources && this.packageRootOf(target) === pack!.root && !sources.sources.includes(target)) {
            return { refusal: `Import "${path}" is not one of the sources listed in ${describePack(pack!, this.display(pack!.root))}'s package.json.` };
        }
        return this.admitFiles([target], `import "${path}"`);
    }

    /** `import "@scope/pack"`: an installed npm pack, found in node_modules from the importer upwards. */
    protected resolveNpm(name: string, importer: string): Resolution {
        if (!NPM_NAME.test(name)) return { files: [] };
        const root = findInstalledPackage(name, dirname(importer), this.moduleDirs);
        if (!root) return { files: [] };
        let pack: FoundPack | undefined;
        try {
            pack = readPack(root);
        } catch (error) {
            return { refusal: (error as Error).message };
        }
        if (!pack) return { refusal: `"${name}" is installed (${this.display(root)}) but is not a Payrule pack: its package.json has no payrule field.` };
        const admitted = this.admitPack(pack);
        if ('refusal' in admitted) return admitted;
        this.index.registerNpmImport(URI.file(importer), name, URI.file(pack.root));
        return { files: admitted.sources };
    }

    protected admitFiles(files: string[], what: string): Resolution {
        for (const file of files) {
            const admitted = this.admitFile(file);
            if ('refusal' in admitted) return { refusal: `Cannot ${what}: ${admitted.refusal}` };
        }
        return { files };
    }

    /** Admits the pack a file belongs to (if any): what a caller may load from it. */
    protected admitFile(file: string): { pack?: undefined } | { pack: FoundPack; sources: string[] } | { refusal: string } {
        const root = this.packageRootOf(file);
        if (!root) return {};
        const cached = this.packs.get(root);
        if (cached) return cached;
        let pack: FoundPack | undefined;
        try {
            pack = readPack(root);
        } catch (error) {
            const refusal = { refusal: (error as Error).message };
            this.packs.set(root, refusal);
            return refusal;
        }
        return pack ? this.admitPack(pack) : {};
    }

    protected admitPack(pack: FoundPack): { pack: FoundPack; sources: string[] } | { refusal: string } {
        const cached = this.packs.get(pack.root);
        if (cached) return cached;
        const entry = this.checkPack(pack);
        this.packs.set(pack.root, entry);
        return entry;
    }

    protected checkPack(pack: FoundPack): { pack: FoundPack; sources: string[] } | { refusal: string } {
        const display = this.display(pack.root);
        const language = languageProblem(pack, display);
        if (language) return { refusal: language };
        let sources: string[];
        try {
            sources = packSourceFiles(pack);
        } catch (error) {
            if (error instanceof PackManifestError) return { refusal: error.message };
            throw error;
        }
        const refusal = this.options.checkPack?.(pack, sources);
        return refusal ? { refusal } : { pack, sources };
    }

    /** The folder a file's relative imports must stay in: its pack or project, else the --policy folder holding it. */
    protected importRoot(file: string): string {
        const root = this.packageRootOf(file);
        if (root) return root;
        const candidates = this.policyRoots.filter(dir => isInside(dir, file)).sort((a, b) => b.length - a.length);
        return candidates[0] ?? dirname(file);
    }

    isInstalled(file: string): boolean {
        return isInNodeModules(file) || this.installedRoots.some(root => isInside(root, file));
    }

    protected packageRootOf(file: string): string | undefined {
        const dir = dirname(resolve(file));
        if (!this.packageRoots.has(dir)) this.packageRoots.set(dir, nearestPackageRoot(file));
        return this.packageRoots.get(dir);
    }

    protected display(path: string): string {
        return this.options.fileName ? this.options.fileName(path) : displayPath(path, this.cwd);
    }
}

/** Whether two sets of files hold the same texts (two copies of one edition of a package). */
function sameTexts(a: string[], b: string[]): boolean {
    const texts = (files: string[]) => files.map(readText).sort();
    const [left, right] = [texts(a), texts(b)];
    return left.length === right.length && left.every((text, index) => text === right[index]);
}

function safeReadPack(root: string): FoundPack | undefined {
    try {
        return readPack(root);
    } catch {
        return undefined;
    }
}

function displayPath(file: string, cwd: string): string {
    const rel = relative(cwd, file);
    if (rel === '') return '.';
    return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}
