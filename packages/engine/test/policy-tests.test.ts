/** The policy test runner: sessions written in a test go through the evaluator, expectations are checked on the last one. */
import { describe, expect, it } from 'vitest';
import { writeTestJunit } from '../../cli/src/test-report/test-junit.js';
import { runPolicyTests, type PolicyBundle, type PolicyTest, type TestExpectation, type TestRun } from '../src/index.js';
import { bundle, LOC, payer, rules } from './fixtures.js';

const at = (line: number) => ({ ...LOC, file: 'test/policy.tests.payrule', line });

/** A session record as the compiler writes it for a test (DATA.md §1 input shape). */
function record(id: string, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { id, patient: 'TEST-PATIENT', payer: 'medicare', discipline: 'PT', lines, note: {}, ...extra };
}

function timed(code: string, minutes: number, units?: number, modifiers: string[] = ['GP']): Record<string, unknown> {
    return { code, minutes, ...(units !== undefined ? { units } : {}), modifiers };
}

function policyTest(name: string, sessions: Record<string, unknown>[], expectations: TestExpectation[]): PolicyTest {
    return { name, package: 'test.pack', location: at(1), sessions, expectations };
}

const expectUnits = (code: string, units: number): TestExpectation => ({ kind: 'units', code, units, location: at(5) });
const expectFinding = (rule: string, extra: { absent?: boolean; severity?: 'error' | 'warning' | 'info'; text?: string } = {}): TestExpectation =>
    ({ kind: 'finding', rule, absent: extra.absent ?? false, ...(extra.severity ? { severity: extra.severity } : {}), ...(extra.text !== undefined ? { text: extra.text } : {}), location: at(6) });
const expectNo = (level: 'errors' | 'warnings' | 'findings'): TestExpectation => ({ kind: 'clean', level, location: at(7) });

/** Three rules: pooled units, GP on every line, at most 1 unit of 97012 a day. */
function policy(tests: PolicyTest[], extraPayers = false): PolicyBundle {
    const gp = rules.line('gp', {
        message: '{code} needs GP',
        where: { kind: 'literal', value: true },
        clauses: [{ type: 'require-modifier', modifiers: ['GP'], location: LOC }]
    });
    const mue = rules.limit('mue-97012', 1, 'day', { codes: ['97012'] });
    const medicare = payer([rules.units('pooled'), gp, mue], { effective: { from: '2026-01-01', through: '2026-12-31' } });
    const payers = [medicare];
    if (extraPayers) {
        const inherited = [rules.units('per-code'), { ...gp, inheritedFrom: 'Medicare' }];
        payers.push(payer(inherited, { name: 'Acme', id: 'acme-ppo', effective: { from: '2026-01-01' }, extends: 'Medicare' }));
    }
    return bundle(payers, { codes: { ...bundle([]).codes, '97012': { timed: false, disciplines: ['PT'], summary: 'traction' } }, tests });
}

function outcomeOf(run: TestRun, name: string) {
    const outcome = run.outcomes.find(o => o.test.name === name);
    if (!outcome) throw new Error(`no outcome for ${name}`);
    return outcome;
}

