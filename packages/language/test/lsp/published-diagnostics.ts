/**
 * The diagnostics a language server publishes, as a test client sees them: every notification
 * kept, and a wait for the next one for a document that satisfies a condition. Shared by the
 * in-process server of the fuzz tests and the stdio client of the end-to-end tests.
 */
import { PublishDiagnosticsNotification, type ProtocolConnection, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node.js';

interface Waiter {
    uri: string;
    accept: (params: PublishDiagnosticsParams) => boolean;
    resolve: (params: PublishDiagnosticsParams) => void;
}

export class PublishedDiagnostics {
    private readonly published: PublishDiagnosticsParams[] = [];
    private readonly waiting: Waiter[] = [];

    /** `context` adds to the message of a wait that times out (e.g. what the server wrote on stderr). */
    constructor(connection: ProtocolConnection, private readonly context: () => string = () => '') {
        connection.onNotification(PublishDiagnosticsNotification.type, params => {
            this.published.push(params);
            for (const waiter of [...this.waiting]) {
                if (waiter.uri === params.uri && waiter.accept(params)) {
                    this.waiting.splice(this.waiting.indexOf(waiter), 1);
                    waiter.resolve(params);
                }
            }
        });
    }

    /** The diagnostics published for `uri` that satisfy `accept`: already, or the next such. */
    for(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 15_000): Promise<PublishDiagnosticsParams> {
        const already = this.published.find(params => params.uri === uri && accept(params));
        if (already) return Promise.resolve(already);
        return this.next(uri, accept, timeoutMs);
    }

    /** The next diagnostics published for `uri` that satisfy `accept`, leaving out those published before. */
    next(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 15_000): Promise<PublishDiagnosticsParams> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`No diagnostics for ${uri} within ${timeoutMs} ms.${this.context()}`)), timeoutMs);
            this.waiting.push({ uri, accept, resolve: params => { clearTimeout(timer); resolve(params); } });
        });
    }

    /** Every URI diagnostics were published for. */
    uris(): string[] {
        return [...new Set(this.published.map(params => params.uri))];
    }
}

/** The error messages of published diagnostics, and conditions on them to wait for. */
export function errors(params: PublishDiagnosticsParams): string[] {
    return params.diagnostics.filter(d => d.severity === 1).map(d => d.message);
}

export const hasError = (text: string) => (params: PublishDiagnosticsParams) => errors(params).some(message => message.includes(text));
export const noErrors = (params: PublishDiagnosticsParams) => errors(params).length === 0;
