/**
 * The Payrule language services, wired in one place. Read it as the table of contents of the
 * language package: each entry names the service that decides one thing.
 */
import { inject, type DeepPartial, type Module } from 'langium';
import {
    createDefaultModule, createDefaultSharedModule,
    type DefaultSharedModuleContext, type LangiumServices, type LangiumSharedServices, type PartialLangiumServices
} from 'langium/lsp';
import { PayruleGeneratedModule, PayruleGeneratedSharedModule } from './generated/module.js';
import { PayruleValueConverter } from './parser/payrule-value-converter.js';
import { PayruleScopeProvider } from './references/payrule-scope-provider.js';
import { PayruleValidator, registerValidationChecks } from './validation/payrule-validator.js';
import { PackageIndex } from './workspace/package-index.js';

export type PayruleAddedServices = {
    validation: {
        PayruleValidator: PayruleValidator;
    };
    workspace: {
        PackageIndex: PackageIndex;
    };
};

export type PayruleServices = LangiumServices & PayruleAddedServices;

export const PayruleModule: Module<PayruleServices, PartialLangiumServices & DeepPartial<PayruleAddedServices>> = {
    parser: {
        ValueConverter: () => new PayruleValueConverter()
    },
    references: {
        ScopeProvider: (services) => new PayruleScopeProvider(services)
    },
    validation: {
        PayruleValidator: (services) => new PayruleValidator(services)
    },
    workspace: {
        PackageIndex: (services) => new PackageIndex(services.shared)
    }
};

export function createPayruleServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Payrule: PayruleServices;
} {
    const shared = inject(createDefaultSharedModule(context), PayruleGeneratedSharedModule);
    const Payrule = inject(createDefaultModule({ shared }), PayruleGeneratedModule, PayruleModule);
    shared.ServiceRegistry.register(Payrule);
    registerValidationChecks(Payrule);
    if (!context.connection) {
        // Outside a language server nobody sends configuration; without this, builds never finish.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Payrule };
}
