/**
 * Loads policy sources from disk for the command line: the given files and folders, plus the
 * packs their imports name, then builds and validates them all and compiles them to the IR.
 */
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { existsSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import type { PolicyBundle } from '@payrule/engine';
import { compilePolicy } from '../compiler/compile-policy.js';
import type { PolicyFile } from '../generated/ast.js';
import { createPayruleServices } from '../payrule-module.js';
import { findPackageFiles, policyFilesAt } from './pack-files.js';

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
}

/** A policy path that cannot be read at all: one line for the user, no stack trace. */
export class PolicyPathError extends Error {}

export async function loadPolicySources(paths: string[], options: { cwd?: string } = {}): Promise<LoadedPolicy> {
    const cwd = options.cwd ?? process.cwd();
    const { shared, Payrule } = createPayruleServices(NodeFileSystem);
    const documents = shared.workspace.LangiumDocuments;
    const loaded = new Map<string, LangiumDocument>();
    const load = async (file: string) => {
        if (loaded.has(file)) return;
        loaded.set(file, await documents.getOrCreateDocument(URI.file(file)));
    };
    for (const path of paths) {
        if (!existsSync(path)) throw new PolicyPathError(`Cannot read policy '${path}': no such file or folder.`);
        const files = policyFilesAt(path);
        if (files.length === 0) throw new PolicyPathError(`No .payrule files in '${path}'.`);
        for (const file of files) await load(file);
    }
    await loadImports(loaded, load);

    const docs = [...loaded.values()];
    await shared.workspace.DocumentBuilder.build(docs, { validation: true });
    const fileName = (document: LangiumDocument) => displayPath(document.uri.fsPath, cwd);
    const diagnostics = docs.flatMap(document => (document.diagnostics ?? [])
        .filter(d => d.severity === 1 || d.severity === 2)
        .map(d => ({
            file: fileName(document),
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
            severity: d.severity === 1 ? 'error' as const : 'warning' as const,
            message: d.message
        })));
    const files = docs.map(fileName);
    if (diagnostics.some(d => d.severity === 'error')) return { diagnostics, files };
    return { bundle: compilePolicy(Payrule, docs, { fileName }), diagnostics, files };
}

/** Follows imports by package name to pack folders nearby, until nothing new is found. */
async function loadImports(loaded: Map<string, LangiumDocument>, load: (file: string) => Promise<void>): Promise<void> {
    const declared = () => new Set([...loaded.values()].map(doc => (doc.parseResult.value as PolicyFile).name).filter(Boolean));
    const tried = new Set<string>();
    let grew = true;
    while (grew) {
        grew = false;
        const known = declared();
        for (const [file, doc] of [...loaded]) {
            for (const imp of (doc.parseResult.value as PolicyFile).imports ?? []) {
                if (!imp.pack || known.has(imp.pack) || tried.has(`${imp.pack}@${dirname(file)}`)) continue;
                tried.add(`${imp.pack}@${dirname(file)}`);
                for (const found of findPackageFiles(imp.pack, dirname(file))) {
                    if (!loaded.has(found)) { await load(found); grew = true; }
                }
            }
        }
    }
}

function displayPath(file: string, cwd: string): string {
    const rel = relative(cwd, file);
    return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}
