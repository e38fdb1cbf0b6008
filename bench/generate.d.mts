/** Types of generate.mjs, for the tests that use its sessions. */
export interface Rng {
    next(): number;
    int(lo: number, hi: number): number;
    chance(p: number): boolean;
    pick<T>(list: readonly T[]): T;
}
export function prng(seed: number): Rng;
/** Sessions in the record shape of DATA.md §1, in date order; `duplicates` adds ids exported twice (NDJSON only). */
export function generateSessions(count: number, seed?: number, options?: { duplicates?: boolean }): Generator<Record<string, unknown>>;
export const CSV_COLUMNS: string[];
/** The CSV rows (with their line ends) of one session. */
export function csvRows(session: Record<string, unknown>): string[];
export function writeSessionFiles(count: number, out: string, seed?: number): void;
