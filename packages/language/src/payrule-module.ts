/**
 * The Payrule language services, wired in one place. Read it as the table of contents of the
 * language package: each entry names the service that decides one thing.
 */
import { inject, type DeepPartial, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices,
    type PartialLangiumSharedServices
} from 'langium/lsp';
import { PayruleGeneratedModule, PayruleGeneratedSharedModule } from './generated/module.js';
import { SessionsChecker } from './lsp/check-sessions.js';
import { PolicyTestRunner } from './lsp/policy-test-runner.js';
import { PayruleCodeActionProvider } from './lsp/payrule-code-action-provider.js';
import { PayruleCodeLensProvider } from './lsp/payrule-code-lens-provider.js';
import { PayruleCommandHandler } from './lsp/payrule-command-handler.js';
import { PayruleCompletionProvider } from './lsp/payrule-completion-provider.js';
import { PayruleDefinitionProvider } from './lsp/payrule-definition-provider.js';
import { PayruleDocumentSymbolProvider } from './lsp/payrule-document-symbol-provider.js';
import { PayruleFormatter } from './lsp/payrule-formatter.js';
import { PayruleHoverProvider } from './lsp/payrule-hover-provider.js';
import { PayruleNodeKindProvider } from './lsp/payrule-node-kind-provider.js';
import { PayruleReferences } from './lsp/payrule-references.js';
import { PayruleRenameProvider } from './lsp/payrule-rename-provider.js';
import { PayruleWorkspaceSettings } from './lsp/workspace-settings.js';
import { createGuardedParser } from './parser/guarded-parser.js';
import { PayruleLexer } from './parser/payrule-lexer.js';
import { PayruleLexerErrorMessageProvider } from './parser/payrule-lexer-messages.js';
import { PayruleParserErrorMessageProvider } from './parser/payrule-parser-messages.js';
import { PayruleValueConverter } from './parser/payrule-value-converter.js';
import { PayruleLinker } from './references/payrule-linker.js';
import { PayruleScopeProvider } from './references/payrule-scope-provider.js';
import { EDITOR_VALIDATION, PayruleValidator, registerValidationChecks } from './validation/payrule-validator.js';
import { PackageIndex } from './workspace/package-index.js';
import { PayruleDocumentBuilder } from './workspace/payrule-document-builder.js';

export type PayruleAddedServices = {
    validation: {
        PayruleValidator: PayruleValidator;
    };
    workspace: {
        PackageIndex: PackageIndex;
        /** Editor settings and payrule.json: which session files policies are checked against. */
        Settings: PayruleWorkspaceSettings;
    };
    lsp: {
        /** Runs a policy against session files for the `payrule.check` command. */
        SessionsChecker: SessionsChecker;
        /** Runs a document's policy tests for the "Run test" lenses and `payrule.runTests`. */
        TestRunner: PolicyTestRunner;
    };
};

export type PayruleServices = LangiumServices & PayruleAddedServices;

export const PayruleModule: Module<PayruleServices, PartialLangiumServices & DeepPartial<PayruleAddedServices>> = {
    parser: {
        ValueConverter: () => new PayruleValueConverter(),
        LangiumParser: (services) => createGuardedParser(services),
        Lexer: (services) => new PayruleLexer(services),
        LexerErrorMessageProvider: () => new PayruleLexerErrorMessageProvider(),
        ParserErrorMessageProvider: () => new PayruleParserErrorMessageProvider()
    },
    references: {
        ScopeProvider: (services) => new PayruleScopeProvider(services),
        Linker: (services) => new PayruleLinker(services),
        References: (services) => new PayruleReferences(services)
    },
    validation: {
        PayruleValidator: (services) => new PayruleValidator(services)
    },
    workspace: {
        PackageIndex: (services) => new PackageIndex(services.shared),
        Settings: (services) => new PayruleWorkspaceSettings(services.shared)
    },
    lsp: {
        CompletionProvider: (services) => new PayruleCompletionProvider(services),
        HoverProvider: (services) => new PayruleHoverProvider(services),
        DefinitionProvider: (services) => new PayruleDefinitionProvider(services),
        RenameProvider: (services) => new PayruleRenameProvider(services),
        DocumentSymbolProvider: (services) => new PayruleDocumentSymbolProvider(services),
        Formatter: () => new PayruleFormatter(),
        CodeActionProvider: (services) => new PayruleCodeActionProvider(services),
        CodeLensProvider: (services) => new PayruleCodeLensProvider(services),
        SessionsChecker: (services) => new SessionsChecker(services),
        TestRunner: (services) => new PolicyTestRunner(services)
    }
};

/**
 * Services shared by the language: the symbol kinds editors show, the server's commands, and a
 * document builder that also rebuilds the files whose imports a change may resolve or break.
 */
export const PayruleSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        DocumentBuilder: (shared) => new PayruleDocumentBuilder(shared)
    },
    lsp: {
        NodeKindProvider: () => new PayruleNodeKindProvider(),
        ExecuteCommandHandler: (shared) => new PayruleCommandHandler(shared)
    }
};

export function createPayruleServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Payrule: PayruleServices;
} {
    const shared = inject(createDefaultSharedModule(context), PayruleGeneratedSharedModule, PayruleSharedModule);
    const Payrule = inject(createDefaultModule({ shared }), PayruleGeneratedModule, PayruleModule);
    shared.ServiceRegistry.register(Payrule);
    registerValidationChecks(Payrule);
    // Edits revalidate with the policy tests' category too: failing tests show in the editor as they are typed.
    shared.workspace.DocumentBuilder.updateBuildOptions = { validation: { categories: [...EDITOR_VALIDATION] } };
    if (!context.connection) {
        // Outside a language server nobody sends configuration; without this, builds never finish.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Payrule };
}