describe('runPolicyTests', () => {
    it('passes a test whose expectations hold', () => {
        const test = policyTest('23 minutes bill 2 units', [record('S1', [timed('97110', 23, 2)])],
            [expectUnits('97110', 2), expectFinding('units-match', { absent: true }), expectNo('findings')]);
        const run = runPolicyTests(policy([test]));
        const outcome = outcomeOf(run, '23 minutes bill 2 units');
        expect(outcome).toMatchObject({ passed: true, failures: [] });
        expect(outcome.error).toBeUndefined();
        expect(outcome.result).toMatchObject({ id: 'S1', policy: 'Medicare', units: { '97110': 2 } });
        expect(run.summary).toEqual({ total: 1, passed: 1, failed: 0 });
    });

    it('fails a test with messages that give expected against actual', () => {
        const test = policyTest('wrong expectations', [record('S1', [timed('97110', 23, 3, [])])], [
            expectUnits('97110', 3),
            expectUnits('97140', 1),
            expectFinding('gp', { absent: true }),
            expectFinding('units-match', { severity: 'warning' }),
            expectFinding('units-match', { text: 'nothing like this' }),
            expectFinding('mue-97012'),
            expectNo('errors')
        ]);
        const run = runPolicyTests(policy([test]));
        const outcome = outcomeOf(run, 'wrong expectations');
        expect(outcome.passed).toBe(false);
        expect(outcome.error).toBeUndefined();
        const messages = outcome.failures.map(f => f.message);
        expect(messages).toEqual([
            'expected 3 units of 97110, got 2',
            'expected 1 unit of 97140, but 97140 is not billed in the session',
            'expected no finding of gp, got: error gp: 97110 needs GP',
            'expected warning finding of units-match, got error units-match: 97110 billed 3 units; 23 timed minutes support 2',
            'expected finding of units-match containing "nothing like this", got error units-match: 97110 billed 3 units; 23 timed minutes support 2',
            'expected finding of mue-97012, got only: error units-match: 97110 billed 3 units; 23 timed minutes support 2; error gp: 97110 needs GP',
            'expected no errors, got: error units-match: 97110 billed 3 units; 23 timed minutes support 2; error gp: 97110 needs GP'
        ]);
        // Each failure points at the expectation that failed.
        expect(outcome.failures.map(f => f.expectation.kind)).toEqual(['units', 'units', 'finding', 'finding', 'finding', 'finding', 'clean']);
        expect(run.summary).toEqual({ total: 1, passed: 0, failed: 1 });
    });

    it('reports "no findings at all" when a wanted finding is missing from a clean session', () => {
        const test = policyTest('clean session', [record('S1', [timed('97110', 23, 2)])], [expectFinding('gp', { severity: 'error' })]);
        const [failure] = outcomeOf(runPolicyTests(policy([test])), 'clean session').failures;
        expect(failure?.message).toBe('expected error finding of gp, got no findings at all');
    });

    it('matches "containing" text without regard to case', () => {
        const test = policyTest('case', [record('S1', [timed('97110', 23, 2, [])])], [expectFinding('gp', { text: 'NEEDS gp' })]);
        expect(outcomeOf(runPolicyTests(policy([test])), 'case').passed).toBe(true);
    });

    it('turns a session that is not a valid record into an error of the test, not an exception', () => {
        const badDate = policyTest('bad date', [record('S1', [timed('97110', 23)], { date: '2026-02-30' })], [expectNo('errors')]);
        const noDiscipline = policyTest('no discipline', [record('S1', [timed('97110', 23)], { discipline: undefined })], [expectNo('errors')]);
        const second = policyTest('second session bad', [record('S1', [timed('97110', 23)]), record('S2', [])], [expectNo('errors')]);
        const unknownPayer = policyTest('unknown payer', [record('S1', [timed('97110', 23)], { payer: 'nobody', date: '2026-03-02' })], [expectNo('errors')]);
        const outOfRange = policyTest('date outside the payer', [record('S1', [timed('97110', 23)], { date: '2027-03-02' })], [expectNo('errors')]);
        const run = runPolicyTests(policy([badDate, noDiscipline, second, unknownPayer, outOfRange]));
        for (const outcome of run.outcomes) {
            expect(outcome.passed).toBe(false);
            expect(outcome.failures).toEqual([]);
            expect(outcome.result).toBeUndefined();
            expect(outcome.error).toBeTruthy();
        }
        expect(outcomeOf(run, 'bad date').error).toMatch(/^session 1: .*2026-02-30.*not a real date/);
        expect(outcomeOf(run, 'no discipline').error).toMatch(/^session 1: .*discipline/);
        expect(outcomeOf(run, 'second session bad').error).toMatch(/^session 2: lines must hold at least one claim line/);
        expect(outcomeOf(run, 'unknown payer').error).toMatch(/^session 1 cannot be checked: .*nobody/);
        expect(outcomeOf(run, 'date outside the payer').error).toMatch(/^session 1 cannot be checked: /);
        expect(run.summary).toEqual({ total: 5, passed: 0, failed: 5 });
    });

    it('bills lines without units as the unit method supports, and dates sessions at the start of the payer', () => {
        const test = policyTest('units left out', [record('S1', [timed('97110', 33), timed('97140', 7), timed('97010', 0)])], [
            expectUnits('97110', 2), expectUnits('97140', 1), expectUnits('97010', 1), expectFinding('units-match', { absent: true })
        ]);
        const outcome = outcomeOf(runPolicyTests(policy([test])), 'units left out');
        expect(outcome.passed).toBe(true);
        expect(outcome.result).toMatchObject({ date: '2026-01-01', billed: { '97110': 2, '97140': 1, '97010': 1 } });
    });

    it('fills a tied unit on one code only, and further lines of a code with 0', () => {
        const tie = policyTest('tie', [record('S1', [timed('97110', 7), timed('97140', 7)])], [expectFinding('units-match', { absent: true })]);
        const repeated = policyTest('repeated code', [record('S1', [timed('97110', 20), timed('97110', 5)])], [expectUnits('97110', 2)]);
        const run = runPolicyTests(policy([tie, repeated]));
        const tied = outcomeOf(run, 'tie');
        expect(tied.passed).toBe(true);
        expect(Object.values(tied.result!.billed).reduce((a, b) => a + b, 0)).toBe(1);
        const twice = outcomeOf(run, 'repeated code');
        expect(twice.passed).toBe(true);
        expect(twice.result?.billed).toEqual({ '97110': 2 });
        expect(twice.result?.findings.filter(f => f.rule === 'units-match')).toEqual([]);
    });

    it('keeps units that are written, even when they differ from the supported units', () => {
        const test = policyTest('written units', [record('S1', [timed('97110', 20, 2)])], [expectFinding('units-match', { severity: 'error' })]);
        const outcome = outcomeOf(runPolicyTests(policy([test])), 'written units');
        expect(outcome.passed).toBe(true);
        expect(outcome.result?.billed).toEqual({ '97110': 2 });
    });

    it('checks expectations on the last session only; earlier sessions are history', () => {
        const history = record('AM', [timed('97110', 23, 2, [])], { date: '2026-03-02' });
        const last = record('PM', [timed('97140', 23, 2)], { date: '2026-03-03' });
        const clean = policyTest('last is clean', [history, last], [expectNo('findings'), expectUnits('97140', 2)]);
        const wantsHistory = policyTest('finding only in history', [history, last], [expectFinding('gp'), expectUnits('97110', 2)]);
        const run = runPolicyTests(policy([clean, wantsHistory]));
        expect(outcomeOf(run, 'last is clean')).toMatchObject({ passed: true, result: { id: 'PM' } });
        const failed = outcomeOf(run, 'finding only in history');
        expect(failed.passed).toBe(false);
        expect(failed.failures.map(f => f.message)).toEqual([
            'expected finding of gp, got no findings at all',
            'expected 2 units of 97110, but 97110 is not billed in the session'
        ]);
    });

    it('lets history count: a day limit passed by the last session fires there', () => {
        const am = record('AM', [{ code: '97012', units: 1, modifiers: ['GP'] }], { date: '2026-03-02' });
        const pm = record('PM', [{ code: '97012', units: 1, modifiers: ['GP'] }], { date: '2026-03-02' });
        const test = policyTest('second traction of the day', [am, pm], [expectFinding('mue-97012', { severity: 'error', text: '2 units' })]);
        const alone = policyTest('one traction', [pm], [expectFinding('mue-97012', { absent: true })]);
        const run = runPolicyTests(policy([test, alone]));
        expect(run.outcomes.map(o => o.passed)).toEqual([true, true]);
    });

    it('keeps tests apart: one test\'s sessions are not another\'s history', () => {
        const am = record('S', [{ code: '97012', units: 1, modifiers: ['GP'] }], { date: '2026-03-02' });
        const first = policyTest('first', [am], [expectFinding('mue-97012', { absent: true })]);
        const second = policyTest('second', [am], [expectFinding('mue-97012', { absent: true })]);
        expect(runPolicyTests(policy([first, second])).outcomes.map(o => o.passed)).toEqual([true, true]);
    });

    it('measures rule coverage per payer: 2 of 3 rules fired is 66.6%', () => {
        const test = policyTest('units and GP', [record('S1', [timed('97110', 20, 2, [])])], [expectFinding('units-match'), expectFinding('gp')]);
        const run = runPolicyTests(policy([test]));
        expect(run.coverage).toHaveLength(1);
        const [medicare] = run.coverage;
        expect(medicare).toMatchObject({ payer: 'Medicare', id: 'medicare', covered: 2, total: 3, percent: 66.6 });
        expect(medicare!.rules.map(rule => [rule.id, rule.fired, rule.tests])).toEqual([
            ['units-match', true, ['units and GP']],
            ['gp', true, ['units and GP']],
            ['mue-97012', false, []]
        ]);
        expect(run.totalCoverage).toBe(66.6);
    });

    it('counts a rule fired in a history session, and not a rule a test only expects', () => {
        const history = record('AM', [timed('97110', 23, 2, [])], { date: '2026-03-02' });
        const last = record('PM', [timed('97140', 23, 2)], { date: '2026-03-03' });
        const onlyExpects = policyTest('expects a rule that never fires', [last], [expectFinding('mue-97012', { absent: true })]);
        const viaHistory = policyTest('gp in history', [history, last], []);
        const run = runPolicyTests(policy([onlyExpects, viaHistory]));
        const rulesOf = Object.fromEntries(run.coverage[0]!.rules.map(rule => [rule.id, rule]));
        expect(rulesOf['gp']).toMatchObject({ fired: true, tests: ['gp in history'] });
        expect(rulesOf['mue-97012']).toMatchObject({ fired: false });
        expect(run.coverage[0]).toMatchObject({ covered: 1, total: 3, percent: 33.3 });
    });

    it('counts inherited rules for the payer that inherits them, each payer on its own', () => {
        const acme = policyTest('acme without GP', [record('S1', [timed('97110', 23, 2, [])], { payer: 'acme-ppo' })], [expectFinding('gp')]);
        const run = runPolicyTests(policy([acme], true));
        const byName = Object.fromEntries(run.coverage.map(p => [p.payer, p]));
        expect(byName['Acme']).toMatchObject({ covered: 1, total: 2, percent: 50 });
        expect(byName['Medicare']).toMatchObject({ covered: 0, total: 3, percent: 0 });
        // Summed over declarations: 1 of 5.
        expect(run.totalCoverage).toBe(20);
    });

    it('reports 100% coverage for a bundle whose payers have no rules, and 0 tests when there are none', () => {
        const empty = bundle([payer([])]);
        const run = runPolicyTests(empty);
        expect(run).toMatchObject({ outcomes: [], totalCoverage: 100, summary: { total: 0, passed: 0, failed: 0 } });
        expect(run.coverage[0]).toMatchObject({ covered: 0, total: 0, percent: 100 });
    });

    it('filters tests by name, case-insensitively, and counts coverage over the tests that ran', () => {
        const units = policyTest('Units: 20 minutes billed 2', [record('S1', [timed('97110', 20, 2)])], [expectFinding('units-match')]);
        const gp = policyTest('Modifiers: GP missing', [record('S1', [timed('97110', 23, 2, [])])], [expectFinding('gp')]);
        const all = runPolicyTests(policy([units, gp]));
        expect(all.summary.total).toBe(2);
        const run = runPolicyTests(policy([units, gp]), { filter: 'modifiers' });
        expect(run.outcomes.map(o => o.test.name)).toEqual(['Modifiers: GP missing']);
        expect(run.summary).toEqual({ total: 1, passed: 1, failed: 0 });
        expect(run.coverage[0]).toMatchObject({ covered: 1 });
        expect(runPolicyTests(policy([units, gp]), { filter: 'nothing matches' }).summary.total).toBe(0);
    });
});

