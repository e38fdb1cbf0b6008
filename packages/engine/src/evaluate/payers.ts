/** Which payer declaration applies to a session: the one with its id in force on the date of service (latest `from` when several). */
import type { PayerPolicy, PolicyBundle } from '../ir/policy.js';
import { describeText } from '../util/text.js';

export type PayerChoice = { ok: true; index: number } | { ok: false; error: string };

export function inForce(payer: PayerPolicy, date: string): boolean {
    const { from, through } = payer.effective;
    return (from === undefined || from <= date) && (through === undefined || date <= through);
}

/** "2026-01-01 to 2026-12-31", "from 2026-01-01", "through 2025-12-31", "at all times". */
export function describeEffective(payer: PayerPolicy): string {
    const { from, through } = payer.effective;
    if (from !== undefined && through !== undefined) return `${from} to ${through}`;
    if (from !== undefined) return `from ${from}`;
    if (through !== undefined) return `through ${through}`;
    return 'at all times';
}

export class PayerDirectory {
    private readonly byId = new Map<string, number[]>();

    constructor(private readonly bundle: PolicyBundle) {
        bundle.payers.forEach((payer, index) => {
            const list = this.byId.get(payer.id) ?? [];
            list.push(index);
            this.byId.set(payer.id, list);
        });
    }

    select(payerId: string, date: string): PayerChoice {
        const candidates = this.byId.get(payerId);
        // The payer field as read: a name or a note in the wrong column is described, not quoted.
        if (!candidates) return { ok: false, error: `no loaded policy declares payer ${describeText(payerId)}` };
        let chosen: number | undefined;
        for (const index of candidates) {
            if (!inForce(this.bundle.payers[index]!, date)) continue;
            // Later declarations win ties, as later packages win elsewhere.
            if (chosen === undefined || fromOf(this.bundle.payers[index]!) >= fromOf(this.bundle.payers[chosen]!)) chosen = index;
        }
        if (chosen !== undefined) return { ok: true, index: chosen };
        const loaded = candidates.map(index => describeEffective(this.bundle.payers[index]!)).join('; ');
        return { ok: false, error: `no ${payerId} policy is in force on ${date} (loaded: ${loaded})` };
    }
}

function fromOf(payer: PayerPolicy): string {
    return payer.effective.from ?? '';
}
