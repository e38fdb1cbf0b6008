/** The text form of `payrule diff`: a reviewer reads it top to bottom, one change a line. */
import type { Impact } from './impact.js';
import type { PayerDiff, PolicyDiff } from './diff.js';

export function writeDiffText(diff: PolicyDiff, impact: Impact | undefined, labels: { old: string; new: string }): string {
    const out: string[] = [];
    out.push(`Policy changes from ${labels.old} to ${labels.new}`);
    out.push(`  old: ${sideText(diff.old)}`);
    out.push(`  new: ${sideText(diff.new)}`);
    const touched = diff.payers.filter(payer => payer.status !== 'unchanged');
    if (!diff.changed) out.push('', 'No rule, payer or code changed.');
    for (const payer of touched) out.push('', ...payerText(payer));
    const unchanged = diff.payers.filter(payer => payer.status === 'unchanged');
    if (unchanged.length > 0 && diff.changed) {
        out.push('', `Unchanged: ${unchanged.map(payer => `payer ${payer.id} (${payer.name}, ${dates(payer.effective)})`).join('; ')}`);
    }
    if (diff.codes.length > 0) {
        out.push('', 'Codes');
        for (const code of diff.codes) {
            if (code.status === 'changed') for (const change of code.changes) out.push(`  changed  ${code.code}: ${change.text}`);
            else out.push(`  ${code.status.padEnd(8)} ${code.code}`);
        }
    }
    if (impact) out.push('', ...impactText(impact));
    return `${out.join('\n')}\n`;
}

function payerText(payer: PayerDiff): string[] {
    const title = `payer ${payer.id} (${payer.name}, ${dates(payer.effective)})`;
    if (payer.status === 'added') return [`${title}: added, with ${payer.rules.added.length} rules`, ...payer.rules.added.map(rule => `  added    ${rule.id}: ${rule.kind}, ${rule.severity}: ${rule.text}`)];
    if (payer.status === 'removed') return [`${title}: removed (it had ${payer.rules.removed.length} rules)`];
    const lines = [title];
    for (const change of payer.changes) lines.push(`  changed  payer: ${change.text}`);
    for (const rule of payer.rules.changed) for (const change of rule.changes) lines.push(`  changed  ${rule.id}: ${change.text}`);
    for (const rule of payer.rules.added) lines.push(`  added    ${rule.id}: ${rule.kind}, ${rule.severity}: ${rule.text}`);
    for (const rule of payer.rules.removed) lines.push(`  removed  ${rule.id}: ${rule.kind}, ${rule.severity}: ${rule.text}`);
    return lines;
}

function impactText(impact: Impact): string[] {
    const lines = [`Impact on ${impact.sessions} sessions${impact.rejected > 0 ? ` (${impact.rejected} records could not be checked)` : ''}`];
    const finding = (f: Impact['appeared'][number]) => `${f.session} (patient ${f.patient}, ${f.date}, ${f.payer}) ${f.rule} ${f.severity}${f.code ? ` on ${f.code}` : ''}: ${f.message}`;
    for (const f of impact.disappeared) lines.push(`  disappears  ${finding(f)}`);
    for (const f of impact.appeared) lines.push(`  appears     ${finding(f)}`);
    for (const u of impact.units) lines.push(`  units       ${u.session} ${u.code}: ${u.old} -> ${u.new} supported units`);
    const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    lines.push(`  ${count(impact.disappeared.length, 'finding disappears', 'findings disappear')}, ${count(impact.appeared.length, 'appears', 'appear')}, `
        + `${count(impact.units.length, 'unit count changes', 'unit counts change')}; ${impact.sessionsAffected} of ${impact.sessions} sessions affected.`);
    return lines;
}

function sideText(side: PolicyDiff['old']): string {
    const list = (refs: { name: string; version?: string }[], at: string) => refs.map(ref => `${ref.name}${ref.version ? `${at}${ref.version}` : ''}`).join(', ');
    const packages = `packages ${list(side.packages, ' ') || '(none)'}`;
    return side.packs.length > 0 ? `${packages} (from packs ${list(side.packs, '@')})` : packages;
}

function dates(effective: { from?: string; through?: string }): string {
    if (!effective.from && !effective.through) return 'no end dates';
    return `${effective.from ?? 'open start'} through ${effective.through ?? 'open end'}`;
}
