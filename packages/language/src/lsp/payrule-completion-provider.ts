/**
 * Completion that knows the domain. On top of Langium's keywords and cross-references:
 * - codes come with their summary and timed/untimed kind, modifiers with their meaning, code
 *   sets with their size, payers with their id, rules with their kind and message, Payrule's own
 *   checks (`unknown-modifier`) after `expect finding`;
 * - names Langium cannot propose because they are not cross-references: codes and modifiers in
 *   test lines, note element names and extra column names already used in the workspace,
 *   condition fields (after `extra.`, only those column names: the export's own), package names
 *   after `import`, inherited rule ids after `override <kind>`, payer ids in test sessions;
 * - what is already written is not proposed again: a package the file imports after `import`, an
 *   id the payer drops or overrides after `without` and `override <kind>`;
 * - keywords that are only allowed because a name may be spelled like one (`limit test ...`)
 *   are not proposed where a name goes.
 */
import {
    AstUtils, GrammarAST, URI, WorkspaceCache, type AstNode, type AstNodeDescription, type MaybePromise, type ReferenceInfo, type Stream
} from 'langium';
import {
    DefaultCompletionProvider, type CompletionAcceptor, type CompletionContext, type CompletionProviderOptions, type CompletionValueItem,
    type NextFeature
} from 'langium/lsp';
import { FIELDS } from '@payrule/engine';
import { CompletionItemKind, type MarkupContent } from 'vscode-languageserver';
import {
    isCodeDecl, isCodeSet, isConsistencyRule, isDocumentationRule, isDrop, isEngineRule, isFieldRef, isModifierDecl, isPayer, isPolicyRule, isTestExtra,
    isTestNote, isVagueClause, type Payer, type PolicyFile
} from '../generated/ast.js';
import type { PayruleServices } from '../payrule-module.js';
import {
    KEYWORD_HELP, codeDetail, codeMarkdown, codeSetMarkdown, engineRuleMarkdown, modifierMarkdown, payerMarkdown, ruleKeyword, ruleMarkdown
} from './domain-text.js';
import { inheritedRules } from '../workspace/payer-inheritance.js';
import { visibleDeclarations } from '../workspace/visible-declarations.js';

/** Grammar rules whose keywords stand for names (rule ids, package words, field names), not syntax. */
const NAME_RULES = new Set(['Word', 'FieldName']);
const RULE_KEYWORDS = 'units|limit|rule|threshold|pair|documentation|consistency|filing|authorization';

export class PayruleCompletionProvider extends DefaultCompletionProvider {
    protected readonly services: PayruleServices;
    protected readonly elementNames: WorkspaceCache<'elements', Map<string, number>>;
    protected readonly extraNames: WorkspaceCache<'extras', Map<string, number>>;

    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.'] };

    constructor(services: PayruleServices) {
        super(services);
        this.services = services;
        this.elementNames = new WorkspaceCache(services.shared);
        this.extraNames = new WorkspaceCache(services.shared);
    }

    protected override completionFor(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): MaybePromise<void> {
        const feature = next.feature;
        if (GrammarAST.isKeyword(feature)) {
            const rule = AstUtils.getContainerOfType(feature, GrammarAST.isParserRule);
            if (rule && NAME_RULES.has(rule.name)) return;
            return this.completionForKeyword(context, feature, acceptor);
        }
        if (GrammarAST.isCrossReference(feature)) return super.completionFor(context, next, acceptor);
        this.completionForName(context, next, acceptor);
    }

    protected override completionForKeyword(context: CompletionContext, keyword: GrammarAST.Keyword, acceptor: CompletionAcceptor): MaybePromise<void> {
        if (!this.filterKeyword(context, keyword)) return;
        const help = KEYWORD_HELP[keyword.value];
        acceptor(context, {
            label: keyword.value,
            kind: CompletionItemKind.Keyword,
            detail: 'Keyword',
            ...(help ? { documentation: markdown(help) } : {}),
            sortText: '1'
        });
    }

