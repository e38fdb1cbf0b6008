/**
 * Lines a threshold counted as $0.00: billed, in a discipline a threshold of the declaration
 * accrues over, with no `allowed` amount and no fee for the code in the policy. An export made
 * before the payer priced the claims, checked with a policy without a fee table, accrues nothing:
 * no patient ever crosses the KX threshold, and no finding can say so. The run says it instead,
 * once per payer id, as a notice of the report.
 */
import type { Discipline, PolicyBundle } from '../ir/policy.js';
import type { Notice } from '../report/report.js';
import { groupDigits, listWords } from '../util/text.js';
import { amountSource } from './accrual.js';
import type { HistoryEntry } from './history.js';

/** Per payer id: lines counted as $0.00, and lines its thresholds counted in all. */
export interface UnpricedCount {
    payer: string;
    unpriced: number;
    lines: number;
}

export class UnpricedLines {
    /** Per declaration, the disciplines its thresholds accrue over (undefined: it has no threshold). */
    private readonly accrued: (ReadonlySet<Discipline> | undefined)[];
    private readonly byPayer = new Map<string, UnpricedCount>();

    constructor(private readonly bundle: PolicyBundle) {
        this.accrued = bundle.payers.map(payer => {
            const disciplines = new Set<Discipline>();
            for (const rule of payer.rules) if (rule.kind === 'threshold') for (const discipline of rule.disciplines) disciplines.add(discipline);
            return disciplines.size > 0 ? disciplines : undefined;
        });
    }

    /** Counts an evaluated session's lines. */
    add(entry: HistoryEntry): void {
        if (!this.accrued[entry.policy]?.has(entry.discipline)) return;
        const fees = this.bundle.payers[entry.policy]!.fees;
        let unpriced = 0;
        let lines = 0;
        for (const line of entry.lines) {
            // A line of no units is not on the claim: no amount is owed for it.
            if (line.units === 0) continue;
            lines++;
            if (amountSource(fees, line) === 'none') unpriced++;
        }
        if (lines > 0) this.tally(entry.payer, unpriced, lines);
    }

    /** Takes counts made elsewhere (another part of the run). */
    merge(counts: readonly UnpricedCount[]): void {
        for (const { payer, unpriced, lines } of counts) this.tally(payer, unpriced, lines);
    }

    private tally(payer: string, unpriced: number, lines: number): void {
        const count = this.byPayer.get(payer);
        if (count) {
            count.unpriced += unpriced;
            count.lines += lines;
        } else {
            this.byPayer.set(payer, { payer, unpriced, lines });
        }
    }

    /** The counts so far, and none after: a part hands them on once. */
    take(): UnpricedCount[] {
        const counts = [...this.byPayer.values()];
        this.byPayer.clear();
        return counts;
    }

    /** One notice per payer id with a line counted as $0.00, by payer id. */
    notices(): Notice[] {
        return [...this.byPayer.values()]
            .filter(count => count.unpriced > 0)
            .sort((a, b) => (a.payer < b.payer ? -1 : a.payer > b.payer ? 1 : 0))
            .map(count => unpricedNotice(this.bundle, count));
    }
}

function unpricedNotice(bundle: PolicyBundle, count: UnpricedCount): Notice {
    const thresholds = new Set<string>();
    const modifiers = new Set<string>();
    for (const payer of bundle.payers) {
        if (payer.id !== count.payer) continue;
        for (const rule of payer.rules) {
            if (rule.kind !== 'threshold') continue;
            thresholds.add(rule.id);
            for (const modifier of rule.modifiers ?? []) modifiers.add(modifier.toUpperCase());
        }
    }
    const lines = groupDigits(count.lines);
    const which = count.lines === 1 ? 'The one line that counts' : count.unpriced === count.lines ? `All ${lines} lines that count`
        : `${groupDigits(count.unpriced)} of ${lines} lines that count`;
    const one = count.unpriced === 1;
    const missed = modifiers.size > 0 ? `a line that needs ${listWords([...modifiers])} can go without a finding` : 'a patient can pass a threshold without a finding';
    return {
        kind: 'unpriced-lines',
        payer: count.payer,
        lines: count.unpriced,
        of: count.lines,
        message: `${which} toward the ${count.payer} ${thresholds.size === 1 ? 'threshold' : 'thresholds'} (${listWords([...thresholds], 'and')}) ${one ? 'has' : 'have'} no allowed amount, `
            + `and the policy has no fee for ${one ? 'its code' : 'their codes'}. ${one ? 'It' : 'Each'} was counted as $0.00, so ${missed}. `
            + `Export the lines with their allowed amounts, or add the payer's fees to the policy.`
    };
}