// ---------------------------------------------------------------- JUnit XML

/**
 * A strict check of well-formed XML for the subset JUnit reports use: one prolog, elements with
 * quoted attributes, text, no comments or CDATA. Tags must balance, attribute values and text may
 * hold no raw `<` or `&` other than the five predefined entities and character references, and
 * attribute names may not repeat. Returns the tree, or throws with the position of the problem.
 */
interface XmlElement {
    name: string;
    attributes: Record<string, string>;
    children: XmlElement[];
    text: string;
}

function parseXml(source: string): XmlElement {
    let pos = 0;
    const fail = (message: string): never => { throw new Error(`${message} at offset ${pos}: ${JSON.stringify(source.slice(pos, pos + 40))}`); };
    const NAME = /[A-Za-z_:][\w.:-]*/y;
    const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
    const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!)
        .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
        .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)));
    const chars = (stop: RegExp) => {
        const start = pos;
        while (pos < source.length && !stop.test(source[pos]!)) {
            if (source[pos] === '&') {
                ENTITY.lastIndex = pos;
                if (!ENTITY.test(source)) fail('unescaped &');
                pos = ENTITY.lastIndex;
            } else {
                if (source[pos] === '<') fail('unescaped <');
                pos++;
            }
        }
        return decode(source.slice(start, pos));
    };
    const name = () => {
        NAME.lastIndex = pos;
        const match = NAME.exec(source);
        if (!match) fail('expected a name');
        pos = NAME.lastIndex;
        return match![0];
    };
    const spaces = () => { while (/\s/.test(source[pos] ?? '')) pos++; };
    const element = (): XmlElement => {
        if (source[pos] !== '<') fail('expected <');
        pos++;
        const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
        for (;;) {
            const before = pos;
            spaces();
            if (source.startsWith('/>', pos)) { pos += 2; return node; }
            if (source[pos] === '>') { pos++; break; }
            if (pos === before) fail('expected whitespace before an attribute');
            const attribute = name();
            if (Object.hasOwn(node.attributes, attribute)) fail(`repeated attribute ${attribute}`);
            if (source[pos] !== '=') fail('expected =');
            pos++;
            const quote = source[pos];
            if (quote !== '"' && quote !== "'") fail('expected a quoted value');
            pos++;
            node.attributes[attribute] = chars(quote === '"' ? /"/ : /'/);
            pos++;
        }
        for (;;) {
            node.text += chars(/</);
            if (pos >= source.length) fail(`unclosed <${node.name}>`);
            if (source.startsWith('</', pos)) {
                pos += 2;
                const closing = name();
                if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
                spaces();
                if (source[pos] !== '>') fail('expected >');
                pos++;
                return node;
            }
            if (source.startsWith('<!', pos) || source.startsWith('<?', pos)) fail('unexpected markup');
            node.children.push(element());
        }
    };
    const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(source);
    if (!prolog) fail('missing XML declaration');
    pos = prolog![0].length;
    const root = element();
    spaces();
    if (pos !== source.length) fail('content after the root element');
    return root;
}

