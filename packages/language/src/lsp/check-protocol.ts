/**
 * The "check sessions" protocol between the language server and its clients. The server command
 * `payrule.check` (workspace/executeCommand) takes a policy document and session files and
 * returns the engine's report (DATA.md §2) with editor locations added; the code lens on each
 * payer invokes the client command `payrule.checkSessions`, which runs it and shows the findings.
 */
import type { Finding, Report, SessionResult } from '@payrule/engine';
import type { Location } from 'vscode-languageserver';

/** Server command: `arguments` are `[policyUri, sessions?, payer?]` or `[{ policy, sessions?, payer?, asOf? }]`. */
export const CHECK_COMMAND = 'payrule.check';

/** Client command run by the "Check sessions" code lens: `arguments` are `[policyUri, sessionsUri | null, payerId]`. */
export const CHECK_SESSIONS_CLIENT_COMMAND = 'payrule.checkSessions';

export interface CheckRequest {
    /** URI (or absolute path) of a policy document; the packs it imports come with it. */
    policy: string;
    /** Session files (URIs, absolute paths, or paths relative to the workspace folder); none means the configured ones. */
    sessions?: string[];
    /** Only sessions billed to this payer id are evaluated. */
    payer?: string;
    /** "Today" for filing windows, YYYY-MM-DD. */
    asOf?: string;
}

/** The report as the engine writes it, plus where each session, finding and rejected record is in the editor. */
export interface EditorReport extends Report {
    sessions: EditorSessionResult[];
    rejected: (Report['rejected'][number] & { location?: Location })[];
    /** The session files read, in order. */
    inputs: { file: string; uri: string; sessions: number }[];
    /** What was checked: the policy, the payer filter, and how many sessions the filter left out. */
    checked: { policy: string; payer?: string; skipped: number };
}

export interface EditorSessionResult extends SessionResult {
    /** The session's record in its file. */
    location?: Location;
    findings: EditorFinding[];
}

export interface EditorFinding extends Finding {
    /** The session line (or record) the finding is about, in the session file. */
    location?: Location;
    /** The rule that produced it, in the policy. */
    policyLocation?: Location;
}
