/**
 * Test support: builds in-memory workspaces of policy files and reads the expectations written
 * inline in test resources (`// @error "text"` marks the next code line).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { createPayruleServices } from '../src/payrule-module.js';
import { compilePolicy } from '../src/compiler/compile-policy.js';

export const EXAMPLES = join(import.meta.dirname, '../../../examples/packs');
export const CATALOG = join(EXAMPLES, 'cpt-therapy/therapy-codes.payrule');

export interface Workspace {
    documents: LangiumDocument[];
    diagnosticsOf(name: string): Diagnostic[];
    compile(): ReturnType<typeof compilePolicy>;
}

/** Builds the named files (name -> text) together, validating all of them. */
export async function buildWorkspace(files: Record<string, string>): Promise<Workspace> {
    const { shared, Payrule } = createPayruleServices(EmptyFileSystem);
    const factory = shared.workspace.LangiumDocumentFactory;
    const documents = Object.entries(files).map(([name, text]) => {
        const document = factory.fromString(text, URI.parse(`memory:///${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    return {
        documents,
        diagnosticsOf: name => documents.find(d => d.uri.path === `/${name}`)?.diagnostics ?? [],
        compile: () => compilePolicy(Payrule, documents, { fileName: d => d.uri.path.slice(1) })
    };
}

/** The catalog pack plus the given files. */
export function withCatalog(files: Record<string, string>): Promise<Workspace> {
    return buildWorkspace({ 'cpt-therapy.payrule': readFileSync(CATALOG, 'utf8'), ...files });
}

export interface ExpectedDiagnostic {
    severity: 'error' | 'warning';
    text: string;
    /** 0-based line the marker points at. */
    line: number;
}

const MARKER = /^\s*\/\/\s*@(error|warning)\s+"((?:[^"\\]|\\.)*)"\s*$/;

/** Reads `// @error "text"` markers; each applies to the next line that is not itself a marker. */
export function expectedDiagnostics(text: string): ExpectedDiagnostic[] {
    const lines = text.split(/\r?\n/);
    const expected: ExpectedDiagnostic[] = [];
    let pending: Omit<ExpectedDiagnostic, 'line'>[] = [];
    lines.forEach((line, index) => {
        const marker = MARKER.exec(line);
        if (marker) {
            pending.push({ severity: marker[1] as 'error' | 'warning', text: marker[2].replace(/\\(.)/g, '$1') });
        } else if (pending.length > 0 && line.trim() !== '') {
            expected.push(...pending.map(p => ({ ...p, line: index })));
            pending = [];
        }
    });
    return expected;
}

/** Test cases under a resource folder: each `.payrule` file, or each sub-folder as one workspace. */
export function resourceCases(folder: string): { name: string; files: Record<string, string> }[] {
    return readdirSync(folder).sort().map(entry => {
        const full = join(folder, entry);
        const paths = statSync(full).isDirectory() ? readdirSync(full).sort().map(f => join(full, f)) : [full];
        const files = Object.fromEntries(paths.map(p => [relative(folder, p), readFileSync(p, 'utf8')]));
        return { name: entry, files };
    });
}

export function describeDiagnostic(d: Diagnostic): string {
    const severity = d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info';
    return `${d.range.start.line + 1}:${d.range.start.character + 1} ${severity} ${d.message}`;
}
