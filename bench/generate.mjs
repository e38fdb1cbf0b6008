/**
 * Deterministic synthetic sessions for the benchmark and the throughput tests: a billing company's
 * year of outpatient therapy visits in date order, as an EHR export would list them.
 *
 * Patients belong to one payer (medicare or acme-ppo) and mostly one discipline (PT, OT, SLP);
 * they visit 1-3 times a week, many often enough to cross the KX threshold. Codes come from the
 * example catalog, minutes are realistic and units follow the payer's method, with faults mixed in
 * at fixed rates: wrong units, missing or wrong discipline modifiers, assistants without CQ/CO,
 * missing KX past the threshold, MUE excess, NCCI pairs, missing, vague or inconsistent notes, late
 * filing, visits past Acme's authorization limit, unknown codes, same-day sessions and invalid
 * records, all of which read the same as NDJSON and as CSV, so both files give the same findings;
 * ids exported twice can be added (`duplicates`), for NDJSON only.
 *
 *   node bench/generate.mjs --sessions 10000 --out bench/data/s10k [--seed 42]
 *   import { generateSessions } from './generate.mjs'   (an iterator of records, for tests)
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** sfc32: a small, fast PRNG with a 128-bit state, seeded through splitmix32. */
export function prng(seed) {
    let s = seed >>> 0;
    const split = () => {
        s = (s + 0x9e3779b9) >>> 0;
        let z = s;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
    };
    let a = split(), b = split(), c = split(), d = split();
    const next = () => {
        const t = (((a + b) >>> 0) + d) >>> 0;
        d = (d + 1) >>> 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) >>> 0;
        c = (c << 21) | (c >>> 11);
        c = (c + t) >>> 0;
        return t / 4294967296;
    };
    return {
        next,
        int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
        chance: p => next() < p,
        pick: list => list[Math.floor(next() * list.length)],
        weighted: pairs => {
            let r = next() * pairs.reduce((sum, [, w]) => sum + w, 0);
            for (const [value, w] of pairs) if ((r -= w) < 0) return value;
            return pairs[pairs.length - 1][0];
        }
    };
}

// 2026 Medicare-like allowed amounts per unit; Acme pays about 25% more, assistants 85%.
const RATE = {
    97110: 29.23, 97112: 33.53, 97116: 29.02, 97140: 26.68, 97530: 35.87, 97535: 32.21, 97035: 11.52, 97032: 16.04,
    97012: 14.81, G0283: 10.48, 97161: 101.49, 97162: 101.49, 97163: 101.49, 97164: 70.12, 97165: 103.62, 97166: 103.62,
    97167: 103.62, 97168: 70.85, 92507: 78.96, 92526: 85.1, 92610: 90.27, 97150: 19.87, 97799: 25
};
const TIMED = new Set(['97110', '97112', '97116', '97140', '97530', '97535', '97035', '97032']);
const DISCIPLINE_MODIFIER = { PT: 'GP', OT: 'GO', SLP: 'GN' };
const ASSISTANT = { PT: ['PTA', 'CQ'], OT: ['OTA', 'CO'] };
const TIMED_BY_DISCIPLINE = {
    PT: [['97110', 6], ['97140', 4], ['97530', 4], ['97112', 3], ['97116', 2], ['97035', 1], ['97032', 1]],
    OT: [['97530', 5], ['97535', 5], ['97110', 3], ['97112', 2], ['97140', 1]]
};
const EVALUATION = { PT: ['97161', '97162', '97163'], OT: ['97165', '97166', '97167'], SLP: ['92610'] };
const REEVALUATION = { PT: '97164', OT: '97168' };
const DIAGNOSES = {
    PT: ['M54.50', 'M54.16', 'M25.561', 'M25.511', 'M62.81', 'S83.511A', 'M17.11', 'G20.A1', 'R26.81', 'Z96.651'],
    OT: ['M19.041', 'S62.101A', 'G56.01', 'I69.351', 'M75.101', 'R27.8'],
    SLP: ['R13.12', 'R47.01', 'I69.320', 'R49.0', 'F80.1']
};