    /** Positions where the grammar expects a plain name or value: decided by the rule and the words before the cursor. */
    protected completionForName(context: CompletionContext, next: NextFeature, acceptor: CompletionAcceptor): void {
        const rule = AstUtils.getContainerOfType(next.feature, GrammarAST.isParserRule)?.name;
        const before = context.textDocument.getText().slice(Math.max(0, context.tokenOffset - 300), context.tokenOffset);
        switch (rule) {
            case 'ElementName':
                this.completeElements(context, acceptor, '');
                return;
            case 'CodeName':
                if (/\b(line|units)\s+$/.test(before)) this.completeCodes(context, acceptor);
                return;
            case 'ModifierName':
                if (/\bmodifiers\s+(?:\w+\s*,\s*)*$/.test(before)) this.completeModifiers(context, acceptor);
                return;
            case 'Word': {
                if (/\bimport\s+$/.test(before)) this.completePackages(context, acceptor);
                const override = new RegExp(`\\boverride\\s+(${RULE_KEYWORDS})\\s+$`).exec(before);
                if (override) this.completeOverrides(context, acceptor, override[1]!);
                return;
            }
            case 'FieldName':
                this.completeFields(context, acceptor);
                return;
        }
        const terminal = GrammarAST.isRuleCall(next.feature) ? next.feature.rule.ref?.name : undefined;
        if (terminal === 'STRING' && /\bsession\b[^{}]*\bpayer\s+$/.test(before)) this.completePayerIds(context, acceptor);
    }

    protected completeCodes(context: CompletionContext, acceptor: CompletionAcceptor): void {
        for (const code of visibleDeclarations(this.services, context.document).codes) {
            acceptor(context, {
                label: String(code.name), kind: CompletionItemKind.Constant, detail: codeDetail(code),
                labelDetails: { description: code.summary }, documentation: markdown(codeMarkdown(code)), sortText: `0${code.name}`
            });
        }
    }

    protected completeModifiers(context: CompletionContext, acceptor: CompletionAcceptor): void {
        for (const modifier of visibleDeclarations(this.services, context.document).modifiers) {
            acceptor(context, {
                label: String(modifier.name), kind: CompletionItemKind.EnumMember, detail: modifier.meaning,
                documentation: markdown(modifierMarkdown(modifier)), sortText: `0${modifier.name}`
            });
        }
    }

    protected completePackages(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const own = (context.document.parseResult.value as PolicyFile).name;
        const imported = packagesImportedOnOtherLines(context);
        const packages = this.services.workspace.PackageIndex;
        for (const name of packages.packageNames()) {
            if (name === own || imported.has(name)) continue;
            const files = packages.documentsOfPackage(name);
            const root = this.services.shared.workspace.LangiumDocuments.getDocument(URI.parse(files[0]!))?.parseResult.value as PolicyFile | undefined;
            acceptor(context, {
                label: name, kind: CompletionItemKind.Module,
                detail: `package${root?.version ? ` ${root.version}` : ''} · ${files.length} ${files.length === 1 ? 'file' : 'files'}`,
                sortText: `0${name}`
            });
        }
    }

    /** After `override <kind>`: the ids of inherited rules of that kind. */
    protected completeOverrides(context: CompletionContext, acceptor: CompletionAcceptor, kind: string): void {
        const payer = this.payerAt(context);
        if (!payer) return;
        const written = ruleIdsWritten(payer, context);
        for (const { rule, declaredIn } of inheritedRules(payer)) {
            if (ruleKeyword(rule) !== kind || written.has(rule.name)) continue;
            acceptor(context, {
                label: rule.name, kind: CompletionItemKind.Method, detail: `${kind} · ${rule.severity} · from ${declaredIn.name}`,
                documentation: markdown(ruleMarkdown(rule)), sortText: `0${rule.name}`
            });
        }
    }

    protected completePayerIds(context: CompletionContext, acceptor: CompletionAcceptor): void {
        const seen = new Set<string>();
        for (const payer of visibleDeclarations(this.services, context.document).payers) {
            if (seen.has(payer.payerId)) continue;
            seen.add(payer.payerId);
            acceptor(context, {
                label: JSON.stringify(payer.payerId), kind: CompletionItemKind.Value, detail: `payer ${payer.name}`,
                documentation: markdown(payerMarkdown(payer)), sortText: `0${payer.payerId}`
            });
        }
    }

