/**
 * A generated policy workspace for the language server benchmark: the example code catalog and
 * Medicare pack, plus `files` packs of regional payers that extend Medicare, each with its own
 * limits, modifier rules, thresholds, documentation rules and policy tests. Deterministic; every
 * file is valid policy (no errors), so diagnostics measure a real build.
 *
 *   import { generateWorkspace } from './lsp-workspace.mjs'
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CODES = ['97110', '97112', '97116', '97140', '97530', '97535', '97542', '97750', '97032', '97035'];
/** Codes without an MUE in the Medicare pack, so a regional limit never repeats an inherited one. */
const LIMIT_CODES = CODES.slice(0, 8);
const PERIODS = ['visit', 'day', 'week', 'month', 'year'];
const ELEMENTS = ['activities', 'functional-goals', 'total-timed-minutes', 'home-program', 'pain-scale'];

/** One regional payer file of about `rules` rules and `tests` tests (roughly 10 lines per rule and test). */
function payerFile(index, rules, tests) {
    const name = `Regional${index}`;
    const id = `regional-${index}`;
    const lines = [
        `/*`,
        ` * ${name}: a generated regional payer for the language server benchmark.`,
        ` */`,
        `package bench.regional${index} version "2026.1.0"`,
        ``,
        `import cms.medicare`,
        ``,
        `/** ${name} commercial contract (generated), 2026 provider manual. */`,
        `payer ${name} id "${id}" extends Medicare {`,
        `    effective 2026-01-01 through 2026-12-31`,
        ``,
        `    override units units-match error ${index % 2 === 0 ? 'per-code' : 'pooled'} unit 15 minutes minimum 8 minutes`,
        `        source "${name} provider manual s4.2"`,
        ``
    ];
    for (let r = 0; r < rules; r++) {
        const code = CODES[(index + r) % CODES.length];
        const other = CODES[(index + r + 3) % CODES.length];
        const element = ELEMENTS[(index + r) % ELEMENTS.length];
        switch (r % 5) {
            case 0: {
                // Each code and period at most once per payer: a second limit on both would be shadowed.
                const k = r / 5;
                const limited = LIMIT_CODES[(index + Math.floor(k / PERIODS.length)) % LIMIT_CODES.length];
                const period = PERIODS[k % PERIODS.length];
                lines.push(
                    `    limit cap-${limited}-${period} warning ${limited} at most ${2 + (r % 3)} units per ${period}`,
                    `        source "${name} provider manual s4.${r}"`);
                break;
            }
            case 1:
                lines.push(
                    `    rule note-${r} warning "{code} needs a ${element} note"`,
                    `        on every line where code in procedures`,
                    `        require that note.${element} != missing`,
                    `        source "${name} provider manual s7.${r}"`);
                break;
            case 2:
                lines.push(
                    `    pair distinct-${code}-${r} error ${code} with ${other} needs modifier 59 or XU`,
                    `        source "${name} NCCI policy s${r}"`);
                break;
            case 3:
                lines.push(
                    `    documentation notes-${r} warning "The note does not support {code}"`,
                    `        for ${code}`,
                    `        requires ${element}, patient-response`,
                    `        ${element} not vague "tolerated well", "continue per plan of care"`,
                    `        minimum 10 characters`,
                    `        source "${name} provider manual s8.${r}"`);
                break;
            default:
                lines.push(
                    `    rule long-day-${r} info "More than ${90 + r} minutes of timed care"`,
                    `        when timedMinutes > ${90 + r} and discipline in (PT, OT)`,
                    `        source "${name} utilization review s${r}"`);
        }
        lines.push('');
    }
    lines.push(`    authorization prior-auth error after ${8 + (index % 10)} visits per calendar year`, `        source "${name} provider manual s6.1"`, `}`, '');
    for (let t = 0; t < tests; t++) {
        const code = CODES[(index + t) % CODES.length];
        const minutes = 23 + ((index * 7 + t * 5) % 30);
        lines.push(
            `test "${name}: ${minutes} minutes of ${code}, case ${t}" {`,
            `    session payer "${id}" discipline PT date 2026-03-${String(1 + (t % 27)).padStart(2, '0')}`,
            `        line ${code} minutes ${minutes} modifiers GP`,
            `        note activities "Floor-to-counter lifts x10 with cues for hip hinge, case ${t}"`,
            `        note patient-response "Needed two verbal cues; no pain increase"`,
            `    expect no finding late`,
            `}`,
            '');
    }
    return lines.join('\n');
}

/**
 * Writes the workspace under `root`: packs/cpt-therapy, packs/medicare (copied from the examples)
 * and packs/regional-N. Returns the files written and the total line count of policy.
 */
export function generateWorkspace(root, examples, { files = 12, rules = 60, tests = 25 } = {}) {
    mkdirSync(root, { recursive: true });
    cpSync(join(examples, 'packs/cpt-therapy'), join(root, 'packs/cpt-therapy'), { recursive: true });
    cpSync(join(examples, 'packs/medicare'), join(root, 'packs/medicare'), { recursive: true });
    const written = [];
    let lines = 0;
    for (let index = 1; index <= files; index++) {
        const file = join(root, `packs/regional-${index}/regional-${index}.payrule`);
        mkdirSync(join(root, `packs/regional-${index}`), { recursive: true });
        const text = payerFile(index, rules, tests);
        writeFileSync(file, text);
        written.push(file);
        lines += text.split('\n').length;
    }
    return { files: written, generatedLines: lines };
}
