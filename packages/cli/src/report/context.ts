/**
 * What the report writers need beyond the Report itself: where each session came from (input
 * file and record, claim number, provider, allowed amounts), the policy that was applied, and
 * when the run was made. The Report keeps to DATA.md's fixed shape; this travels beside it.
 */
import { PayerDirectory, sessionFormat, type PayerPolicy, type PolicyBundle, type Session, type SessionResult } from '@payrule/engine';
import type { RevenueAtRisk } from './money.js';

/** One evaluated record and where it was read. */
export interface SessionSource {
    /** The input as the user named it, or `standard input` for `-`. */
    file: string;
    /** 1-based position: the line for NDJSON, the spreadsheet row for CSV, the array position for JSON. */
    record: number;
    /** The record as read: claim number, provider, lines with their allowed amounts. */
    session: Session;
}

export interface ReportContext {
    /** By session id (ids are unique within a run: later duplicates are rejected). */
    sources: Map<string, SessionSource>;
    /** The policy the sessions were checked against. */
    bundle?: PolicyBundle;
    /** The inputs in the order given. */
    inputs?: string[];
    /** When the run was made, ISO 8601. */
    generatedAt?: string;
    toolVersion?: string;
    /** Patient identifiers were replaced by keyed tokens (`--redact`). */
    redacted?: boolean;
    /** Over- and under-billed units valued in money; computed once by the command. */
    money?: RevenueAtRisk;
}

export const STANDARD_INPUT = 'standard input';

/** How a record's position reads: a line, a spreadsheet row, or an element of a JSON array. */
export type RecordKind = 'line' | 'row' | 'element';

export function recordKind(file: string): RecordKind {
    if (file === STANDARD_INPUT) return 'line';
    const format = sessionFormat(file);
    return format === 'csv' ? 'row' : format === 'json' ? 'element' : 'line';
}

/** "week.csv row 12", "week.ndjson line 3", "week.json record 4". */
export function describeRecord(source: SessionSource): string {
    const kind = recordKind(source.file);
    const word = kind === 'row' ? 'row' : kind === 'line' ? 'line' : 'record';
    return `${source.file} ${word} ${source.record}`;
}

/** The payer declaration a session was checked under: the one the report names, else the one in force on its date. */
export function payerPolicyFor(bundle: PolicyBundle | undefined, session: Pick<SessionResult, 'payer' | 'date' | 'policy'>): PayerPolicy | undefined {
    if (!bundle) return undefined;
    const named = bundle.payers.find(payer => payer.id === session.payer && payer.name === session.policy);
    if (named) return named;
    const choice = new PayerDirectory(bundle).select(session.payer, session.date);
    return choice.ok ? bundle.payers[choice.index] : undefined;
}

/** "1882093176 (PT)", "1882093176", or undefined when the record names no provider. */
export function providerLabel(session: Session | undefined): string | undefined {
    const provider = session?.provider;
    if (!provider?.id && !provider?.role) return undefined;
    if (!provider.id) return `(${provider.role})`;
    return provider.role ? `${provider.id} (${provider.role})` : provider.id;
}