    /**
     * Condition fields, with `note.<element>` for every element the workspace already uses. After
     * `extra.` only the export's own column names fit: those the workspace already uses.
     */
    protected completeFields(context: CompletionContext, acceptor: CompletionAcceptor): void {
        // The words before the cursor, not before the token: a context may start at `extra` or after its dot.
        const typed = /\bextra\s*\.\s*([\w-]*)$/.exec(context.textDocument.getText().slice(Math.max(0, context.offset - 300), context.offset));
        if (typed) {
            this.completeExtras(context, acceptor, typed[1]!);
            return;
        }
        for (const field of FIELDS) {
            if (field.name.endsWith('.*')) continue;
            acceptor(context, {
                label: field.name, kind: CompletionItemKind.Field, detail: `${field.scope} field · ${field.type}`,
                documentation: field.description, sortText: `0${field.name}`
            });
        }
        this.completeElements(context, acceptor, 'note.');
    }

    protected completeElements(context: CompletionContext, acceptor: CompletionAcceptor, prefix: string): void {
        for (const [name, uses] of this.workspaceElements()) {
            acceptor(context, {
                label: `${prefix}${name}`, kind: CompletionItemKind.Property,
                detail: `note element · used ${uses} ${uses === 1 ? 'time' : 'times'} in the workspace`, sortText: `0${name}`
            });
        }
    }

    protected completeExtras(context: CompletionContext, acceptor: CompletionAcceptor, typing: string): void {
        for (const [name, uses] of this.workspaceExtras()) {
            // The name being typed is in the workspace too: used once, it is only that.
            if (name === typing && uses === 1) continue;
            acceptor(context, {
                label: `extra.${name}`, kind: CompletionItemKind.Property,
                detail: `column of the export · used ${uses} ${uses === 1 ? 'time' : 'times'} in the workspace`, sortText: `0${name}`
            });
        }
    }

    /** Extra column names used anywhere in the workspace (`extra.<name>` in conditions, `extra <name>` in tests), with how often. */
    protected workspaceExtras(): Map<string, number> {
        return this.extraNames.get('extras', () => this.namesInWorkspace(node => {
            if (isTestExtra(node)) return [node.name];
            return isFieldRef(node) && node.path.startsWith('extra.') ? [node.path.slice('extra.'.length)] : [];
        }));
    }

    /** Documentation element names used anywhere in the workspace, with how often. */
    protected workspaceElements(): Map<string, number> {
        return this.elementNames.get('elements', () => this.namesInWorkspace(node => {
            if (isDocumentationRule(node)) return node.requires;
            if (isVagueClause(node) || isConsistencyRule(node) || isTestNote(node)) return [node.element];
            return isFieldRef(node) && node.path.startsWith('note.') ? [node.path.slice('note.'.length)] : [];
        }));
    }

    /** How often each name `namesOf` finds in a node occurs across the workspace, by name. */
    protected namesInWorkspace(namesOf: (node: AstNode) => readonly (string | undefined)[]): Map<string, number> {
        const counts = new Map<string, number>();
        for (const document of this.services.shared.workspace.LangiumDocuments.all) {
            for (const node of AstUtils.streamAst(document.parseResult.value)) {
                for (const name of namesOf(node)) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
            }
        }
        return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
    }

    protected payerAt(context: CompletionContext): Payer | undefined {
        const fromNode = context.node && AstUtils.getContainerOfType(context.node, isPayer);
        if (fromNode) return fromNode;
        const root = context.document.parseResult.value as PolicyFile;
        return root.elements.filter(isPayer).find(payer => {
            const cst = payer.$cstNode;
            return cst !== undefined && cst.offset <= context.offset && context.offset <= cst.end;
        });
    }