const ACTIVITIES = [
    'Sit-to-stand from 18 in chair x10 with verbal cues for trunk lean', 'Step-ups 6 in box 3x10 each leg holding one rail',
    'Prone press-ups x10 and bird-dogs 3x10 for lumbar control', 'Grade III PA mobilizations L4-L5 and soft-tissue work to QL',
    'Floor-to-counter lift of 10 lb box x10 with cues for hip hinge', 'Gait training 300 ft with single-point cane, cues for step length',
    'Tandem stance 4x30 s on foam with contact guard', 'Reaching into upper cabinet with 2 lb cans x15, shoulder flexion to 140 deg',
    'Tub transfer with grab bar and tub bench, minimal assist x3', 'Buttoning and zipper practice with built-up handles 10 min',
    'Putty grip 3x15 and pinch strengthening with clothespins', 'Meal preparation task: stand at counter 12 min slicing vegetables',
    'Chin-tuck swallow with thin liquids, 20 trials, no coughing on 17', 'Oral motor exercises and lingual press 3x10 with IOPI feedback',
    'Word retrieval in category naming, 18 of 25 items with semantic cues', 'Stairs 12 steps reciprocal with one rail and standby assist'
];
const GOALS = [
    'Walk 1,000 ft outdoors with a cane without loss of balance', 'Lift 20 lb grandchild from floor without back pain above 2/10',
    'Dress lower body independently with adaptive equipment in 10 min', 'Climb 12 stairs to the bedroom with one rail by week 8',
    'Return to work as a cashier standing 30 minutes without rest', 'Cook a simple meal standing at the counter for 20 minutes',
    'Swallow thin liquids safely at meals with chin tuck and no coughing', 'Name 20 items in a category in one minute for conversation'
];
const RESPONSES = [
    'Needed 2 verbal cues; pain 3/10 before and 2/10 after', 'Completed all sets; knee flexion improved from 95 to 104 deg',
    'Fatigued after 8 min standing, rested 2 min then finished the task', 'TUG improved from 15.8 s to 13.9 s since last week',
    'Independent with the tub bench after two trials; no loss of balance', 'Coughing on 3 of 20 trials, down from 9 last session',
    'Accurate on 18 of 25 items, up from 12 of 25 at evaluation', 'Demonstrated home program back correctly after one demonstration'
];
const VAGUE_ACTIVITIES = ['Therapeutic exercise performed.', 'Therapeutic activities performed', 'Functional training performed, continue per plan of care'];
const VAGUE_RESPONSES = ['Tolerated well.', 'Good participation, no complaints', 'Patient tolerated treatment well'];

/** A day number (days since 2025-01-01) as an ISO date. */
function isoDay(day) {
    return new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10);
}

function unitsFor(minutes) {
    return minutes <= 0 ? 0 : Math.floor(minutes / 15) + (minutes % 15 >= 8 ? 1 : 0);
}

/** Correct units per timed line: pooled (CMS) or per code. */
function correctUnits(timedLines, pooled) {
    if (!pooled) return timedLines.map(line => unitsFor(line.minutes));
    const total = unitsFor(timedLines.reduce((sum, line) => sum + line.minutes, 0));
    const units = timedLines.map(line => Math.floor(line.minutes / 15));
    let rest = total - units.reduce((a, b) => a + b, 0);
    const order = timedLines.map((line, i) => i).sort((a, b) => (timedLines[b].minutes % 15) - (timedLines[a].minutes % 15) || timedLines[b].minutes - timedLines[a].minutes);
    for (const i of order) if (rest > 0 && timedLines[i].minutes % 15 > 0) { units[i]++; rest--; }
    return units;
}

function money(amount) {
    return Math.round(amount * 100) / 100;
}

