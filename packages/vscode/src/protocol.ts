/**
 * The "check sessions" protocol as the language server defines it (packages/language/src/lsp/
 * check-protocol.ts). Only types come from there, and types leave nothing in the bundle, so the
 * extension never pulls in the server; the two command names are plain strings.
 */
export type { EditorFinding as Finding, EditorReport, EditorSessionResult as SessionResult } from '@payrule/language';
export type { Severity } from '@payrule/engine';
export type { Location } from 'vscode-languageserver-types';

export const CHECK_COMMAND = 'payrule.check';
export const CHECK_SESSIONS_CLIENT_COMMAND = 'payrule.checkSessions';
