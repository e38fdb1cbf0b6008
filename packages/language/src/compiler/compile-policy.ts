/**
 * Compiles loaded, valid policy documents to one PolicyBundle: the catalog, and each payer with
 * its inheritance resolved so the engine sees the rules in force and where each was written.
 */
import { POLICY_FORMAT, type PayerPolicy, type PolicyBundle, type SourceLocation } from '@payrule/engine';
import { AstUtils, type AstNode, type LangiumDocument } from 'langium';
import { isCodeDecl, isFeeSchedule, isModifierDecl, isPayer, isTest, type Payer, type PolicyFile } from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import { baseChain, rulesInForce } from '../workspace/payer-inheritance.js';
import { compileRule, type Locate } from './compile-rules.js';
import { compileTest } from './compile-tests.js';

export interface CompileOptions {
    /** How a document's URI is written in source locations (e.g. a path relative to the working directory). */
    fileName: (document: LangiumDocument) => string;
}

export function compilePolicy(services: PayruleServices, documents: LangiumDocument[], options: CompileOptions): PolicyBundle {
    const locate: Locate = node => locationOf(node, options);
    const bundle: PolicyBundle = { format: POLICY_FORMAT, packages: [], codes: {}, modifiers: {}, payers: [] };
    const docs = services.documentation.DocumentationProvider;
    for (const document of documents) {
        const root = document.parseResult.value as PolicyFile;
        for (const element of root.elements) {
            if (isCodeDecl(element)) {
                setEntry(bundle.codes, String(element.name), {
                    timed: element.kind === 'timed',
                    disciplines: element.disciplines as ('PT' | 'OT' | 'SLP')[],
                    summary: element.summary
                });
            } else if (isModifierDecl(element)) {
                setEntry(bundle.modifiers, String(element.name), element.meaning);
            } else if (isPayer(element)) {
                bundle.payers.push(compilePayer(element, root, locate, docs.getDocumentation(element)));
            } else if (isTest(element)) {
                (bundle.tests ??= []).push(compileTest(element, root, locate));
            }
        }
        addPackage(bundle, root);
    }
    return bundle;
}

function compilePayer(payer: Payer, root: PolicyFile, locate: Locate, doc: string | undefined): PayerPolicy {
    return {
        name: payer.name,
        id: payer.payerId,
        ...(root.name ? { package: root.name } : {}),
        ...(doc ? { doc: doc.trim() } : {}),
        effective: {
            ...(payer.effective?.from ? { from: payer.effective.from } : {}),
            ...(payer.effective?.through ? { through: payer.effective.through } : {})
        },
        ...(payer.base ? { extends: payer.base.$refText } : {}),
        fees: feesInForce(payer),
        rules: rulesInForce(payer).map(({ rule, declaredIn }) => compileRule(rule, locate, declaredIn === payer ? undefined : declaredIn.name)),
        location: locate(payer)
    };
}

/** Fees of the base payers, with this payer's own fees taking precedence. */
function feesInForce(payer: Payer): Record<string, number> {
    const fees: Record<string, number> = {};
    for (const p of [...baseChain(payer).reverse(), payer] as Payer[]) {
        for (const schedule of p.members.filter(isFeeSchedule)) {
            for (const fee of schedule.fees) setEntry(fees, fee.code.$refText, fee.amount);
        }
    }
    return fees;
}

function addPackage(bundle: PolicyBundle, root: PolicyFile): void {
    const name = root.name ?? '(no package)';
    let info = bundle.packages.find(p => p.name === name);
    if (!info) {
        info = { name, ...(root.version ? { version: root.version } : {}), payers: [] };
        bundle.packages.push(info);
    } else if (info.version === undefined && root.version) {
        // The version is written in one file of the package (tests files often leave it out).
        info.version = root.version;
    }
    for (const payer of root.elements.filter(isPayer)) {
        if (!info.payers.includes(payer.payerId)) info.payers.push(payer.payerId);
    }
}

/**
 * Records keyed by names from the policy (codes, modifiers) are plain objects of the IR: a name
 * such as `__proto__` (a valid identifier) must become an entry, not the object's prototype.
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function locationOf(node: AstNode, options: CompileOptions): SourceLocation {
    const start = node.$cstNode?.range.start;
    return { file: options.fileName(AstUtils.getDocument(node)), line: (start?.line ?? 0) + 1, column: (start?.character ?? 0) + 1 };
}