/** Patients and their visit days, then every session in date order. */
export function* generateSessions(count, seed = 42, { duplicates = false } = {}) {
    const rng = prng(seed);
    const patients = [];
    let scheduled = 0;
    while (scheduled < count) {
        const payer = rng.chance(0.6) ? 'medicare' : 'acme-ppo';
        const discipline = rng.weighted([['PT', 60], ['OT', 25], ['SLP', 15]]);
        const second = discipline !== 'SLP' && rng.chance(0.1) ? (discipline === 'PT' ? rng.pick(['OT', 'SLP']) : 'PT') : undefined;
        // Medicare episodes may start late in 2025 (checked under the 2025 version); Acme covers 2026 only.
        const start = payer === 'medicare' && rng.chance(0.06) ? rng.int(300, 360) : rng.int(365, 365 + 300);
        const visits = Math.min(count - scheduled, rng.weighted([[rng.int(6, 15), 3], [rng.int(16, 35), 4], [rng.int(36, 70), 3]]));
        const days = [];
        let day = start;
        for (let k = 0; k < visits && day < 365 * 2; k++) {
            days.push(day);
            if (rng.chance(0.012)) days.push(day); // a second session the same day
            day += rng.weighted([[2, 4], [3, 3], [4, 2], [7, 1]]);
        }
        days.length = Math.min(days.length, count - scheduled);
        if (days.length === 0) continue;
        const index = patients.length;
        patients.push({
            id: `P-${String(index + 1).padStart(6, '0')}`, payer, discipline, second, days,
            provider: String(1000000000 + rng.int(0, 8999999) * 100 + (index % 7)), accrued: new Map(), visitsInYear: new Map(), seen: 0
        });
        scheduled += days.length;
    }
    // Date order across patients: bucket the visits by day.
    const byDay = new Map();
    for (const patient of patients) for (const day of patient.days) {
        const list = byDay.get(day) ?? [];
        list.push(patient);
        byDay.set(day, list);
    }
    const recent = [];
    let serial = 0;
    for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
        for (const patient of byDay.get(day)) {
            serial++;
            const record = makeSession(rng, patient, day, serial);
            // An id exported twice (NDJSON only: in CSV, rows sharing an id are one session).
            if (duplicates && recent.length > 0 && rng.chance(0.0005)) record.id = rng.pick(recent);
            recent[serial % 1000] = record.id;
            yield record;
        }
    }
}

