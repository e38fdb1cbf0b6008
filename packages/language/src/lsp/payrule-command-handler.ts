/**
 * The server's workspace/executeCommand handler. `payrule.check` runs a policy against session
 * files and returns the report (see check-protocol.ts for the arguments and the result).
 */
import { URI } from 'langium';
import { AbstractExecuteCommandHandler, type ExecuteCommandAcceptor, type LangiumSharedServices } from 'langium/lsp';
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { PayruleServices } from '../payrule-module.js';
import { CHECK_COMMAND, type CheckRequest } from './check-protocol.js';
import { RUN_TESTS_COMMAND } from './policy-test-runner.js';

export class PayruleCommandHandler extends AbstractExecuteCommandHandler {
    protected readonly shared: LangiumSharedServices;

    constructor(shared: LangiumSharedServices) {
        super();
        this.shared = shared;
    }

    registerCommands(acceptor: ExecuteCommandAcceptor): void {
        acceptor(CHECK_COMMAND, (args, cancelToken) => this.check(args, cancelToken));
        acceptor(RUN_TESTS_COMMAND, (args, cancelToken) => this.runTests(args, cancelToken));
    }

    /** `[documentUri, testName?]`: runs the document's tests, or the one named. */
    protected runTests(args: unknown[], cancelToken: CancellationToken) {
        const [document, testName] = args;
        if (typeof document !== 'string') {
            throw new ResponseError(ErrorCodes.InvalidParams, `${RUN_TESTS_COMMAND} takes a policy document URI and, optionally, a test name.`);
        }
        const uri = /^[a-z][a-z0-9+.-]+:/i.test(document) ? URI.parse(document) : URI.file(document);
        if (!this.shared.ServiceRegistry.hasServices(uri)) {
            throw new ResponseError(ErrorCodes.InvalidParams, `${document} is not a Payrule policy (.payrule) file.`);
        }
        const services = this.shared.ServiceRegistry.getServices(uri) as PayruleServices;
        return services.lsp.TestRunner.run(uri, typeof testName === 'string' ? testName : undefined, cancelToken);
    }

    protected check(args: unknown[], cancelToken: CancellationToken) {
        const request = checkRequest(args);
        const uri = /^[a-z][a-z0-9+.-]+:/i.test(request.policy) ? URI.parse(request.policy) : URI.file(request.policy);
        if (!this.shared.ServiceRegistry.hasServices(uri)) {
            throw new ResponseError(ErrorCodes.InvalidParams, `${request.policy} is not a Payrule policy (.payrule) file.`);
        }
        const services = this.shared.ServiceRegistry.getServices(uri) as PayruleServices;
        return services.lsp.SessionsChecker.check(request, cancelToken);
    }
}

/** `[policy, sessions?, payer?]` (sessions a path or a list) or `[{ policy, sessions?, payer?, asOf? }]`. */
export function checkRequest(args: unknown[]): CheckRequest {
    const [first, sessions, payer] = args;
    if (first && typeof first === 'object') {
        const given = first as Partial<Record<keyof CheckRequest, unknown>>;
        if (typeof given.policy !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${CHECK_COMMAND}: 'policy' must be a document URI.`);
        return {
            policy: given.policy,
            ...(given.sessions !== undefined ? { sessions: paths(given.sessions) } : {}),
            ...(typeof given.payer === 'string' ? { payer: given.payer } : {}),
            ...(typeof given.asOf === 'string' ? { asOf: given.asOf } : {})
        };
    }
    if (typeof first !== 'string') {
        throw new ResponseError(ErrorCodes.InvalidParams, `${CHECK_COMMAND} takes a policy document URI and a sessions file: [policyUri, sessionsPath].`);
    }
    return {
        policy: first,
        ...(sessions !== undefined && sessions !== null ? { sessions: paths(sessions) } : {}),
        ...(typeof payer === 'string' ? { payer } : {})
    };
}

function paths(value: unknown): string[] {
    const list = Array.isArray(value) ? value : [value];
    if (!list.every(item => typeof item === 'string')) {
        throw new ResponseError(ErrorCodes.InvalidParams, `${CHECK_COMMAND}: sessions must be a path or a list of paths.`);
    }
    return list as string[];
}
