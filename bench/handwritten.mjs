/**
 * The baseline a developer would write by hand for the core checks of the example packs, with the
 * rules hard-coded: pooled (Medicare) and per-code (Acme) units, discipline modifiers, the 97012
 * unit limit, required note elements, vague phrases, and KX accrual past the yearly threshold.
 * Plain code: read every line, JSON.parse it, keep the sessions, group each patient's sessions
 * in date order, check, write a JSON report session by session. Not part of the product.
 *
 *   node bench/handwritten.mjs sessions.ndjson report.json
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const [input, output] = process.argv.slice(2);

const TIMED = new Set(['97032', '97033', '97034', '97035', '97036', '97039', '97110', '97112', '97113', '97116', '97124', '97140',
    '97530', '97535', '97542', '97750', '97760', '97761', '97763']);
const UNTIMED = new Set(['97010', '97012', '97014', '97016', '97018', '97022', '97024', '97026', '97028', 'G0283', '97150', '97161',
    '97162', '97163', '97164', '97165', '97166', '97167', '97168', '92507', '92526', '92610']);
const THERAPY = new Set([...TIMED, ...UNTIMED]);
const MODIFIER = { PT: 'GP', OT: 'GO', SLP: 'GN' };
const SKILLED = new Set(['97530', '97110', '97112', '97140', '97535']);
const VAGUE = {
    activities: ['therapeutic activities performed', 'therapeutic exercise performed', 'functional training performed',
        'pt tolerated treatment well', 'patient tolerated treatment well', 'continue per plan of care'],
    'patient-response': ['good participation', 'tolerated well', 'no complaints']
};
const KX = { 2025: 2410, 2026: 2480 };

function unitsFor(minutes) {
    return minutes <= 0 ? 0 : Math.floor(minutes / 15) + (minutes % 15 >= 8 ? 1 : 0);
}

// 1. Read and parse every session.
const sessions = [];
let rejected = 0;
{
    const fd = openSync(input, 'r');
    const buffer = Buffer.allocUnsafe(1 << 22);
    let rest = '';
    let bytes;
    const take = line => {
        if (line.trim() === '') return;
        try {
            const s = JSON.parse(line);
            if (typeof s.id !== 'string' || typeof s.patient !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s.date ?? '') || !Array.isArray(s.lines)
                || s.lines.some(l => typeof l.minutes === 'number' && l.minutes < 0)) rejected++;
            else sessions.push(s);
        } catch {
            rejected++;
        }
    };
    while ((bytes = readSync(fd, buffer, 0, buffer.length, null)) > 0) {
        const text = rest + buffer.toString('utf8', 0, bytes);
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            take(text.slice(start, nl));
            start = nl + 1;
        }
        rest = text.slice(start);
    }
    take(rest);
    closeSync(fd);
}

const findings = new Map();
const add = (session, finding) => {
    const list = findings.get(session.id) ?? [];
    list.push(finding);
    findings.set(session.id, list);
};

// 2. Units per day group (pooled for Medicare, per code for Acme); 97012 at most 1 unit a day.
const days = new Map();
for (const s of sessions) {
    const key = `${s.patient}|${s.payer}|${s.date}|${s.discipline}`;
    const group = days.get(key);
    if (group) group.push(s);
    else days.set(key, [s]);
}
const supportedOf = new Map();
const untimedFirst = new Map();
for (const group of days.values()) {
    const minutes = new Map();
    const billed = new Map();
    for (const s of group) for (const l of s.lines) if (TIMED.has(l.code)) {
        minutes.set(l.code, (minutes.get(l.code) ?? 0) + (l.minutes ?? 0));
        billed.set(l.code, (billed.get(l.code) ?? 0) + l.units);
    }
    const units = new Map();
    if (group[0].payer === 'medicare') {
        let total = 0;
        for (const m of minutes.values()) total += m;
        let remaining = unitsFor(total);
        const codes = [...minutes.keys()];
        for (const code of codes) {
            units.set(code, Math.floor(minutes.get(code) / 15));
            remaining -= units.get(code);
        }
        const left = code => minutes.get(code) % 15;
        codes.filter(code => left(code) > 0)
            .sort((a, b) => left(b) - left(a) || (billed.get(b) === units.get(b) + 1) - (billed.get(a) === units.get(a) + 1) || minutes.get(b) - minutes.get(a) || (a < b ? -1 : 1))
            .slice(0, Math.max(0, remaining)).forEach(code => units.set(code, units.get(code) + 1));
    } else {
        for (const [code, m] of minutes) units.set(code, unitsFor(m));
    }
    // Each session gets its own lines' share (a code billed in one session only, the usual case, keeps all).
    for (const s of group) supportedOf.set(s.id, units);
    // An untimed code is 1 unit per day: the group's first session by id that bills it (with units) has the unit.
    const untimedDone = new Set();
    for (const s of group.length > 1 ? [...group].sort((a, b) => (a.id < b.id ? -1 : 1)) : group) {
        const first = new Set();
        for (const l of s.lines) if (UNTIMED.has(l.code) && l.units > 0 && !untimedDone.has(l.code)) first.add(l.code);
        for (const code of first) untimedDone.add(code);
        untimedFirst.set(s.id, first);
    }
    let mue = 0;
    for (const s of group) for (const l of s.lines) if (l.code === '97012') {
        mue += l.units;
        if (mue > 1) add(s, { rule: 'mue-97012', severity: 'error', message: `97012 billed ${mue} units on ${s.date}; at most 1 per day` });
    }
}

// 3. KX: allowed amounts per patient and year (PT and SLP together, OT apart), in date order.
const patients = new Map();
for (const s of sessions) if (s.payer === 'medicare') {
    const list = patients.get(s.patient);
    if (list) list.push(s);
    else patients.set(s.patient, [s]);
}
for (const list of patients.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
    const totals = new Map();
    for (const s of list) {
        const key = `${s.date.slice(0, 4)}|${s.discipline === 'OT' ? 'OT' : 'PT+SLP'}`;
        let cents = totals.get(key) ?? 0;
        const limit = (KX[s.date.slice(0, 4)] ?? 2480) * 100;
        s.lines.forEach((l, index) => {
            cents += Math.round((l.allowed ?? 0) * 100);
            if (cents > limit && !l.modifiers.includes('KX')) {
                add(s, { rule: s.discipline === 'OT' ? 'kx-ot' : 'kx', severity: 'error', line: index, message: `${l.code} needs KX: allowed amounts reach $${(cents / 100).toFixed(2)} this year` });
            }
        });
        totals.set(key, cents);
    }
}

// 4. Per session: units, modifiers, note elements, vague phrases.
const words = text => text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
const vague = (text, phrases) => {
    let rest = ` ${words(text).join(' ')} `;
    for (const phrase of phrases.map(p => ` ${words(p).join(' ')} `).sort((a, b) => b.length - a.length)) rest = rest.split(phrase).join(' ');
    return words(rest).length < 3;
};
for (const s of sessions) {
    const supported = supportedOf.get(s.id);
    const billed = new Map();
    for (const l of s.lines) billed.set(l.code, (billed.get(l.code) ?? 0) + l.units);
    for (const [code, units] of billed) {
        const want = TIMED.has(code) ? supported.get(code) ?? 0 : UNTIMED.has(code) ? (untimedFirst.get(s.id).has(code) ? 1 : 0) : undefined;
        if (want !== undefined && want !== units) {
            add(s, { rule: 'units-match', severity: units > want ? 'error' : 'warning', message: `${code} billed ${units} units; the minutes support ${want}` });
        }
    }
    const own = MODIFIER[s.discipline];
    s.lines.forEach((l, index) => {
        if (!THERAPY.has(l.code)) return;
        if (!l.modifiers.includes(own)) add(s, { rule: 'discipline-modifier', severity: 'error', line: index, message: `${l.code} needs the ${own} modifier` });
        if (l.modifiers.some(m => m !== own && (m === 'GP' || m === 'GO' || m === 'GN'))) {
            add(s, { rule: 'wrong-discipline-modifier', severity: 'error', line: index, message: `${l.code} carries the modifier of another discipline` });
        }
    });
    const note = s.note ?? {};
    if (s.lines.some(l => THERAPY.has(l.code)) && !(note['total-timed-minutes'] ?? '').trim()) {
        add(s, { rule: 'treatment-note', severity: 'error', message: 'The treatment note must state total timed minutes' });
    }
    if (s.lines.some(l => SKILLED.has(l.code))) {
        for (const element of ['activities', 'functional-goals', 'patient-response']) {
            const text = (note[element] ?? '').trim();
            if (text.length < 10) add(s, { rule: 'skilled-activity', severity: 'warning', message: `The note's ${element} is missing or too short` });
            else if (VAGUE[element] && vague(text, VAGUE[element])) add(s, { rule: 'skilled-activity', severity: 'warning', message: `The note's ${element} is too vague` });
        }
    }
}

// 5. The report, session by session.
const out = openSync(output, 'w');
let buffered = '[\n';
const counts = {};
sessions.forEach((s, i) => {
    const list = findings.get(s.id) ?? [];
    for (const f of list) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    buffered += `${JSON.stringify({ id: s.id, patient: s.patient, date: s.date, payer: s.payer, findings: list }, null, 2)}${i < sessions.length - 1 ? ',' : ''}\n`;
    if (buffered.length > 1 << 20) {
        writeSync(out, buffered);
        buffered = '';
    }
});
writeSync(out, `${buffered}]\n`);
closeSync(out);
process.stderr.write(`${JSON.stringify({ sessions: sessions.length, rejected, findings: counts })}\n`);