function makeSession(rng, patient, day, serial) {
    const date = isoDay(day);
    const year = date.slice(0, 4);
    const payer = patient.payer;
    const discipline = patient.second && rng.chance(0.25) ? patient.second : patient.discipline;
    const first = patient.seen++ === 0;
    const assistant = discipline !== 'SLP' && !first && rng.chance(0.12);
    const role = assistant ? ASSISTANT[discipline][0] : discipline;
    const lines = [];
    // Codes: an evaluation on the first visit, re-evaluations now and then; timed codes for PT/OT, untimed for SLP.
    if (first) lines.push({ code: rng.pick(EVALUATION[discipline]), minutes: rng.int(25, 45) });
    else if (discipline !== 'SLP' && rng.chance(0.03)) lines.push({ code: REEVALUATION[discipline], minutes: rng.int(20, 30) });
    if (discipline === 'SLP') {
        if (!first) lines.push({ code: rng.chance(0.7) ? '92507' : '92526', minutes: rng.int(30, 55) });
        if (rng.chance(0.05)) lines.push({ code: '97150', minutes: 30 });
    } else {
        const wanted = first ? rng.int(1, 2) : rng.weighted([[1, 2], [2, 4], [3, 3], [4, 1]]);
        const seen = new Set();
        for (let k = 0; k < wanted * 2 && seen.size < wanted; k++) {
            const code = rng.weighted(TIMED_BY_DISCIPLINE[discipline]);
            if (seen.has(code)) continue;
            seen.add(code);
            lines.push({ code, minutes: rng.weighted([[rng.int(5, 7), 1], [rng.int(8, 22), 5], [rng.int(23, 37), 4], [rng.int(38, 45), 1]]) });
        }
        if (discipline === 'PT' && rng.chance(0.06)) lines.push({ code: payer === 'medicare' ? 'G0283' : '97012', minutes: 15 });
        if (discipline === 'PT' && rng.chance(0.02)) lines.push({ code: '97012', minutes: 15 });
    }
    if (rng.chance(0.001)) lines.push({ code: '97799', minutes: 15 }); // not in the catalog
    const timed = lines.filter(line => TIMED.has(line.code));
    const units = correctUnits(timed, payer === 'medicare');
    for (const line of lines) line.units = TIMED.has(line.code) ? units[timed.indexOf(line)] : 1;
    if (timed.length > 0 && rng.chance(0.04)) {
        const line = rng.pick(timed);
        line.units = Math.max(0, line.units + (rng.chance(0.6) ? 1 : -1));
    }
    for (const line of lines) if (line.code === '97012' && rng.chance(0.1)) line.units = 2; // MUE 1 per day
    // Modifiers: the discipline's own, assistants' CQ/CO, 59 on NCCI pairs, KX past the threshold.
    const own = DISCIPLINE_MODIFIER[discipline];
    for (const line of lines) {
        line.modifiers = [];
        if (rng.chance(0.985)) line.modifiers.push(rng.chance(0.01) ? rng.pick(['GP', 'GO', 'GN'].filter(m => m !== own)) : own);
        if (assistant && TIMED.has(line.code)) {
            line.assistantMinutes = line.minutes;
            if (rng.chance(0.85)) line.modifiers.push(ASSISTANT[discipline][1]);
        }
    }
    const pairs = lines.some(line => ['97164', '97168', '97161', '97162', '97163', '97165', '97166', '97167'].includes(line.code));
    if (pairs) for (const line of lines) if ((line.code === '97530' || line.code === '97140') && rng.chance(0.7)) line.modifiers.push('59');
    const group = discipline === 'OT' ? 'OT' : 'PT+SLP';
    const key = `${year}|${group}`;
    const before = patient.accrued.get(key) ?? 0;
    let total = before;
    for (const line of lines) {
        const rate = (RATE[line.code] ?? 20) * (payer === 'acme-ppo' ? 1.25 : 1) * (line.assistantMinutes ? 0.85 : 1) * (year === '2025' ? 0.985 : 1);
        line.charge = money(rate * 2.2 * Math.max(line.units, 1));
        if (rng.chance(0.97)) line.allowed = money(rate * line.units);
        total += line.allowed ?? 0;
        if (payer === 'medicare' && total > 2480 && rng.chance(0.85)) line.modifiers.push('KX');
    }
    patient.accrued.set(key, total);
    const timedMinutes = timed.reduce((sum, line) => sum + line.minutes, 0);
    const note = {};
    if (!rng.chance(0.02)) note['total-timed-minutes'] = String(rng.chance(0.03) ? timedMinutes + rng.int(1, 10) : timedMinutes);
    if (!rng.chance(0.02)) note.activities = rng.chance(0.04) ? rng.pick(VAGUE_ACTIVITIES) : `${rng.pick(ACTIVITIES)}; ${rng.pick(ACTIVITIES)}`;
    note['functional-goals'] = rng.chance(0.01) ? 'Walk' : rng.pick(GOALS);
    if (!rng.chance(0.015)) note['patient-response'] = rng.chance(0.03) ? rng.pick(VAGUE_RESPONSES) : rng.pick(RESPONSES);
    const visits = (patient.visitsInYear.get(`${payer}|${year}`) ?? 0) + 1;
    patient.visitsInYear.set(`${payer}|${year}`, visits);
    const session = {
        id: `S-${String(serial).padStart(7, '0')}`,
        claim: `C-${String(500000 + serial)}`,
        patient: patient.id,
        date,
        payer,
        discipline,
        provider: { id: patient.provider, role },
        diagnoses: [rng.pick(DIAGNOSES[discipline]), ...(rng.chance(0.4) ? [rng.pick(DIAGNOSES[discipline])] : [])],
        lines: lines.map(line => ({
            code: line.code, minutes: line.minutes, units: line.units, modifiers: line.modifiers, charge: line.charge,
            ...(line.allowed !== undefined ? { allowed: line.allowed } : {}),
            ...(line.assistantMinutes !== undefined ? { assistantMinutes: line.assistantMinutes } : {})
        })),
        totalMinutes: lines.reduce((sum, line) => sum + line.minutes, 0),
        note,
        submitted: isoDay(day + (rng.chance(0.015) ? rng.int(95, 400) : rng.int(2, 8)))
    };
    if (payer === 'acme-ppo' && visits > 12 && rng.chance(0.9)) {
        session.authorization = { id: `ACM-PA-${patient.id.slice(2)}`, visitsApproved: 30, visitNumber: visits - 12 };
    }
    // Invalid records: each is rejected whatever the format.
    if (rng.chance(0.0008)) {
        const fault = rng.int(0, 2);
        if (fault === 0) session.lines[0].minutes = -session.lines[0].minutes;
        else if (fault === 1) session.date = `${year}-02-30`;
        else delete session.patient;
    }
    return session;
}