    /** A payer cannot extend itself: it is left out after its own `extends`. After `without`, ids the payer already drops or overrides are left out. */
    protected override getReferenceCandidates(refInfo: ReferenceInfo, context: CompletionContext): Stream<AstNodeDescription> {
        const candidates = super.getReferenceCandidates(refInfo, context);
        const container = refInfo.container;
        if (isPayer(container) && refInfo.property === 'base') return candidates.filter(candidate => candidate.name !== container.name);
        if (isDrop(container)) {
            const payer = AstUtils.getContainerOfType(container, isPayer) ?? this.payerAt(context);
            const written = payer ? ruleIdsWritten(payer, context) : new Set<string>();
            return candidates.filter(candidate => !written.has(candidate.name));
        }
        return candidates;
    }

    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        const node = description.node ?? this.loadNode(description);
        if (!node) return item;
        const sortText = `0${description.name}`;
        if (isCodeDecl(node)) {
            return { ...item, detail: codeDetail(node), labelDetails: { description: node.summary }, documentation: markdown(codeMarkdown(node)), sortText };
        }
        if (isCodeSet(node)) return { ...item, detail: 'code set', documentation: markdown(codeSetMarkdown(node)), sortText: `1${description.name}` };
        if (isModifierDecl(node)) return { ...item, detail: node.meaning, documentation: markdown(modifierMarkdown(node)), sortText };
        if (isPayer(node)) {
            return { ...item, detail: `payer id "${node.payerId}"`, documentation: markdown(payerMarkdown(node, this.documentationProvider.getDocumentation(node))), sortText };
        }
        if (isPolicyRule(node)) {
            return { ...item, detail: `${ruleKeyword(node)} · ${node.severity} · ${node.$container.name}`, documentation: markdown(ruleMarkdown(node)), sortText };
        }
        if (isEngineRule(node)) {
            return { ...item, detail: `Payrule's own check · ${node.severity}`, documentation: markdown(engineRuleMarkdown(node)), sortText: `1${description.name}` };
        }
        return item;
    }

    protected loadNode(description: AstNodeDescription): AstNode | undefined {
        const document = this.services.shared.workspace.LangiumDocuments.getDocument(description.documentUri);
        return document ? this.services.workspace.AstNodeLocator.getAstNode(document.parseResult.value, description.path) : undefined;
    }
}

/**
 * Inherited ids the payer already drops (`without`) or overrides: another `without` or `override`
 * of one would be reported as dropped twice, or as both dropped and overridden. The member being
 * typed does not count: its id is only half written.
 */
function ruleIdsWritten(payer: Payer, context: CompletionContext): Set<string> {
    const ids = new Set<string>();
    for (const member of payer.members) {
        if (isBeingTyped(member, context)) continue;
        if (isDrop(member) && member.rule?.$refText) ids.add(member.rule.$refText);
        if (isPolicyRule(member) && member.override) ids.add(member.name);
    }
    return ids;
}

const IMPORT_LINE = /^\s*import\s+([\w-]+(?:\s*\.\s*[\w-]+)*)\s*(?:\/\/.*)?$/;

/**
 * The packages the file imports on lines other than the cursor's. Read from the text: to the
 * parser, an import being typed above another (`import ` then `import acme.ppo`) is one import
 * of a package named `import`, and the one below is lost.
 */
function packagesImportedOnOtherLines(context: CompletionContext): Set<string> {
    const cursorLine = context.textDocument.positionAt(context.offset).line;
    const lines = context.textDocument.getText().split(/\r?\n/);
    return new Set(lines.flatMap((line, index) => {
        const name = index === cursorLine ? undefined : IMPORT_LINE.exec(line)?.[1];
        return name ? [name.replace(/\s+/g, '')] : [];
    }));
}

/** Whether the cursor is in (or just after) the node: the one being written. */
function isBeingTyped(node: AstNode, context: CompletionContext): boolean {
    const cst = node.$cstNode;
    return cst !== undefined && cst.offset <= context.offset && context.offset <= cst.end;
}

function markdown(value: string): MarkupContent {
    return { kind: 'markdown', value };
}