describe('JUnit XML of a test run', () => {
    it('the strict checker rejects what an XML parser rejects', () => {
        const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
        expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow(/closes/);
        expect(() => parseXml(`${head}<a x="1 < 2"/>`)).toThrow(/unescaped </);
        expect(() => parseXml(`${head}<a x="A & B"/>`)).toThrow(/unescaped &/);
        expect(() => parseXml(`${head}<a x="1" x="2"/>`)).toThrow(/repeated/);
        expect(() => parseXml(`${head}<a>`)).toThrow(/unclosed/);
        expect(() => parseXml(`${head}<a/><b/>`)).toThrow(/after the root/);
        expect(parseXml(`${head}<a x="&lt;&amp;&quot;">t &gt; &#38;</a>`)).toMatchObject({ attributes: { x: '<&"' }, text: 't > &' });
    });

    it('is well-formed, escapes names and messages, and counts failures and errors per suite', () => {
        const tricky = 'Tricky <name> & "quotes" \'apostrophes\'';
        const passing = policyTest(tricky, [record('S1', [timed('97110', 23, 2)])], [expectUnits('97110', 2)]);
        const failing = policyTest('fails <here>', [record('S1', [timed('97110', 23, 3, [])])], [expectUnits('97110', 3), expectFinding('gp', { absent: true })]);
        const broken = policyTest('broken & invalid', [record('S1', [timed('97110', 23)], { date: 'not a date' })], []);
        const run = runPolicyTests(policy([passing, failing, broken]));
        const xml = writeTestJunit(run);
        const root = parseXml(xml);
        expect(root).toMatchObject({ name: 'testsuites', attributes: { tests: '3', failures: '2' } });
        expect(root.children).toHaveLength(1);
        const suite = root.children[0]!;
        expect(suite).toMatchObject({ name: 'testsuite', attributes: { name: 'test.pack', tests: '3', failures: '1', errors: '1' } });
        const cases = suite.children;
        expect(cases.map(c => c.name)).toEqual(['testcase', 'testcase', 'testcase']);
        expect(cases.map(c => c.attributes['name'])).toEqual([tricky, 'fails <here>', 'broken & invalid']);
        expect(cases[0]!.children).toEqual([]);
        expect(cases[1]!.children.map(c => c.name)).toEqual(['failure', 'failure']);
        expect(cases[1]!.children[0]!.attributes['message']).toBe('expected 3 units of 97110, got 2');
        expect(cases[1]!.children[1]!.text).toContain('expected no finding of gp');
        expect(cases[2]!.children.map(c => c.name)).toEqual(['error']);
        expect(cases[2]!.children[0]!.attributes['message']).toBe('session 1: date must be an ISO date (YYYY-MM-DD), not text of 10 characters');
        for (const testCase of cases) expect(Number(testCase.attributes['time'])).toBeGreaterThanOrEqual(0);
    });

    it('drops characters XML 1.0 cannot hold', () => {
        const test = policyTest('control \u0001 character \u001b[31m', [record('S1', [timed('97110', 23, 2)])], []);
        const root = parseXml(writeTestJunit(runPolicyTests(policy([test]))));
        expect(root.children[0]!.children[0]!.attributes['name']).toBe('control  character [31m');
        expect(writeTestJunit(runPolicyTests(policy([test])))).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    });
});