export const CSV_COLUMNS = [
    'session_id', 'claim', 'patient', 'date', 'payer', 'discipline', 'provider_id', 'provider_role', 'diagnoses', 'code', 'minutes', 'units',
    'modifiers', 'charge', 'allowed', 'assistant_minutes', 'total_minutes', 'submitted', 'authorization_id', 'authorization_visits_approved',
    'authorization_visit_number', 'note_total-timed-minutes', 'note_activities', 'note_functional-goals', 'note_patient-response'
];

function csvCell(value) {
    if (value === undefined || value === null) return '';
    const text = String(value);
    return /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row per line; session values repeated on every row (DATA.md §1). */
export function csvRows(session) {
    const head = [session.id, session.claim, session.patient, session.date, session.payer, session.discipline, session.provider?.id,
        session.provider?.role, session.diagnoses.join(';')].map(csvCell).join(',');
    const auth = session.authorization;
    const tail = [session.totalMinutes, session.submitted, auth?.id, auth?.visitsApproved, auth?.visitNumber,
        session.note['total-timed-minutes'], session.note.activities, session.note['functional-goals'], session.note['patient-response']]
        .map(csvCell).join(',');
    return session.lines.map(line => `${head},${[line.code, line.minutes, line.units, line.modifiers.join(';'), line.charge.toFixed(2),
        line.allowed?.toFixed(2), line.assistantMinutes].map(csvCell).join(',')},${tail}\n`);
}

/** Writes `<out>.ndjson` and `<out>.csv` with `count` sessions. */
export function writeSessionFiles(count, out, seed = 42) {
    mkdirSync(dirname(out), { recursive: true });
    const ndjson = openSync(`${out}.ndjson`, 'w');
    const csv = openSync(`${out}.csv`, 'w');
    let ndBuffer = '';
    let csvBuffer = `${CSV_COLUMNS.join(',')}\n`;
    for (const session of generateSessions(count, seed)) {
        ndBuffer += `${JSON.stringify(session)}\n`;
        for (const row of csvRows(session)) csvBuffer += row;
        if (ndBuffer.length > 1 << 22) { writeSync(ndjson, ndBuffer); ndBuffer = ''; }
        if (csvBuffer.length > 1 << 22) { writeSync(csv, csvBuffer); csvBuffer = ''; }
    }
    writeSync(ndjson, ndBuffer);
    writeSync(csv, csvBuffer);
    closeSync(ndjson);
    closeSync(csv);
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const args = process.argv.slice(2);
    const option = (name, fallback) => {
        const at = args.indexOf(name);
        return at >= 0 ? args[at + 1] : fallback;
    };
    writeSessionFiles(Number(option('--sessions', '10000')), option('--out', 'bench/data/sessions'), Number(option('--seed', '42')));
}
